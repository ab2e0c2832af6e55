import { posix } from "node:path";
import { splitBashCommand } from "./bash-split.ts";

// What a rule's pattern is matched against, per tool. A request yields one or more
// subjects (a Bash command yields one per simple command, Grep its search pattern and its
// path); a rule must settle each of them, see evaluate.ts.
//
// Paths are resolved against the session's worktree and normalised without touching the
// disk (so symlinks are not followed). A path inside the worktree carries its relative
// form, which relative patterns are matched against; a path outside has none, so
// `src/../../etc/passwd` (= /…/etc/passwd) can only be matched by an absolute pattern.

export type SubjectKind = "text" | "path";

export interface TextSubject {
  kind: "text";
  /** The input field it came from, e.g. `command`, `url`. */
  field: string;
  value: string;
}

export interface PathSubject {
  kind: "path";
  field: string;
  /** Resolved and normalised absolute path. */
  absolute: string;
  /** Relative to the worktree (`.` for the worktree itself), or null when outside it. */
  relative: string | null;
}

export type Subject = TextSubject | PathSubject;

export type PrimaryInput = { ok: true; subjects: Subject[] } | { ok: false; reason: string };

export const FILE_TOOLS: ReadonlySet<string> = new Set(["Read", "Write", "Edit", "MultiEdit", "NotebookEdit"]);

/** The kinds of subject a tool's rule patterns can meet; `*` rules meet both. */
export function subjectKindsOf(tool: string): readonly SubjectKind[] {
  if (tool === "*" || tool === "Grep") return ["text", "path"];
  if (FILE_TOOLS.has(tool) || tool === "Glob") return ["path"];
  return ["text"];
}

export function primaryInput(toolName: string, input: unknown, worktree: string): PrimaryInput {
  if (!worktree.startsWith("/")) throw new Error(`worktree must be an absolute path (got ${JSON.stringify(worktree)})`);
  const root = posix.resolve(worktree);
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
    return { ok: true, subjects: split.commands.map((value) => ({ kind: "text", field: "command", value })) };
  }
  if (FILE_TOOLS.has(toolName)) {
    const name = toolName === "NotebookEdit" && field("notebook_path") ? "notebook_path" : "file_path";
    const value = field(name);
    if (value === null) return missing(toolName === "NotebookEdit" ? "notebook_path or file_path" : name);
    return single(resolvePath(name, value, root, root));
  }
  if (toolName === "Grep") {
    const pattern = field("pattern");
    if (pattern === null) return missing("pattern");
    const text: Subject = { kind: "text", field: "pattern", value: pattern };
    const path = field("path");
    if (path === null) return { ok: true, subjects: [text] };
    const resolved = resolvePath("path", path, root, root);
    return typeof resolved === "string" ? { ok: false, reason: resolved } : { ok: true, subjects: [text, resolved] };
  }
  if (toolName === "Glob") return globSubjects(field("pattern"), field("path"), root);
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
  if (subject.kind === "text") return subject.value;
  return subject.relative ?? subject.absolute;
}

// `~` is expanded by some tools and not by others; rather than guess, such paths are asked.
function resolvePath(field: string, value: string, base: string, root: string): PathSubject | string {
  if (value.startsWith("~")) return `${field} ${JSON.stringify(value)} starts with ~, which csm does not expand`;
  const absolute = posix.resolve(base, value);
  const relative = posix.relative(root, absolute);
  const outside = relative === ".." || relative.startsWith("../");
  return { kind: "path", field, absolute, relative: outside ? null : relative || "." };
}

// Glob's pattern is a path glob relative to its `path`, so it is resolved like a path:
// `src/../../*` cannot pass for something inside `src`. A `..` that normalising cannot
// remove (inside braces or a segment such as `..*`) might still climb out, so it is asked.
function globSubjects(pattern: string | null, path: string | null, root: string): PrimaryInput {
  if (pattern === null) return { ok: false, reason: "Glob input has no usable pattern" };
  const climbs = pattern.split("/").some((segment) => segment.includes("..") && segment !== "..");
  if (climbs || (pattern.includes("..") && /[{}()]/.test(pattern))) {
    return { ok: false, reason: `Glob pattern ${JSON.stringify(pattern)} has a ".." csm cannot resolve` };
  }
  const base = path === null ? null : resolvePath("path", path, root, root);
  if (typeof base === "string") return { ok: false, reason: base };
  const resolved = resolvePath("pattern", pattern, base?.absolute ?? root, root);
  if (typeof resolved === "string") return { ok: false, reason: resolved };
  return { ok: true, subjects: base ? [resolved, base] : [resolved] };
}

function single(subject: PathSubject | string): PrimaryInput {
  return typeof subject === "string" ? { ok: false, reason: subject } : { ok: true, subjects: [subject] };
}

function textField(name: string, value: string | null, missing: (name: string) => PrimaryInput): PrimaryInput {
  return value === null ? missing(name) : { ok: true, subjects: [{ kind: "text", field: name, value }] };
}
