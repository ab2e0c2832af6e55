// One simple command as the Bash splitter scanned it, and how it becomes the text that
// Bash rule patterns are matched against. The splitter (bash-split.ts) deals with
// characters; this file deals with words: keywords, assignments, the command name and
// redirections.

/** A shell word as written, with command substitutions replaced by a placeholder. */
export interface BashWord {
  /** The word as written (quotes kept), line continuations removed, substitutions → `$(...)`. */
  text: string;
  /** The value after quote removal; only meaningful when `dynamic` is false. */
  literal: string;
  /** Quoting or a backslash was used somewhere in the word. */
  quoted: boolean;
  /** Contains `$var`, `${…}`, `$(…)`, backticks or `$'…'`: its value is only known at run time. */
  dynamic: boolean;
  /** Contains unquoted glob or brace-expansion syntax (`*`, `?`, `[…]`, `{…}`). */
  pattern: boolean;
}

/** Thrown while scanning; the splitter turns it into `{parsed: false, reason}`. */
export class UnparseableCommand extends Error {}

/** Stands in for every `$(…)` and backtick substitution in a command's text. */
export const SUBSTITUTION_PLACEHOLDER = "$(...)";

// Reserved words that only introduce or continue a compound command: the command that
// follows them is what runs, so `if git diff` is matched as `git diff`.
const PREFIX_KEYWORDS = new Set(["!", "{", "if", "then", "elif", "else", "while", "until", "do", "time"]);
const CLOSING_KEYWORDS = new Set(["}", "fi", "done"]);
const UNSUPPORTED_KEYWORDS = new Map([
  ["case", "case statements are not parsed"],
  ["esac", "case statements are not parsed"],
  ["select", "select loops are not parsed"],
  ["function", "function definitions are not parsed"],
  ["coproc", "coprocesses are not parsed"],
  ["[[", "[[ … ]] conditionals are not parsed"],
]);
// Writing to these is harmless, so `cmd 2>/dev/null` is matched as `cmd`.
const HARMLESS_TARGETS = new Set(["/dev/null", "/dev/stdout", "/dev/stderr"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Token = { text: string; word?: BashWord };

export class ScannedCommand {
  private readonly tokens: Token[] = [];
  private readonly writes: string[] = [];
  private shape: "simple" | "subshell" | "closer" | "for" = "simple";
  private afterTime = false;

  /** `(` opens a subshell only where a command could start. */
  canOpenSubshell(): boolean {
    return this.shape === "simple" && this.tokens.length === 0;
  }

  openedSubshell(): void {
    this.shape = "subshell";
  }

  get isSubshell(): boolean {
    return this.shape === "subshell";
  }

  addWord(word: BashWord): void {
    const bare = word.quoted ? null : word.text;
    if (this.shape === "simple" && this.tokens.length === 0 && bare !== null) {
      if (this.afterTime && bare === "-p") return;
      this.afterTime = bare === "time";
      if (PREFIX_KEYWORDS.has(bare)) return;
      if (CLOSING_KEYWORDS.has(bare)) return void (this.shape = "closer");
      const unsupported = UNSUPPORTED_KEYWORDS.get(bare);
      if (unsupported) throw new UnparseableCommand(unsupported);
      if (bare === "for") return void (this.shape = "for");
    }
    this.afterTime = false;
    if (this.shape === "subshell") throw new UnparseableCommand(`unexpected word ${word.text} after a subshell`);
    if (this.shape === "closer") throw new UnparseableCommand(`unexpected word ${word.text} after a closing keyword`);
    this.tokens.push({ text: word.text, word });
  }

  /**
   * Records a redirection. Input redirections stay in the command's text; output
   * redirections to a file become a part of their own (`> FILE`, `>> FILE`) so a broad
   * allow such as `echo *` cannot also write `~/.bashrc`; duplicating or closing a file
   * descriptor (`2>&1`, `>&-`) and writing to /dev/null are dropped.
   */
  addRedirection(operator: string, target: BashWord): void {
    const value = target.dynamic ? null : target.literal;
    const duplicates = operator.endsWith("&") && value !== null && /^(\d+-?|-)$/.test(value);
    if (operator === "<") return void this.tokens.push({ text: `< ${target.text}` });
    if (operator === "<&") {
      if (duplicates) return;
      throw new UnparseableCommand(`unexpected redirection <&${target.text}`);
    }
    if (duplicates || (value !== null && HARMLESS_TARGETS.has(value))) return;
    const written = operator === "<>" ? "<>" : operator.endsWith(">>") ? ">>" : ">";
    this.writes.push(`${written} ${target.text}`);
  }

  /** The parts this command contributes: its own text (if it runs anything) and its file writes. */
  parts(): string[] {
    if (this.shape === "for") this.checkForHeader();
    if (this.shape !== "simple" || this.tokens.length === 0) return [...this.writes];
    return [this.commandText(), ...this.writes];
  }

  private commandText(): string {
    const texts: string[] = [];
    let named = false;
    for (const token of this.tokens) {
      const word = token.word;
      if (!word || named || ASSIGNMENT.test(word.text)) {
        texts.push(token.text);
        continue;
      }
      named = true;
      texts.push(commandName(word));
    }
    return texts.join(" ");
  }

  private checkForHeader(): void {
    const [name, keyword] = this.tokens.map((token) => token.word);
    const named = name && !name.quoted && IDENTIFIER.test(name.text);
    if (!named || (keyword !== undefined && (keyword.quoted || keyword.text !== "in"))) {
      throw new UnparseableCommand("only `for NAME in WORDS` loops are parsed");
    }
  }
}

// The command name is matched after quote removal (`\rm`, `"rm"` and `r''m` all run rm),
// and refused when only run time can tell what it is.
function commandName(word: BashWord): string {
  if (word.dynamic) throw new UnparseableCommand(`the command name ${word.text} is only known when it runs`);
  if (word.pattern) throw new UnparseableCommand(`the command name ${word.text} is a glob or brace pattern`);
  if (word.literal === "eval") throw new UnparseableCommand("eval runs a string as a new command");
  if (!word.quoted || word.literal === "" || /\s/.test(word.literal)) return word.text;
  return word.literal;
}
