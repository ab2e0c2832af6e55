import type { BunPlugin } from "bun";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { basename, dirname, relative, resolve } from "node:path";
import { processAlive } from "../shared/process-alive.ts";
import { COMMANDS } from "../cli/commands/registry.ts";

// `bun run build` (also run by `bun install`) bundles each command, with everything it
// can load, into one file of Bun bytecode under dist/prebuilt/. A command then starts
// from one file instead of parsing a dozen modules, which was most of what `csm list`
// cost above Bun itself (see `bun run bench list`).
//
// bin/csm runs a bundle only while it matches the sources exactly: built in this
// checkout, by this Bun, and every file it was built from still has the modification
// time recorded here. Any edit, checkout or pull makes it stale and the command runs
// from source, as if there were no bundle. A process runs one bundle or only sources,
// never a mix, so no module (and no class that `instanceof` checks) exists twice.
//
// Each bundle starts at cli/main.ts and holds what that command can load, lazily as in
// the sources, except other commands: main and the command table import every command,
// and a bundle for `list` carrying the dashboard would be slower to load than the
// sources. Those imports get a stub that says what happened; bin/csm picks the bundle by
// the command word, so a stub runs only if this file has a bug.
//
// CommonJS, because ESM hoists imports of packages (ssh2, neo-blessed) and would load
// them at start; packages stay outside the bundles and load from node_modules.

export const PREBUILT_DIR = "dist/prebuilt";

/** What bin/csm reads for a command word, from `<PREBUILT_DIR>/<word>.json`. */
export interface PrebuiltEntry {
  /** The checkout it was built in: bundles hold absolute paths to it. */
  root: string;
  /** Bytecode is specific to the Bun that made it. */
  bun: string;
  /** The bundle's file name in PREBUILT_DIR. */
  bundle: string;
  /** Each input (relative to root) and its mtime in ms when built. */
  inputs: Record<string, number>;
}

/** The file bin/csm reads for a command word ("" is the dashboard: plain `csm`). */
export const entryFile = (word: string) => `${word === "" ? "dashboard" : word}.json`;

const ROOT = Bun.fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const MAIN = `${ROOT}/src/cli/main.ts`;
const COMMAND_DIR = `${ROOT}/src/cli/commands/`;
const HOST_ROUTING = `${ROOT}/src/cli/host-routing.ts`;
/** Loaded by main for any command: `csm X --help`, `csm --version`. */
const ALWAYS = new Set(["help"]);

interface BundleSpec {
  /** Bundle file name without .js. */
  name: string;
  /** The command words bin/csm runs with this bundle. */
  words: string[];
  /** Command modules (file names without .ts) this bundle carries. */
  commands: Set<string>;
  routesToHosts: boolean;
}

export function bundleSpecs(): BundleSpec[] {
  const specs: BundleSpec[] = COMMANDS.map((command) => ({
    name: command.name,
    words: [command.name, ...(command.aliases ?? [])],
    commands: new Set([command.name, ...ALWAYS]),
    routesToHosts: command.remote === true,
  }));
  specs.push({ name: "dashboard", words: ["", "dashboard"], commands: new Set(["dashboard", ...ALWAYS]), routesToHosts: false });
  specs.find((spec) => spec.name === "help")!.words.push("--help", "-h", "--version", "-V", "version");
  return specs;
}

