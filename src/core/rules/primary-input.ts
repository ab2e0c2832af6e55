import { splitBashCommand } from "./bash-split.ts";
import { commandForms } from "./command-forms.ts";
import { describePath, PathResolver, type PathSubject, type RealPath } from "./path-subject.ts";

// What a rule's pattern is matched against, per tool. A request yields one or more
// subjects (a Bash command yields one per simple command, Grep its search pattern and its
// path); a rule must settle each of them, see evaluate.ts.
//
// Paths are resolved against the session's worktree (see path-subject.ts): as text, or
// on disk when the caller gives a `realPath`, so symlinks lead where they really lead.
// A path inside the worktree carries its relative form, which relative patterns are
// matched against; a path outside has none, so `src/../../etc/passwd` (= /…/etc/passwd)
// can only be matched by an absolute pattern.

export type SubjectKind = "text" | "path";

export interface TextSubject {
  kind: "text";
  /** The input field it came from, e.g. `command`, `url`. */
  field: string;
  value: string;
  /** Other spellings of the same command that deny and ask rules match too (see command-forms.ts). */
  forms?: string[];
}

export type { PathForm, PathSubject, RealPath } from "./path-subject.ts";

export type Subject = TextSubject | PathSubject;

export type PrimaryInput = { ok: true; subjects: Subject[] } | { ok: false; reason: string };

/** A glob segment that may match more than its own text (picomatch's specials and escapes). */
const GLOB_MAGIC = /[*?[\]{}()!+@\\]/;

export const FILE_TOOLS: ReadonlySet<string> = new Set(["Read", "Write", "Edit", "MultiEdit", "NotebookEdit"]);

/** The kinds of subject a tool's rule patterns can meet; `*` rules meet both. */
export function subjectKindsOf(tool: string): readonly SubjectKind[] {
  if (tool === "*" || tool === "Grep") return ["text", "path"];
  if (FILE_TOOLS.has(tool) || tool === "Glob") return ["path"];
  return ["text"];
}

export function primaryInput(toolName: string, input: unknown, worktree: string, realPath?: RealPath): PrimaryInput {
  if (!worktree.startsWith("/")) throw new Error(`worktree must be an absolute path (got ${JSON.stringify(worktree)})`);
  const paths = new PathResolver(worktree, realPath);
  const root = paths.root;
  const fields = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const field = (name: string): string | null => {
    const value = fields[name];
    return typeof value === "string" && value !== "" && !value.includes("\0") ? value : null;
  };
  const missing = (name: string): PrimaryInput => ({ ok: false, reason: `${toolName} input has no usable ${name}` });

  if (toolName === "Bash") {
    const command = fields.command;
    if (typeof command !== "string") return missing("command");
    const split = splitBashCommand(command);
    if (!split.parsed) return { ok: false, reason: `cannot split the command with confidence: ${split.reason}` };
    return { ok: true, subjects: split.commands.map((value) => ({ kind: "text", field: "command", value, forms: commandForms(value) })) };
  }
  if (FILE_TOOLS.has(toolName)) {
    const name = toolName === "NotebookEdit" && field("notebook_path") ? "notebook_path" : "file_path";
    const value = field(name);
    if (value === null) return missing(toolName === "NotebookEdit" ? "notebook_path or file_path" : name);
    return single(paths.resolve(name, value, root));
  }
  if (toolName === "Grep") {
    const pattern = field("pattern");
    if (pattern === null) return missing("pattern");
    const text: Subject = { kind: "text", field: "pattern", value: pattern };
    const path = field("path");
    // `glob` picks the files searched (rg's --glob: without a `/` it matches a name at any
    // depth), so it is a path subject like Glob's pattern: `**/.env` denied denies `glob: ".env"`.
    const glob = field("glob");
    if (glob !== null) {
      const files = globSubjects(glob.includes("/") ? glob : `**/${glob}`, path, paths);
      return files.ok ? { ok: true, subjects: [text, ...files.subjects] } : files;
    }
    if (path === null) return { ok: true, subjects: [text] };
    const resolved = paths.resolve("path", path, root);
    return typeof resolved === "string" ? { ok: false, reason: resolved } : { ok: true, subjects: [text, resolved] };
  }
  if (toolName === "Glob") return globSubjects(field("pattern"), field("path"), paths);
  if (toolName === "WebFetch") return textField("url", field("url"), missing);
  if (toolName === "WebSearch") return textField("query", field("query"), missing);
  let json: string | undefined;
  try {
    json = JSON.stringify(input ?? null);
  } catch {
    json = undefined;
  }
  if (json === undefined) return { ok: false, reason: `${toolName} input cannot be written as JSON` };
  return { ok: true, subjects: [{ kind: "text", field: "input", value: json }] };
}

/** How a subject is shown to a person: the relative path inside the worktree, else the absolute one. */
export function describeSubject(subject: Subject): string {
  return subject.kind === "text" ? subject.value : describePath(subject);
}

// Glob's pattern is a path glob relative to its `path`, so it is resolved like a path:
// `src/../../*` cannot pass for something inside `src`. A `..` that normalising cannot
// remove (inside braces or a segment such as `..*`) might still climb out, so it is asked.
// On disk, only the literal directories before the first wildcard are resolved (the rest
// names no file yet), and a `..` after a wildcard is asked: the wildcard may match a link.
function globSubjects(pattern: string | null, path: string | null, paths: PathResolver): PrimaryInput {
  if (pattern === null) return { ok: false, reason: "Glob input has no usable pattern" };
  const segments = pattern.split("/");
  const climbs = segments.some((segment) => segment.includes("..") && segment !== "..");
  if (climbs || (pattern.includes("..") && /[{}()]/.test(pattern))) {
    return { ok: false, reason: `Glob pattern ${JSON.stringify(pattern)} has a ".." csm cannot resolve` };
  }
  const firstMagic = paths.followsLinks ? segments.findIndex((segment) => GLOB_MAGIC.test(segment)) : -1;
  if (firstMagic >= 0 && segments.slice(firstMagic).includes("..")) {
    return { ok: false, reason: `Glob pattern ${JSON.stringify(pattern)} has a ".." after a wildcard, which a symlink could lead anywhere` };
  }
  const literal = firstMagic < 0 ? pattern : segments.slice(0, firstMagic).join("/") || (pattern.startsWith("/") ? "/" : ".");
  const magic = firstMagic < 0 ? "" : segments.slice(firstMagic).join("/");
  const base = path === null ? null : paths.resolve("path", path, paths.root);
  if (typeof base === "string") return { ok: false, reason: base };
  const baseWritten = path === null ? paths.root : path.startsWith("/") ? path : `${paths.root}/${path}`;
  const resolved = paths.resolve("pattern", literal, baseWritten, magic);
  if (typeof resolved === "string") return { ok: false, reason: resolved };
  return { ok: true, subjects: base ? [resolved, base] : [resolved] };
}

function single(subject: PathSubject | string): PrimaryInput {
  return typeof subject === "string" ? { ok: false, reason: subject } : { ok: true, subjects: [subject] };
}

function textField(name: string, value: string | null, missing: (name: string) => PrimaryInput): PrimaryInput {
  return value === null ? missing(name) : { ok: true, subjects: [{ kind: "text", field: name, value }] };
}
