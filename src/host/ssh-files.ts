import type { HostFiles, RunOptions, RunResult } from "./runner.ts";

// HostFiles on a remote host as small POSIX sh scripts run through the host's own `run`
// (so through remoteCommand): one round trip each, no SFTP subsystem needed on the
// server. Paths travel as positional parameters ("$1"), never inside the script text.
// A relative path is taken from the remote login directory; `~` is not expanded.

type Run = (argv: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** Exit status the scripts use for "the answer is no" (missing, already exists). */
const NO = 3;

const dirname = (path: string) => path.slice(0, Math.max(1, path.lastIndexOf("/")));
const octal = (mode: number) => {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new Error(`not a file mode: ${mode}`);
  return mode.toString(8);
};

export function remoteFiles(hostName: string, run: Run): HostFiles {
  const script = async (what: string, body: string, args: string[], input?: string): Promise<RunResult> => {
    const result = await run(["sh", "-c", body, "sh", ...args], input === undefined ? {} : { input });
    if (result.code !== 0 && result.code !== NO) {
      throw new Error(`${what} on ${hostName} failed (exit ${result.code}): ${result.stderr.trim() || "no error output"}`);
    }
    return result;
  };

  return {
    async exists(path) {
      return (await script(`checking ${path}`, `[ -e "$1" ] || exit ${NO}`, [path])).code === 0;
    },
    async mkdirp(path, mode) {
      const modeArgs = mode === undefined ? [] : ["-m", octal(mode)];
      await script(`creating directory ${path}`, `p=$1; shift; exec mkdir -p "$@" -- "$p"`, [path, ...modeArgs]);
    },
    async writeAtomic(path, content, mode = 0o644) {
      const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
      // The byte count is checked before the rename: a connection that drops mid-transfer ends
      // cat's input early, and a cut copy must never take the target's place.
      await script(
        `writing ${path}`,
        `mkdir -p -- "$1" && umask 077 && cat > "$2" && n=$(wc -c < "$2") && [ $n -eq "$5" ] && chmod "$4" -- "$2" && mv -f -- "$2" "$3" || { rm -f -- "$2"; exit 1; }`,
        [dirname(path), temporary, path, octal(mode), String(Buffer.byteLength(content))],
        content,
      );
    },
    async read(path) {
      const result = await script(`reading ${path}`, `[ -e "$1" ] || exit ${NO}; exec cat -- "$1"`, [path]);
      return result.code === 0 ? result.stdout : null;
    },
    async createExclusive(path, content) {
      // With noclobber (set -C) the shell opens the file with O_EXCL: the existence check
      // and the creation are one step, as with a local "wx" open.
      const result = await script(
        `creating ${path}`,
        `mkdir -p -- "$2" || exit 1; umask 077; set -C; if { cat > "$1"; } 2>/dev/null; then exit 0; fi; [ -e "$1" ] && exit ${NO}; echo "cannot create $1" >&2; exit 1`,
        [path, dirname(path)],
        content,
      );
      return result.code === 0;
    },
    async makeDirectoryExclusive(path) {
      const result = await script(`making directory ${path}`, `mkdir -- "$1" 2>/dev/null && exit 0; [ -e "$1" ] && exit ${NO}; echo "cannot make $1" >&2; exit 1`, [path]);
      return result.code === 0;
    },
    async copy(from, to) {
      await script(`copying ${from} to ${to}`, `mkdir -p -- "$3" && exec cp -- "$1" "$2"`, [from, to, dirname(to)]);
    },
    async remove(path) {
      await script(`removing ${path}`, `exec rm -rf -- "$1"`, [path]);
    },
    async realpath(path) {
      const result = await run(["realpath", "-e", "--", path]);
      // Strip only the newline realpath adds: a path may itself end in one.
      return result.code === 0 ? result.stdout.replace(/\n$/, "") : null;
    },
    async stamps(paths) {
      // Not asked of a remote host: its own csm keeps its caches (see core/sessions/diff.ts).
      return paths.map(() => null);
    },
  };
}
