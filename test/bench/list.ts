import { buildPrebuilt } from "../../src/prebuilt/build.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { formatTable, median, ms, p90, timeInterleaved, type Timing } from "./measure.ts";
import type { BenchSection } from "./section.ts";

// `csm list --json` with 50 sessions against its floor: the cost of starting Bun at all
// plus the one tmux query that list cannot avoid. Everything above the floor is csm's own.

const SESSIONS = 50;
const RUNS = 30;
const WARMUP = 3;
const GOAL_RATIO = 1.5;

async function createSessions(sandbox: Awaited<ReturnType<typeof makeSandbox>>, repo: string) {
  // One at a time: the section measures list, and setup should not depend on how well
  // parallel creates share the store.
  for (let i = 0; i < SESSIONS; i++) {
    const name = `bench-${String(i).padStart(2, "0")}`;
    const result = await sandbox.csm(["create", name, "--repo", repo, "--no-worktree"], { timeoutMs: 60_000 });
    if (result.code !== 0) throw new Error(`csm create ${name} exited ${result.code}: ${result.stderr.trim()}`);
  }
}

export const listSection: BenchSection = {
  name: "list",
  title: `csm list --json, ${SESSIONS} sessions, private tmux socket`,
  async run() {
    await using sandbox = await makeSandbox();
    const repo = await sandbox.makeRepo("bench");
    // The stand-in's launch log is not needed here; it would only add writes.
    delete sandbox.env.FAKE_CLAUDE_LOG;

    const createStarted = performance.now();
    await createSessions(sandbox, repo);
    const createMs = performance.now() - createStarted;

    // What `bun install` leaves: the prebuilt bundles, fresh (the sources may have changed since).
    const built = await buildPrebuilt();

    const listed = JSON.parse((await sandbox.csm(["list", "--json"])).stdout) as unknown[];
    if (listed.length !== SESSIONS) throw new Error(`csm list --json shows ${listed.length} sessions, expected ${SESSIONS}`);

    const csm = [process.execPath, `${import.meta.dir}/../../bin/csm`, "list", "--json"];
    const [list, fromSource, bun, tmux, hubClient, direct] = await timeInterleaved(
      [
        { label: "csm list --json", argv: csm },
        { label: "csm list --json, from source", argv: csm, env: { CSM_NO_PREBUILT: "1" } },
        { label: "bun -e 0", argv: [process.execPath, "-e", "0"] },
        { label: "tmux list-sessions", argv: ["tmux", "-L", sandbox.socket, "list-sessions"] },
        // Not csm: the least any implementation of each design can do (see the files).
        { label: "reference: minimal hub client", argv: [process.execPath, `${import.meta.dir}/list-reference/hub-client.ts`] },
        { label: "reference: minimal tmux + store", argv: [process.execPath, `${import.meta.dir}/list-reference/tmux-and-store.ts`] },
      ],
      sandbox.env,
      { runs: RUNS, warmup: WARMUP },
    );

    const floorMedian = median(bun!.samplesMs) + median(tmux!.samplesMs);
    const floorP90 = p90(bun!.samplesMs) + p90(tmux!.samplesMs);
    const ratio = median(list!.samplesMs) / floorMedian;
    /** One table row; `compared` adds the median's ratio to the floor. */
    const row = (timing: Timing, compared = false) => [
      timing.label,
      ms(median(timing.samplesMs)),
      ms(p90(timing.samplesMs)),
      compared ? `${(median(timing.samplesMs) / floorMedian).toFixed(2)}x` : "",
    ];
    const rows = [row(list!, true), row(fromSource!, true), row(bun!), row(tmux!), ["floor (bun + tmux)", ms(floorMedian), ms(floorP90), "1.00x"], row(hubClient!, true), row(direct!, true)];

    return [
      `${SESSIONS} sessions created in ${(createMs / 1000).toFixed(1)} s; ${built.bundles} prebuilt bundles built in ${ms(built.ms)}; ${RUNS} timed runs each after ${WARMUP} warm-up rounds`,
      "",
      formatTable(["command", "median", "p90", "/ floor"], rows),
      "",
      `ratio (median): ${ratio.toFixed(2)}x the floor; goal <= ${GOAL_RATIO}x: ${ratio <= GOAL_RATIO ? "met" : "NOT met"}`,
      `csm's own start-up above the minimal hub client: ${ms(median(list!.samplesMs) - median(hubClient!.samplesMs))}`,
    ].join("\n");
  },
};
