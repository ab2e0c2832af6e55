import { posix } from "node:path";

// How a path in a tool's input becomes what path rules are matched against.
//
// Without a `realPath` the path is resolved against the worktree and normalised as
// text. With one (the hub passes a resolver that reads the disk, see host/real-path.ts)
// rules decide on where the path really leads: `src/out/x` through a link
// `src/out -> /elsewhere` is `/elsewhere/x`, outside the worktree, so no worktree-relative
// rule allows it. The worktree itself is resolved too, so one reached through a linked
// directory (/tmp -> /private/tmp) still contains its own files.
//
// A path can thus have up to three forms, and rules must agree on all that matter:
// - the real path (`absolute`, `relative`): where the tool's write lands; allows match it;
// - `alternate`: with `..` in the path, the real path of its text-normalised form, for
//   tools that normalise `..` before opening (`src/link/..` is src for them, the link
//   target's parent for the kernel); an allow must match it too;
// - `written`: the path as written, normalised; denies and asks match it as well, so
//   a deny of `src/generated/**` or `/etc/**` still holds when a link (or /etc ->
//   /private/etc) leads elsewhere.

export interface PathForm {
  /** Resolved and normalised absolute path. */
  absolute: string;
  /** Relative to the worktree (`.` for the worktree itself), or null when outside it. */
  relative: string | null;
}

export interface PathSubject extends PathForm {
  kind: "path";
  field: string;
  /** As written, normalised as text; present only when it differs from the real path. */
  written?: PathForm;
  /** The real path of the text-normalised form; present only when it differs from the real path. */
  alternate?: PathForm;
}

/** Resolves an absolute path on disk (symlinks and `..` as the kernel would); throws when it cannot. */
export type RealPath = (absolutePath: string) => string;

/** The worktree a request's paths are resolved in. */
export class PathResolver {
  readonly root: string;
  private realRootCache: string | undefined;

  constructor(
    worktree: string,
    private readonly realPath?: RealPath,
  ) {
    this.root = posix.resolve(worktree);
  }

  /**
   * `value` resolved against `base` (an absolute path, not necessarily normalised) as a
   * subject of `field`, or the reason it cannot be. `suffix` is appended after resolving:
   * a glob's magic part, which names no file on disk.
   */
  resolve(field: string, value: string, base: string, suffix = ""): PathSubject | string {
    // `~` is expanded by some tools and not by others; rather than guess, such paths are asked.
    if (value.startsWith("~")) return `${field} ${JSON.stringify(value)} starts with ~, which csm does not expand`;
    const joined = value.startsWith("/") ? value : `${base}/${value}`;
    const written = formOf(posix.join(posix.resolve(joined), suffix), this.root);
    if (!this.realPath) return { kind: "path", field, ...written };
    try {
      const realRoot = this.realRoot();
      const real = formOf(posix.join(this.realPath(joined), suffix), realRoot);
      const subject: PathSubject = { kind: "path", field, ...real };
      if (written.absolute !== real.absolute) subject.written = written;
      if (joined.split("/").includes("..")) {
        const alternate = formOf(posix.join(this.realPath(posix.resolve(joined)), suffix), realRoot);
        if (alternate.absolute !== real.absolute) subject.alternate = alternate;
      }
      return subject;
    } catch (error) {
      return `${field} ${JSON.stringify(value)}: ${(error as Error).message}`;
    }
  }

  /** Whether paths are resolved on disk, where a `..` after a glob's wildcard could climb out of a link. */
  get followsLinks(): boolean {
    return this.realPath !== undefined;
  }

  private realRoot(): string {
    this.realRootCache ??= this.realPath!(this.root);
    return this.realRootCache;
  }
}

/** Every form an allow must match: where the path can land. */
export function landingForms(subject: PathSubject): PathSubject[] {
  return subject.alternate ? [subject, { ...subject, ...subject.alternate }] : [subject];
}

/** Every form a deny or an ask matches: where it can land and how it was written. */
export function allForms(subject: PathSubject): PathSubject[] {
  return subject.written ? [...landingForms(subject), { ...subject, ...subject.written }] : landingForms(subject);
}

/** How a path is shown to a person: relative inside the worktree, else absolute; `written → real` through a link. */
export function describePath(subject: PathSubject): string {
  const shown = (form: PathForm) => form.relative ?? form.absolute;
  const real = shown(subject);
  return subject.written && shown(subject.written) !== real ? `${shown(subject.written)} → ${real}` : real;
}

function formOf(absolute: string, root: string): PathForm {
  const relative = posix.relative(root, absolute);
  const outside = relative === ".." || relative.startsWith("../");
  return { absolute, relative: outside ? null : relative || "." };
}
