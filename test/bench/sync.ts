import { readdirSync } from "node:fs";
import { join } from "node:path";
import { CSM_ENTRY, makeSandbox } from "../helpers/sandbox.ts";
import type { BenchSection } from "./section.ts";
import { cachedTranscriptCorpus, growTranscript } from "./transcript-corpus.ts";

// `csm sync push` over a generated corpus (1,000 transcripts, ~200 MB) into a bare repository
// on a local path: the first push, a push with nothing changed, and one after 5 transcripts grew.
// CSM_BENCH_SYNC_FILES=100 runs it small while iterating.

const FILES = Number(process.env.CSM_BENCH_SYNC_FILES ?? 1000);
const CHANGED = 5;
/** The generated corpus is ~117 KB a transcript; exchanges are added until it is this big. */
const TARGET_BYTES = Number(process.env.CSM_BENCH_SYNC_BYTES ?? 200e6);
const GOALS = { unchangedMs: 1000, changedMs: 2000 };

async function timed(argv: string[], env: Record<string, string>) {
  const started = performance.now();
  const child = Bun.spawn(argv, { env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`${argv.slice(2).join(" ")} failed: ${stderr}`);
  return { ms: performance.now() - started, stdout };
}

export const syncSection: BenchSection = {
  name: "sync",
  title: `csm sync push: ${FILES} conversations, then nothing changed, then ${CHANGED} grew`,
  async run() {
    const corpus = await cachedTranscriptCorpus(FILES);
    await using sb = await makeSandbox();
    const configDir = join(sb.paths.root, "claude");
    // Hard links: the corpus stays as generated (growTranscript writes a new file over a link).
    const copy = Bun.spawnSync(["cp", "-al", corpus.configDir, configDir]);
    if (copy.exitCode !== 0) throw new Error(`cp -al failed: ${copy.stderr}`);
    const projects = join(configDir, "projects");
    const all = readdirSync(projects).flatMap((dir) => readdirSync(join(projects, dir)).filter((f) => f.endsWith(".jsonl")).map((f) => join(projects, dir, f)));
    let bytes = corpus.bytes * (FILES / corpus.files);
    for (let i = 0; bytes < TARGET_BYTES * (FILES / 1000) && i < all.length * 10; i++) bytes += await growTranscript(all[i % all.length]!, 7_000 + i, Date.parse("2026-11-29T19:00:00Z") + i);
    const bare = join(sb.paths.root, "shared.git");
    Bun.spawnSync(["git", "init", "-q", "--bare", "-b", "main", bare]);
    await sb.writeConfig({ pathMap: { "{{SRC}}": "/home/dev/src", "{{WORK}}": "/home/dev/work" }, machineName: "bench" });
    const env = { ...sb.env, CLAUDE_CONFIG_DIR: configDir };
    const csm = (args: string[]) => timed([process.execPath, CSM_ENTRY, ...args], env);
    await csm(["sync", "init", bare]);
    const push = async () => {
      const { ms, stdout } = await csm(["sync", "push", "--json"]);
      const report = JSON.parse(stdout) as { written: unknown[]; bytesWritten: number };
      return { ms, written: report.written.length, bytes: report.bytesWritten };
    };
    const first = await push();
    const unchanged = await push();
    const grown = readdirSync(projects).slice(0, CHANGED).map((dir) => join(projects, dir, readdirSync(join(projects, dir)).find((f) => f.endsWith(".jsonl"))!));
    for (const [i, path] of grown.entries()) await growTranscript(path, 100 + i, Date.now());
    const changed = await push();
    const repoBytes = Number(Bun.spawnSync(["du", "-sb", bare]).stdout.toString().split("\t")[0]);
    const mark = (ms: number, goal: number) => `${ms.toFixed(0)} ms (goal ≤ ${goal} ms: ${ms <= goal ? "met" : "MISSED"})`;
    return [
      `corpus: ${corpus.files} transcripts, ${(bytes / 1e6).toFixed(0)} MB`,
      `first push:      ${first.ms.toFixed(0)} ms, ${first.written} conversations, ${(first.bytes / 1e6).toFixed(1)} MB written to the repo`,
      `no change:       ${mark(unchanged.ms, GOALS.unchangedMs)}, ${unchanged.written} conversations, ${unchanged.bytes} bytes written`,
      `${CHANGED} changed:       ${mark(changed.ms, GOALS.changedMs)}, ${changed.written} conversations, ${(changed.bytes / 1e6).toFixed(2)} MB written`,
      `bare repository: ${(repoBytes / 1e6).toFixed(0)} MB on disk`,
    ].join("\n");
  },
};