/** Replaces main's and the command table's imports of what this bundle does not carry. */
function leaveOut(spec: BundleSpec): BunPlugin {
  return {
    name: "csm-leave-out",
    setup(build) {
      build.onResolve({ filter: /\.ts$/ }, (args) => {
        if (args.kind !== "dynamic-import") return undefined;
        const target = resolve(dirname(args.importer), args.path);
        const command = target.startsWith(COMMAND_DIR) ? target.slice(COMMAND_DIR.length, -".ts".length) : null;
        const omit = (command !== null && !spec.commands.has(command)) || (target === HOST_ROUTING && !spec.routesToHosts);
        return omit ? { path: relative(ROOT, target), namespace: "csm-left-out" } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: "csm-left-out" }, (args) => ({
        loader: "js",
        contents: `throw new Error(${JSON.stringify(`the prebuilt bundle for \`${spec.name}\` does not carry ${args.path}; run from source with CSM_NO_PREBUILT=1 and report this`)});`,
      }));
    },
  };
}

async function buildOne(spec: BundleSpec, outDir: string, started: number): Promise<Record<string, number>> {
  const result = await Bun.build({
    entrypoints: [MAIN],
    outdir: outDir,
    naming: `${spec.name}.js`,
    target: "bun",
    format: "cjs",
    bytecode: true,
    packages: "external",
    metafile: true,
    plugins: [leaveOut(spec)],
    throw: false,
  });
  if (!result.success) throw new Error(`prebuilt bundle ${spec.name}: ${result.logs.map(String).join("\n")}`);
  const inputs: Record<string, number> = {};
  for (const input of Object.keys(result.metafile!.inputs)) {
    if (input.startsWith("csm-left-out:")) continue;
    // The metafile names inputs relative to the working directory.
    const path = relative(ROOT, resolve(input));
    if (path.startsWith("../") || !existsSync(`${ROOT}/${path}`)) throw new Error(`prebuilt bundle ${spec.name}: input ${input} is not a file of ${ROOT}`);
    const mtime = Bun.file(`${ROOT}/${path}`).lastModified;
    // Changed while the build read it: the bundle may hold either version, so it must
    // never count as fresh (no mtime is -1).
    inputs[path] = mtime >= started ? -1 : mtime;
  }
  return inputs;
}

/** Work directories of builds that were killed before they finished (their pid is gone). */
async function removeAbandoned(finalDir: string): Promise<void> {
  const parent = dirname(finalDir);
  const workName = new RegExp(`^${basename(finalDir)}\\.(\\d+)\\.(tmp|old)$`);
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    const pid = Number(workName.exec(name)?.[1]);
    if (pid && (pid === process.pid || !processAlive(pid))) await rm(`${parent}/${name}`, { recursive: true, force: true });
  }
}

/**
 * Builds every bundle into a fresh directory and then puts it in place, so a command
 * starting meanwhile sees either the old set or the new one.
 */
export async function buildPrebuilt(): Promise<{ bundles: number; ms: number }> {
  const started = performance.now();
  const startedAt = Date.now();
  const finalDir = `${ROOT}/${PREBUILT_DIR}`;
  const workDir = `${finalDir}.${process.pid}.tmp`;
  await removeAbandoned(finalDir);
  await mkdir(workDir, { recursive: true });
  const specs = bundleSpecs();
  try {
    for (const spec of specs) {
      const entry: PrebuiltEntry = { root: ROOT, bun: Bun.version, bundle: `${spec.name}.js`, inputs: await buildOne(spec, workDir, startedAt) };
      for (const word of spec.words) await writeFile(`${workDir}/${entryFile(word)}`, `${JSON.stringify(entry)}\n`);
    }
    const oldDir = `${finalDir}.${process.pid}.old`;
    await rename(finalDir, oldDir).catch(() => undefined);
    await rename(workDir, finalDir);
    await rm(oldDir, { recursive: true, force: true });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return { bundles: specs.length, ms: performance.now() - started };
}

if (import.meta.main) {
  try {
    const { bundles, ms } = await buildPrebuilt();
    console.log(`csm: ${bundles} prebuilt bundles in ${PREBUILT_DIR}/ (${(ms / 1000).toFixed(1)} s)`);
  } catch (error) {
    console.error(`csm: no prebuilt bundles: ${(error as Error).message}`);
    // From `bun install`: the bundles only make csm start sooner, so a Bun that cannot
    // build them, or a read-only checkout, must not stop the install.
    if (process.argv.includes("--optional")) console.error("csm: every command runs from source, which works the same, a few ms slower");
    else process.exitCode = 1;
  }
}
