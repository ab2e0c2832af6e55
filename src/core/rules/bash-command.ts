import type { HereDocument } from "./bash-heredoc.ts";
import { variableRisk } from "./shell-variables.ts";

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
  /** The part of the value known before the first expansion (all of it when not dynamic). */
  head: string;
  /** Quoting or a backslash was used somewhere in the word. */
  quoted: boolean;
  /** Contains `$var`, `${…}`, `$(…)` or backticks: its value is only known at run time. */
  dynamic: boolean;
  /** Has an expansion outside double quotes, so its value may split into several words. */
  splits: boolean;
  /** Contains unquoted glob or brace-expansion syntax (`*`, `?`, `[…]`, `{…}`). */
  pattern: boolean;
}

export const emptyWord = (): BashWord => ({ text: "", literal: "", head: "", quoted: false, dynamic: false, splits: false, pattern: false });

/** Thrown while scanning; the splitter turns it into `{parsed: false, reason}`. */
export class UnparseableCommand extends Error {}

/** Stands in for every `$(…)` and backtick substitution in a command's text. */
export const SUBSTITUTION_PLACEHOLDER = "$(...)";

/** A part's text; a command with here-documents only knows it once their bodies are read. */
export type PendingPart = string | (() => string);

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
const KEYWORDS = new Set([...PREFIX_KEYWORDS, ...CLOSING_KEYWORDS, ...UNSUPPORTED_KEYWORDS.keys(), "for", "in", "]]"]);
// Writing to these is harmless, so `cmd 2>/dev/null` is matched as `cmd`.
const HARMLESS_TARGETS = new Set(["/dev/null", "/dev/stdout", "/dev/stderr"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// A command name written with quotes is matched unquoted only when that reads back the same.
const PLAIN_NAME = /^[A-Za-z0-9_.\/+@%:,-]+$/;

/** The variable an assignment word (`NAME=…`, `NAME+=…`) sets, or null. */
export function assignedName(word: BashWord): string | null {
  const match = ASSIGNMENT.exec(word.text);
  return match ? match[0].replace(/\[.*$|\+?=$/, "") : null;
}

type Token = { text: string; word?: BashWord };

export class ScannedCommand {
  private readonly tokens: Token[] = [];
  private readonly writes: string[] = [];
  private readonly documents: HereDocument[] = [];
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

  get isEmpty(): boolean {
    return this.shape === "simple" && this.tokens.length === 0 && this.writes.length === 0;
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
    if (operator === "<" || operator === "<<<") return void this.tokens.push({ text: `${operator} ${target.text}` });
    if (operator === "<&") {
      if (duplicates) return;
      throw new UnparseableCommand(`unexpected redirection <&${target.text}`);
    }
    if (duplicates || (value !== null && HARMLESS_TARGETS.has(value))) return;
    const written = operator === "<>" ? "<>" : operator.endsWith(">>") ? ">>" : ">";
    this.writes.push(`${written} ${target.text}`);
  }

  /** A here-document stays in the command's text, its body after the command (as written). */
  addHereDocument(text: string, document: HereDocument): void {
    this.tokens.push({ text });
    this.documents.push(document);
  }

  /** The body, when this is `cat <<'EOF'` and nothing else: `$(…)` around it is a literal. */
  hereDocumentLiteral(): HereDocument | null {
    const [name, redirection, ...rest] = this.tokens;
    const isCat = name?.word !== undefined && !name.word.dynamic && name.word.literal === "cat";
    const only = this.shape === "simple" && rest.length === 0 && this.writes.length === 0 && this.documents.length === 1;
    return isCat && only && redirection?.word === undefined ? this.documents[0]! : null;
  }

  /** The words of a simple command (assignments and name included), for checks on its arguments. */
  words(): BashWord[] | null {
    if (this.shape !== "simple") return null;
    return this.tokens.flatMap((token) => (token.word ? [token.word] : []));
  }

  /** The parts this command contributes: its own text (if it runs anything) and its file writes. */
  parts(): PendingPart[] {
    if (this.shape === "for") this.checkForHeader();
    if (this.shape !== "simple" || this.tokens.length === 0) return [...this.writes];
    const text = this.commandText();
    const documents = this.documents;
    if (documents.length === 0) return [text, ...this.writes];
    const withBodies = () => text + documents.map((document) => `\n${document.body ?? ""}${document.delimiter}`).join("");
    return [withBodies, ...this.writes];
  }

  private commandText(): string {
    const texts: string[] = [];
    let named = false;
    for (const token of this.tokens) {
      const word = token.word;
      if (!word || named || ASSIGNMENT.test(word.text)) {
        if (word && !named && ASSIGNMENT.exec(word.text)?.[1] !== undefined) {
          throw new UnparseableCommand(`the array element assignment ${word.text.split("=")[0]}= is not parsed (its subscript is evaluated as arithmetic)`);
        }
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
    const risk = variableRisk(name.text);
    if (risk) throw new UnparseableCommand(`the loop for ${name.text} … is not parsed: ${risk}`);
  }
}

// The command name is matched after quote removal (`\rm`, `"rm"` and `r''m` all run rm),
// and refused when only run time can tell what it is. It stays quoted when unquoting
// would read back differently (spaces, `;`, `=`, reserved words), so every part can be
// scanned again as the same command (see partWords in bash-split.ts).
function commandName(word: BashWord): string {
  if (word.dynamic) throw new UnparseableCommand(`the command name ${word.text} is only known when it runs`);
  if (word.pattern) throw new UnparseableCommand(`the command name ${word.text} is a glob or brace pattern`);
  if (word.literal === "eval") throw new UnparseableCommand("eval runs a string as a new command");
  if (!word.quoted || !PLAIN_NAME.test(word.literal) || KEYWORDS.has(word.literal)) return word.text;
  return word.literal;
}
