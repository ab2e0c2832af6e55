import { type BashWord, ScannedCommand, SUBSTITUTION_PLACEHOLDER, UnparseableCommand } from "./bash-command.ts";

// Splits a bash command line into the simple commands it would run, so that a rule
// like `git *` is checked against `git status` and, separately, against every other
// command smuggled in with `;`, `&&`, `|`, `$(…)` and friends.
//
// Each part is the command's text as written (quotes kept) with runs of blanks collapsed,
// line continuations and comments removed, the command name unquoted, every command
// substitution replaced by `$(...)` (its inner commands are parts of their own), and
// output redirections to files split off as parts `> FILE` (see bash-command.ts).
// Anything this scanner is not sure about is refused rather than guessed: the caller then
// asks a person.

export type BashSplit = { parsed: true; commands: string[] } | { parsed: false; reason: string };

const MAX_NESTING = 32;
const BLANKS = " \t";
const WORD_END = " \t\n;&|<>()";
const REDIRECTIONS = ["&>>", "&>", ">>", ">|", ">&", "<>", "<&", ">", "<"];

export function splitBashCommand(command: string): BashSplit {
  const commands: string[] = [];
  try {
    new BashScanner(command, commands, 0).parseList(null);
  } catch (error) {
    if (error instanceof UnparseableCommand) return { parsed: false, reason: error.message };
    throw error;
  }
  return { parsed: true, commands };
}

