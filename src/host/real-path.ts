import { lstatSync, readlinkSync } from "node:fs";
import { CsmError } from "../shared/errors.ts";

// Where a path really leads on this machine, for path rules (see core/rules): a rule that
// allows `src/**` must not allow a write through a committed link `src/out -> /elsewhere`.
//
// The path is walked one component at a time, as the kernel does, because `..` after a
// symlink climbs from the link's target, not from the link (`src/link/../x` is the
// target's sibling). realpath(3) alone will not do: the file, even its directories, may
// not exist yet. Missing components are taken as written, as `mkdir -p` would create
// them; a `..` that climbs back out of them resumes the walk on what exists. A dangling
// link leads to its target, because writing through it creates the target.
//
// What cannot be resolved (a link loop, a directory csm may not read) throws
// PathUnresolvable rather than guessing: the rules engine then has no path to match and
// the request goes to a person.

/** Linux's limit of links followed for one path (MAXSYMLINKS). */
const MAX_LINKS = 40;

export const pathUnresolvableError = (path: string, why: string) =>
  new CsmError("PathUnresolvable", `cannot tell where ${JSON.stringify(path)} leads: ${why}`, { data: { path } });

/** The real absolute path `path` (absolute, not necessarily normalised) leads to; throws PathUnresolvable. */
export function resolveRealPath(path: string): string {
  if (!path.startsWith("/")) throw pathUnresolvableError(path, "it is not absolute");
  // Components still to walk, the next one last, so a link's target is pushed in front.
  const pending = components(path).reverse();
  const done: string[] = [];
  // How many trailing components of `done` do not exist: those are not looked up again.
  let missing = 0;
  let links = 0;
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name === "..") {
      done.pop();
      missing = Math.max(0, missing - 1);
      continue;
    }
    if (missing > 0) {
      done.push(name);
      missing++;
      continue;
    }
    const here = `/${[...done, name].join("/")}`;
    const target = linkTarget(here, path);
    if (target === undefined) {
      done.push(name);
      missing = 1;
    } else if (target === null) {
      done.push(name);
    } else {
      if (++links > MAX_LINKS) throw pathUnresolvableError(path, `more than ${MAX_LINKS} symbolic links (a loop?)`);
      if (target.startsWith("/")) done.length = 0;
      pending.push(...components(target).reverse());
    }
  }
  return `/${done.join("/")}`;
}

function components(path: string): string[] {
  return path.split("/").filter((part) => part !== "" && part !== ".");
}

/** A link's target, null for anything else that exists, undefined when nothing is there. */
function linkTarget(here: string, path: string): string | null | undefined {
  try {
    if (!lstatSync(here).isSymbolicLink()) return null;
    return readlinkSync(here);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a component is a file, so nothing can be below it; taken as missing.
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw pathUnresolvableError(path, `${here}: ${code ?? (error as Error).message}`);
  }
}
