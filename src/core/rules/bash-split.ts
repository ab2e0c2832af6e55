import {
  type BashWord,
  emptyWord,
  type PendingPart,
  ScannedCommand,
  SUBSTITUTION_PLACEHOLDER,
  UnparseableCommand,
} from "./bash-command.ts";
import { plainParameter } from "./bash-expansion.ts";
import { type HereDocument, readHereDocumentBody, substitutedBody } from "./bash-heredoc.ts";

// Splits a bash command line into the simple commands it would run, so that a rule
// like `git *` is checked against `git status` and, separately, against every other
// command smuggled in with `;`, `&&`, `|`, `$(…)` and friends.
//
// Each part is the command's text as written (quotes kept) with runs of blanks collapsed,
// line continuations and comments removed, the command name unquoted, every command
// substitution replaced by `$(...)` (its inner commands are parts of their own), and
// output redirections to files split off as parts `> FILE` (see bash-command.ts).
// Here-documents with a quoted delimiter are data (bash-heredoc.ts), and so is
// `$(cat <<'EOF' … EOF)`, the way Claude Code writes commit messages.
//
// Only word forms whose meaning is certain are read: literal and quoted text, `$NAME`,
// `${NAME}`, and `$'…'` without backslashes. Anything this scanner is not sure about is
// refused rather than guessed: the caller then asks a person.

export type BashSplit = { parsed: true; commands: string[] } | { parsed: false; reason: string };

const MAX_NESTING = 32;
const BLANKS = " \t";
const WORD_END = " \t\n;&|<>()";
const REDIRECTIONS = ["&>>", "&>", ">>", ">|", ">&", "<>", "<&", ">", "<"];
const SPECIAL_PARAMETER = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/;

export function splitBashCommand(command: string): BashSplit {
  const joining = joinedSyntax(command);
  if (joining) return { parsed: false, reason: `a line continuation (\\ at the end of a line) joins ${joining}, which csm does not read the way bash does` };
  return splitOnce(command);
}