class BashScanner {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly out: string[],
    private depth: number,
  ) {
    if (depth > MAX_NESTING) throw new UnparseableCommand("commands are nested too deeply");
  }

  /** Scans a nested `( … )` or `$( … )` list on the same text, up to its ")". */
  private parseNestedList(): void {
    if (++this.depth > MAX_NESTING) throw new UnparseableCommand("commands are nested too deeply");
    this.parseList(")");
    this.depth--;
  }

  /** Reads commands and the operators between them up to `closer` (consumed) or the end. */
  parseList(closer: ")" | null): void {
    for (;;) {
      this.parseCommand();
      const c = this.src[this.pos];
      if (c === undefined) {
        if (closer) throw new UnparseableCommand(`unbalanced parenthesis: missing "${closer}"`);
        return;
      }
      if (c === ")") {
        if (closer !== ")") throw new UnparseableCommand('unbalanced parenthesis: unexpected ")"');
        this.pos++;
        return;
      }
      this.skipOperator();
    }
  }

  private skipOperator(): void {
    const two = this.src.slice(this.pos, this.pos + 2);
    if (two === ";;" || two === ";&") throw new UnparseableCommand(`${two} belongs to a case statement, which is not parsed`);
    this.pos += two === "&&" || two === "||" || two === "|&" ? 2 : 1;
  }

  private parseCommand(): void {
    // Substitutions inside this command are pushed while scanning it; the command's own
    // text goes in front of them so parts read in the order they were written.
    const at = this.out.length;
    const command = new ScannedCommand();
    for (;;) {
      this.skipBlanks();
      const c = this.src[this.pos];
      if (c === undefined || c === "\n" || c === ";" || c === "|" || c === ")") break;
      if (c === "&" && this.src[this.pos + 1] !== ">") break;
      if (c === "#") {
        this.skipComment();
      } else if (c === "(") {
        this.parseSubshell(command);
      } else if (c === "<" || c === ">" || c === "&") {
        this.parseRedirection(command);
      } else {
        const word = this.parseWord();
        const next = this.src[this.pos];
        const isDescriptor = (next === "<" || next === ">") && !word.quoted && /^\d+$/.test(word.text);
        if (isDescriptor) this.parseRedirection(command);
        else command.addWord(word);
      }
    }
    if (command.isSubshell) this.out.push(...command.parts());
    else this.out.splice(at, 0, ...command.parts());
  }

  private parseSubshell(command: ScannedCommand): void {
    if (this.src[this.pos + 1] === "(") throw new UnparseableCommand("arithmetic commands (( … )) are not parsed");
    if (!command.canOpenSubshell()) {
      throw new UnparseableCommand('"(" inside a command (a function definition or an array) is not parsed');
    }
    this.pos++;
    this.parseNestedList();
    command.openedSubshell();
  }

  private parseRedirection(command: ScannedCommand): void {
    const rest = this.src.slice(this.pos, this.pos + 3);
    if (rest.startsWith("<<")) throw new UnparseableCommand("here-documents and here-strings (<<) are not parsed");
    if (rest.startsWith("<(") || rest.startsWith(">(")) {
      throw new UnparseableCommand("process substitution <(…) or >(…) is not parsed");
    }
    const operator = REDIRECTIONS.find((op) => rest.startsWith(op))!;
    this.pos += operator.length;
    this.skipBlanks();
    const c = this.src[this.pos];
    if (c === undefined || WORD_END.includes(c)) throw new UnparseableCommand(`redirection ${operator} has no target`);
    command.addRedirection(operator, this.parseWord());
  }

  /** Reads one word up to an unquoted blank or operator character. */
  private parseWord(): BashWord {
    const word: BashWord = { text: "", literal: "", quoted: false, dynamic: false, pattern: false };
    let bare = "";
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || WORD_END.includes(c)) break;
      if (c === "\\") {
        const next = this.src[this.pos + 1];
        if (next === undefined) throw new UnparseableCommand("the command ends with a lone backslash");
        this.pos += 2;
        if (next === "\n") continue;
        word.text += c + next;
        word.literal += next;
        word.quoted = true;
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end === -1) throw new UnparseableCommand("unbalanced single quote");
        word.text += this.src.slice(this.pos, end + 1);
        word.literal += this.src.slice(this.pos + 1, end);
        word.quoted = true;
        this.pos = end + 1;
      } else if (c === '"') {
        this.parseDoubleQuoted(word);
      } else if (c === "$") {
        this.parseDollar(word);
      } else if (c === "`") {
        this.parseBackticks(word);
      } else {
        word.text += c;
        word.literal += c;
        bare += c;
        this.pos++;
      }
    }
    // `[` and `{` are plain characters unless they open a bracket or brace pattern.
    word.pattern = /[*?]|\[.*\]|\{.*\}/s.test(bare);
    return word;
  }

  private parseDoubleQuoted(word: BashWord): void {
    word.quoted = true;
    word.text += '"';
    this.pos++;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new UnparseableCommand("unbalanced double quote");
      if (c === '"') break;
      if (c === "$") {
        this.parseDollar(word);
      } else if (c === "`") {
        this.parseBackticks(word);
      } else if (c === "\\" && this.src[this.pos + 1] === "\n") {
        this.pos += 2;
      } else if (c === "\\" && '$`"\\'.includes(this.src[this.pos + 1] ?? "")) {
        word.text += c + this.src[this.pos + 1];
        word.literal += this.src[this.pos + 1];
        this.pos += 2;
      } else {
        word.text += c;
        word.literal += c;
        this.pos++;
      }
    }
    word.text += '"';
    this.pos++;
  }

  /** `$(…)`, `${…}`, `$'…'`, `$"…"`, `$name`; a `$` before anything else is literal. */
  private parseDollar(word: BashWord): void {
    const next = this.src[this.pos + 1] ?? "";
    if (next === "(") {
      if (this.src[this.pos + 2] === "(") throw new UnparseableCommand("arithmetic expansion $(( … )) is not parsed");
      this.pos += 2;
      this.parseNestedList();
      return this.substituted(word);
    }
    if (next === "[") throw new UnparseableCommand("arithmetic expansion $[ … ] is not parsed");
    if (next === "{") return this.parseParameter(word);
    if (next === '"') {
      word.text += "$";
      this.pos++;
      this.parseDoubleQuoted(word);
      word.dynamic = true;
      return;
    }
    if (next === "'") {
      const start = this.pos;
      this.pos += 2;
      while (this.src[this.pos] !== "'") {
        if (this.src[this.pos] === undefined) throw new UnparseableCommand("unbalanced $'…' quote");
        this.pos += this.src[this.pos] === "\\" ? 2 : 1;
      }
      this.pos++;
      word.text += this.src.slice(start, this.pos);
      word.quoted = word.dynamic = true;
      return;
    }
    const name = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(this.src.slice(this.pos + 1));
    word.text += "$" + (name?.[0] ?? "");
    word.literal += "$" + (name?.[0] ?? "");
    word.dynamic ||= name !== null;
    this.pos += 1 + (name?.[0].length ?? 0);
  }

  // `${…}` may hide a substitution in its default value (`${x:-$(cmd)}`). Quotes inside
  // are treated as plain characters: within double quotes bash does the same, and
  // outside them this can only find more substitutions than bash would run, never fewer.
  private parseParameter(word: BashWord): void {
    word.text += "${";
    word.dynamic = true;
    this.pos += 2;
    let depth = 1;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new UnparseableCommand("unbalanced ${…}");
      if (c === "$") {
        this.parseDollar(word);
        continue;
      }
      if (c === "`") {
        this.parseBackticks(word);
        continue;
      }
      if (c === "{") depth++;
      if (c === "}" && --depth === 0) break;
      const escaped = c === "\\" ? (this.src[this.pos + 1] ?? "") : "";
      word.text += c + escaped;
      this.pos += 1 + escaped.length;
    }
    word.text += "}";
    this.pos++;
  }

  // Inside backticks a backslash escapes only `, \ and $; the unescaped text is then
  // scanned as a command line of its own (which also handles nested backticks).
  private parseBackticks(word: BashWord): void {
    let inner = "";
    let i = this.pos + 1;
    for (;;) {
      const c = this.src[i];
      if (c === undefined) throw new UnparseableCommand("unbalanced backtick");
      if (c === "`") break;
      const next = this.src[i + 1];
      if (c === "\\" && next !== undefined && "`\\$".includes(next)) {
        inner += next;
        i += 2;
      } else {
        inner += c;
        i++;
      }
    }
    this.pos = i + 1;
    new BashScanner(inner, this.out, this.depth + 1).parseList(null);
    this.substituted(word);
  }

  private substituted(word: BashWord): void {
    word.text += SUBSTITUTION_PLACEHOLDER;
    word.dynamic = true;
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c !== undefined && BLANKS.includes(c)) this.pos++;
      else if (c === "\\" && this.src[this.pos + 1] === "\n") this.pos += 2;
      else return;
    }
  }

  private skipComment(): void {
    const end = this.src.indexOf("\n", this.pos);
    this.pos = end === -1 ? this.src.length : end;
  }
}
