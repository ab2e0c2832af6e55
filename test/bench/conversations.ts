import { conversationIndexPath } from "../../src/config/paths.ts";
import { mkdir, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { buildPrebuilt } from "../../src/prebuilt/build.ts";
import { CSM_ENTRY, makeSandbox } from "../helpers/sandbox.ts";
import { formatTable, median, ms, percentile } from "./measure.ts";
import type { BenchSection } from "./section.ts";
import { BENCH_QUERIES, cachedTranscriptCorpus, growTranscript } from "./transcript-corpus.ts";

// The conversation index (`csm history`, `csm search`) over a generated corpus of
// transcripts shaped like claude's (see transcript-corpus.ts): indexing from nothing,
// re-checking an unchanged corpus, catching up after a few files grew, and searching,
// against grep over the same files: first with no hub (the CLI checks freshness itself),
// then with a hub whose indexer keeps the index fresh.
// CSM_BENCH_CONVERSATIONS_FILES=200 runs it on a small corpus while iterating.

const FILES = Number(process.env.CSM_BENCH_CONVERSATIONS_FILES ?? 10_000);
const GROWN = 10;
const RUNS = 5;
const GOALS = { coldMs: 15_000, warmMs: 300, searchP50Ms: 30, grepRatio: 20, indexPercent: 35 };
const COLD_TIMEOUT_MS = 600_000;

interface Run {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<Run> {
  const started = performance.now();
  const child = Bun.spawn(argv, { env, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: timeoutMs, killSignal: "SIGKILL" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { ms: performance.now() - started, code, stdout, stderr };
}

const csmArgv = (args: string[]) => [process.execPath, CSM_ENTRY, ...args];

/** Runs csm; a command that does not exist yet gets its own message, any other failure its stderr. */
async function csm(args: string[], env: Record<string, string>, timeoutMs?: number): Promise<Run> {
  const result = await run(csmArgv(args), env, timeoutMs);
  // `csm search` exits 1 when nothing matched, as grep does.
  if (result.code === 0 || (args[0] === "search" && result.code === 1 && result.stderr === "")) return result;
  if (/unknown command/i.test(result.stderr)) {
    throw new Error(`\`csm ${args[0]}\` does not exist yet (${result.stderr.trim()}); this section measures the conversation index and runs once \`csm history\` and \`csm search\` land`);
  }
  throw new Error(`csm ${args.join(" ")} exited ${result.code}${result.ms >= (timeoutMs ?? 120_000) ? " (killed: timed out)" : ""}\n${result.stderr.trim()}\n${result.stdout.slice(0, 500)}`);
}

/** The conversations a `--json` listing holds: the array itself, or the first array in it. */
function listed(stdout: string): unknown[] {
  const value = JSON.parse(stdout) as unknown;
  if (Array.isArray(value)) return value;
  const inner = Object.values(value as object).find(Array.isArray);
  if (!inner) throw new Error(`csm history --json printed no list: ${stdout.slice(0, 200)}`);
  return inner;
}

/** grep and rg exit 1 when nothing matched: a result, not a failure. */
async function reference(argv: string[], env: Record<string, string>): Promise<{ ms: number; files: number }> {
  const result = await run(argv, env);
  if (result.code > 1) throw new Error(`${argv.join(" ")} exited ${result.code}: ${result.stderr.trim()}`);
  return { ms: result.ms, files: result.stdout.split("\n").filter(Boolean).length };
}

async function dirBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const sizes = await Promise.all(entries.filter((entry) => entry.isFile()).map((entry) => stat(join(entry.parentPath, entry.name)).then((s) => s.size)));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Ten transcripts spread over the projects, to append to. */
async function transcriptsToGrow(projectsDir: string): Promise<string[]> {
  const projects = (await readdir(projectsDir)).sort();
  const picked = Array.from({ length: GROWN }, (_, i) => projects[Math.floor((i * projects.length) / GROWN)]!);
  return Promise.all(picked.map(async (project) => join(projectsDir, project, (await readdir(join(projectsDir, project))).filter((f) => f.endsWith(".jsonl")).sort()[0]!)));
}

/** Runs `work` while a hub of this sandbox runs, once its indexer has said the index is fresh. */
async function withHub<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const hub = Bun.spawn(csmArgv(["server"]), { env, stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  try {
    const deadline = Date.now() + 120_000;
    const index = conversationIndexPath({ cacheDir: join(env.XDG_CACHE_HOME!, "csm") }, env.CLAUDE_CONFIG_DIR!);
    const { Database } = await import("bun:sqlite");
    for (;;) {
      if (Date.now() > deadline) throw new Error("the hub's indexer gave no heartbeat within 120 s");
      await Bun.sleep(200);
      try {
        const db = new Database(index, { readonly: true });
        const beat = db.query("SELECT value FROM meta WHERE key = 'watcher_heartbeat'").get() as { value: string } | null;
        db.close();
        if (beat && Date.now() - Number(beat.value) < 5_000) break;
      } catch {
        // Not made yet.
      }
    }
    return await work();
  } finally {
    hub.kill("SIGTERM");
    await hub.exited;
  }
}

const verdict = (met: boolean) => (met ? "met" : "NOT met");
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export const conversationsSection: BenchSection = {
  name: "conversations",
  title: `csm history and csm search over ${FILES.toLocaleString("en")} generated transcripts, against grep`,
  async run() {
    const built = await buildPrebuilt();
    await using sandbox = await makeSandbox();
    delete sandbox.env.FAKE_CLAUDE_LOG;
    const configDir = join(sandbox.paths.root, "claude-config");
    const cacheHome = join(sandbox.paths.root, "cache");
    const env = { ...sandbox.env, CLAUDE_CONFIG_DIR: configDir, XDG_CACHE_HOME: cacheHome };

    // Fail before writing a gigabyte when the commands are not there yet.
    const emptyConfig = join(sandbox.paths.root, "empty-claude-config");
    await mkdir(join(emptyConfig, "projects"), { recursive: true });
    const probeEnv = { ...env, CLAUDE_CONFIG_DIR: emptyConfig, XDG_CACHE_HOME: join(sandbox.paths.root, "probe-cache") };
    await csm(["history", "--limit", "1", "--json"], probeEnv);
    await csm(["search", "probe"], probeEnv);

    const corpus = await cachedTranscriptCorpus(FILES);
    // Hard links: a copy for the sandbox in milliseconds; growTranscript replaces a file
    // instead of writing into it, so the cached corpus stays as generated.
    const linkStarted = performance.now();
    const linked = await run(["cp", "-al", corpus.configDir, configDir], env);
    if (linked.code !== 0) await sandbox.run(["cp", "-a", corpus.configDir, configDir]);
    const linkMs = performance.now() - linkStarted;
    await mkdir(cacheHome, { recursive: true });
    const projectsDir = join(configDir, "projects");

    const cold = await csm(["history", "--limit", "50", "--json"], env, COLD_TIMEOUT_MS);
    const coldListed = listed(cold.stdout).length;
    if (coldListed === 0) throw new Error(`csm history --json listed no conversations from ${corpus.files} transcripts`);

    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) warm.push((await csm(["history", "--limit", "50"], env)).ms);

    const grown = await transcriptsToGrow(projectsDir);
    let grownBytes = 0;
    for (const [i, path] of grown.entries()) grownBytes += await growTranscript(path, 1000 + i, Date.now() - (GROWN - i) * 1000);
    const afterGrowth = await csm(["history", "--limit", "50", "--json"], env);
    const grownIds = grown.map((path) => path.slice(path.lastIndexOf("/") + 1, -".jsonl".length));
    const grownListed = grownIds.filter((id) => afterGrowth.stdout.includes(id)).length;

    // Interleaved rounds (every query, then every query again) after one untimed round.
    const searchMs = new Map(BENCH_QUERIES.map(({ query }) => [query, [] as number[]]));
    const searchHits = new Map<string, number>();
    for (let round = 0; round <= RUNS; round++) {
      for (const { query } of BENCH_QUERIES) {
        const result = await csm(["search", query], env);
        // Two lines a hit: the conversation, then the indented snippet.
        if (round === 0) searchHits.set(query, result.code === 0 ? result.stdout.split("\n").filter((line) => line && !line.startsWith(" ")).length : 0);
        else searchMs.get(query)!.push(result.ms);
      }
    }
    const history: number[] = [];
    for (let i = 0; i < RUNS; i++) history.push((await csm(["history", "--limit", "50"], env)).ms);

    // With a hub running (as it does for anyone with a csm session or the dashboard open),
    // its indexer keeps the index fresh and a search skips its own re-check.
    const hubbed = await withHub(env, async () => {
      const samples: number[] = [];
      for (let round = 0; round <= RUNS; round++) for (const { query } of BENCH_QUERIES) {
        const result = await csm(["search", query], env);
        if (round > 0) samples.push(result.ms);
      }
      const historyMs: number[] = [];
      for (let i = 0; i < RUNS; i++) historyMs.push((await csm(["history", "--limit", "50"], env)).ms);
      return { samples, historyMs };
    });

    const rg = Bun.which("rg");
    const grepMs: number[] = [];
    const rows: string[][] = [];
    for (const { query, kind } of BENCH_QUERIES) {
      const grep = await reference(["grep", "-rlF", "--", query, projectsDir], env);
      const ripgrep = rg ? await reference([rg, "-l", "-F", "--no-ignore", "--hidden", "--", query, projectsDir], env) : undefined;
      grepMs.push(grep.ms);
      const own = median(searchMs.get(query)!);
      rows.push([query, kind, String(grep.files), String(searchHits.get(query)), ms(own), ms(grep.ms), ripgrep ? ms(ripgrep.ms) : "-", `${(grep.ms / own).toFixed(1)}x`]);
    }

    const searchSamples = [...searchMs.values()].flat();
    const searchP50 = median(searchSamples);
    const grepRatio = median(grepMs) / searchP50;
    const hubP50 = median(hubbed.samples);
    const hubRatio = median(grepMs) / hubP50;
    const indexBytes = await dirBytes(join(cacheHome, "csm"));
    const corpusBytes = corpus.bytes + grownBytes;
    const indexPercent = (indexBytes / corpusBytes) * 100;
    const summary = [
      ["cold index: csm history --limit 50 --json, empty index", seconds(cold.ms), `<= ${seconds(GOALS.coldMs)}`, verdict(cold.ms <= GOALS.coldMs)],
      ["warm re-check: csm history --limit 50, nothing changed (median)", ms(median(warm)), `<= ${ms(GOALS.warmMs)}`, verdict(median(warm) <= GOALS.warmMs)],
      [`after ${GROWN} files grew: csm history --limit 50 --json`, ms(afterGrowth.ms), `<= ${ms(GOALS.warmMs)}`, verdict(afterGrowth.ms <= GOALS.warmMs)],
      [`csm search p50 (${searchSamples.length} runs, ${BENCH_QUERIES.length} queries)`, ms(searchP50), `<= ${ms(GOALS.searchP50Ms)}`, verdict(searchP50 <= GOALS.searchP50Ms)],
      ["csm search p99", ms(percentile(searchSamples, 0.99)), "", ""],
      ["csm history --limit 50 (median)", ms(median(history)), "", ""],
      ["grep -rlF p50 / csm search p50", `${grepRatio.toFixed(1)}x`, `>= ${GOALS.grepRatio}x`, verdict(grepRatio >= GOALS.grepRatio)],
      [`hub running: csm search p50 (${hubbed.samples.length} runs)`, ms(hubP50), `<= ${ms(GOALS.searchP50Ms)}`, verdict(hubP50 <= GOALS.searchP50Ms)],
      ["hub running: csm search p99", ms(percentile(hubbed.samples, 0.99)), "", ""],
      ["hub running: csm history --limit 50 (median)", ms(median(hubbed.historyMs)), "", ""],
      ["hub running: grep -rlF p50 / csm search p50", `${hubRatio.toFixed(1)}x`, `>= ${GOALS.grepRatio}x`, verdict(hubRatio >= GOALS.grepRatio)],
      [`index size (${mb(indexBytes)} of ${mb(corpusBytes)})`, `${indexPercent.toFixed(1)} %`, `<= ${GOALS.indexPercent} %`, verdict(indexPercent <= GOALS.indexPercent)],
    ];
    return [
      `${corpus.files} transcripts in ${corpus.projects} projects, ${mb(corpus.bytes)}, ${corpus.cached ? "cached" : `generated in ${seconds(corpus.generatedMs)}`} (${corpus.configDir}); linked into the sandbox in ${ms(linkMs)}; ${built.bundles} prebuilt bundles built in ${ms(built.ms)}`,
      `cold run listed ${coldListed}; after growth ${grownListed}/${GROWN} grown conversations in the first 50; no hub running (the CLI checks freshness itself)`,
      "",
      formatTable(["measure", "value", "goal", ""], summary),
      "",
      `per query: csm search median of ${RUNS} runs; grep -rlF${rg ? " and rg -l -F" : ""} one run each over the (page-cached) corpus${rg ? "" : "; rg not installed"}`,
      formatTable(["query", "kind", "grep files", "csm hits", "csm search", "grep", "rg", "grep / csm"], rows),
    ].join("\n");
  },
};