// bash removes every line continuation (`\` at a line's end) before it reads any syntax,
// so one can sit inside an operator: `$\⏎(` is `$(`, `<<\⏎-EOF` is `<<-EOF`. The scanner
// removes them inside and between words only, so a continuation between two characters
// that bash would read as one piece of syntax is refused. Quotes are not followed here:
// one inside single quotes (where bash keeps it) is refused too, which only means asking.
const JOINS: Record<string, RegExp> = {
  $: /^[({\['"A-Za-z0-9_@*#?$!-]/,
  "<": /^[<&(>-]/,
  ">": /^[>&|(]/,
  "&": /^[&>]/,
  "|": /^[|&]/,
  ";": /^[;&]/,
  "(": /^\(/,
};

/** The syntax a line continuation joins (`$(`), or null when every one sits where the scanner reads it as bash does. */
function joinedSyntax(command: string): string | null {
  for (let at = command.indexOf("\\\n"); at !== -1; at = command.indexOf("\\\n", at + 2)) {
    // An even run of backslashes before the newline is escaped backslashes, not a continuation.
    let slashes = 0;
    while (command[at - slashes] === "\\") slashes++;
    if (slashes % 2 === 0) continue;
    const before = command[at - slashes];
    let after = at + 2;
    while (command.startsWith("\\\n", after)) after += 2;
    const next = command[after] ?? "";
    if (before !== undefined && JOINS[before]?.test(next)) return `${before}${next}`;
  }
  return null;
}

function splitOnce(command: string): BashSplit {
  const parts: PendingPart[] = [];
  try {
    new BashScanner(command, parts, 0).parseList(null);
  } catch (error) {
    if (error instanceof UnparseableCommand) return { parsed: false, reason: error.message };
    throw error;
  }
  return { parsed: true, commands: parts.map((part) => (typeof part === "string" ? part : part())) };
}

/**
 * The words (assignments and command name included) of one part that splitBashCommand
 * produced, for checks that look at a command's arguments; null for a file-write part or
 * anything that does not scan back as one simple command.
 */
export function partWords(part: string): BashWord[] | null {
  const scanner = new BashScanner(part, [], 0);
  try {
    scanner.parseList(null);
  } catch (error) {
    if (error instanceof UnparseableCommand) return null;
    throw error;
  }
  const top = scanner.scanned.filter((scanned) => scanned.depth === 0);
  return top.length === 1 ? top[0]!.command.words() : null;
}

class BashScanner {
  private pos = 0;
  /** Here-documents opened on the current line, whose bodies start after its newline. */
  private pending: HereDocument[] = [];
  /** Every non-empty command, in the order its scanning finished, with its nesting. */
  readonly scanned: { command: ScannedCommand; depth: number }[] = [];

  constructor(
    private readonly src: string,
    private readonly out: PendingPart[],
    private depth: number,
  ) {
    if (depth > MAX_NESTING) throw new UnparseableCommand("commands are nested too deeply");
  }

  /** Scans a nested `( … )` or `$( … )` list on the same text, up to its ")". */
  private parseNestedList(): void {
    if (++this.depth > MAX_NESTING) throw new UnparseableCommand("commands are nested too deeply");
    this.refuseOpenHereDocuments();
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
        this.refuseOpenHereDocuments();
        return;
      }
      if (c === ")") {
        if (closer !== ")") throw new UnparseableCommand('unbalanced parenthesis: unexpected ")"');
        this.refuseOpenHereDocuments();
        this.pos++;
        return;
      }
      this.skipOperator();
    }
  }

  // A here-document whose line ends inside a `(…)`, `$(…)` or backticks, or at the end of
  // the command, has no body where csm could be sure bash looks for it.
  private refuseOpenHereDocuments(): void {
    if (this.pending.length > 0) {
      throw new UnparseableCommand(`the here-document <<${this.pending[0]!.delimiter} has no body on the lines after it`);
    }
  }

  private skipOperator(): void {
    const two = this.src.slice(this.pos, this.pos + 2);
    if (two === ";;" || two === ";&") throw new UnparseableCommand(`${two} belongs to a case statement, which is not parsed`);
    if (two[0] === "\n") return this.endLine();
    this.pos += two === "&&" || two === "||" || two === "|&" ? 2 : 1;
  }

  private endLine(): void {
    this.pos++;
    for (const document of this.pending) this.pos = readHereDocumentBody(this.src, this.pos, document);
    this.pending = [];
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
    if (!command.isEmpty) this.scanned.push({ command, depth: this.depth });
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
    if (rest.startsWith("<(") || rest.startsWith(">(")) {
      throw new UnparseableCommand("process substitution <(…) or >(…) is not parsed");
    }
    if (rest === "<<<") {
      this.pos += 3;
      return command.addRedirection("<<<", this.redirectionTarget("<<<"));
    }
    if (rest.startsWith("<<")) return this.parseHereDocument(command);
    const operator = REDIRECTIONS.find((op) => rest.startsWith(op))!;
    this.pos += operator.length;
    command.addRedirection(operator, this.redirectionTarget(operator));
  }

  private redirectionTarget(operator: string): BashWord {
    this.skipBlanks();
    const c = this.src[this.pos];
    if (c === undefined || WORD_END.includes(c)) throw new UnparseableCommand(`redirection ${operator} has no target`);
    return this.parseWord();
  }

  private parseHereDocument(command: ScannedCommand): void {
    const stripTabs = this.src[this.pos + 2] === "-";
    const operator = stripTabs ? "<<-" : "<<";
    this.pos += operator.length;
    const word = this.redirectionTarget(operator);
    if (word.dynamic || word.literal.includes("\n")) {
      throw new UnparseableCommand(`the here-document delimiter ${word.text} is not a plain word`);
    }
    const document: HereDocument = { delimiter: word.literal, stripTabs, quoted: word.quoted, body: null };
    this.pending.push(document);
    command.addHereDocument(operator + word.text, document);
  }

  /** Reads one word up to an unquoted blank or operator character. */
  private parseWord(): BashWord {
    const word = emptyWord();
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
        appendLiteral(word, next);
        word.quoted = true;
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end === -1) throw new UnparseableCommand("unbalanced single quote");
        word.text += this.src.slice(this.pos, end + 1);
        appendLiteral(word, this.src.slice(this.pos + 1, end));
        word.quoted = true;
        this.pos = end + 1;
      } else if (c === '"') {
        this.parseDoubleQuoted(word);
      } else if (c === "$") {
        this.parseDollar(word, false);
      } else if (c === "`") {
        this.parseBackticks(word, false);
      } else {
        word.text += c;
        appendLiteral(word, c);
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
        this.parseDollar(word, true);
      } else if (c === "`") {
        this.parseBackticks(word, true);
      } else if (c === "\\" && this.src[this.pos + 1] === "\n") {
        this.pos += 2;
      } else if (c === "\\" && '$`"\\'.includes(this.src[this.pos + 1] ?? "")) {
        word.text += c + this.src[this.pos + 1];
        appendLiteral(word, this.src[this.pos + 1]!);
        this.pos += 2;
      } else {
        word.text += c;
        appendLiteral(word, c);
        this.pos++;
      }
    }
    word.text += '"';
    this.pos++;
  }

  /** `$(…)`, `${NAME}`, `$NAME`, `$'…'`; other forms are refused; a `$` before anything else is literal. */
  private parseDollar(word: BashWord, inDoubleQuotes: boolean): void {
    const next = this.src[this.pos + 1] ?? "";
    if (next === "(") {
      if (this.src[this.pos + 2] === "(") throw new UnparseableCommand("arithmetic expansion $(( … )) is not parsed");
      return this.parseSubstitution(word, inDoubleQuotes);
    }
    if (next === "[") throw new UnparseableCommand("arithmetic expansion $[ … ] is not parsed");
    if (next === "{") {
      const plain = plainParameter(this.src.slice(this.pos + 1));
      word.text += "$" + plain;
      this.pos += 1 + plain.length;
      return markDynamic(word, inDoubleQuotes);
    }
    if (next === '"' && !inDoubleQuotes) throw new UnparseableCommand('locale-translated strings $"…" are not parsed');
    if (next === "'" && !inDoubleQuotes) return this.parseAnsiC(word);
    const name = SPECIAL_PARAMETER.exec(this.src.slice(this.pos + 1))?.[0];
    word.text += "$" + (name ?? "");
    this.pos += 1 + (name?.length ?? 0);
    if (name === undefined) appendLiteral(word, "$");
    else markDynamic(word, inDoubleQuotes);
  }

  // `$'…'` turns escapes such as `\x24` into characters that would read as syntax (`$`),
  // so only the form without any backslash is read, as plain quoted text.
  private parseAnsiC(word: BashWord): void {
    const end = this.src.indexOf("'", this.pos + 2);
    if (end === -1) throw new UnparseableCommand("unbalanced $'…' quote");
    const inner = this.src.slice(this.pos + 2, end);
    if (inner.includes("\\")) throw new UnparseableCommand("ANSI-C quoting $'…' with backslash escapes is not parsed");
    word.text += this.src.slice(this.pos, end + 1);
    appendLiteral(word, inner);
    word.quoted = true;
    this.pos = end + 1;
  }

  // `$( … )`: its commands become parts, except `$(cat <<'EOF' … EOF)`, which only
  // prints data and so reads as a literal (in double quotes its value is then known).
  private parseSubstitution(word: BashWord, inDoubleQuotes: boolean): void {
    const start = this.pos;
    const at = this.out.length;
    const from = this.scanned.length;
    this.pos += 2;
    this.parseNestedList();
    const inner = this.scanned.slice(from);
    const document = inner.length === 1 ? inner[0]!.command.hereDocumentLiteral() : null;
    if (!document) return this.substituted(word, inDoubleQuotes);
    this.out.splice(at);
    word.text += this.src.slice(start, this.pos);
    word.quoted = true;
    if (inDoubleQuotes) appendLiteral(word, substitutedBody(document));
    else markDynamic(word, false);
  }

  // Inside backticks a backslash escapes only `, \ and $ (and " too, inside double quotes:
  // bash reads `"\`echo \\"x\\"\`"` as echo "x"); the unescaped text is then scanned as a
  // command line of its own (which also handles nested backticks).
  private parseBackticks(word: BashWord, inDoubleQuotes: boolean): void {
    this.refuseOpenHereDocuments();
    const escapable = inDoubleQuotes ? '`\\$"' : "`\\$";
    let inner = "";
    let i = this.pos + 1;
    for (;;) {
      const c = this.src[i];
      if (c === undefined) throw new UnparseableCommand("unbalanced backtick");
      if (c === "`") break;
      const next = this.src[i + 1];
      if (c === "\\" && next !== undefined && escapable.includes(next)) {
        inner += next;
        i += 2;
      } else {
        inner += c;
        i++;
      }
    }
    this.pos = i + 1;
    new BashScanner(inner, this.out, this.depth + 1).parseList(null);
    this.substituted(word, inDoubleQuotes);
  }

  private substituted(word: BashWord, inDoubleQuotes: boolean): void {
    word.text += SUBSTITUTION_PLACEHOLDER;
    markDynamic(word, inDoubleQuotes);
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

function appendLiteral(word: BashWord, text: string): void {
  word.literal += text;
  if (!word.dynamic) word.head += text;
}

function markDynamic(word: BashWord, inDoubleQuotes: boolean): void {
  word.dynamic = true;
  if (!inDoubleQuotes) word.splits = true;
}
