import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildPrebuilt } from "../../src/prebuilt/build.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, worktreePath } from "../helpers/sessions.ts";
import { formatTable, median, ms, p90, timeInterleaved } from "./measure.ts";
import type { BenchSection } from "./section.ts";
import { diffTabFirstFrame } from "./diff-tab.ts";

// `csm diff NAME --stat --json` on a session that changed 2,000 files (committed,
// uncommitted and untracked) against `git diff --stat` alone in its worktree: the stat
// must stay a fixed handful of git calls, not one per file.

const BASE_FILES = 1300;
const COMMITTED = { modified: 600, renamed: 50, deleted: 50 };
const UNCOMMITTED = 600;
const UNTRACKED = 700;
/** Files edited before each run of the "edited" row, from the uncommitted ones. */
const EDITED = 5;
const UNCOMMITTED_FROM = COMMITTED.modified + COMMITTED.renamed + COMMITTED.deleted;
const CHANGED = COMMITTED.modified + COMMITTED.renamed + COMMITTED.deleted + UNCOMMITTED + UNTRACKED;
const RUNS = 10;
const WARMUP = 2;
const GOAL_RATIO = 1.5;

const fileName = (i: number) => join(`dir${i % 20}`, `file-${String(i).padStart(4, "0")}.txt`);
const content = (i: number, version: string) => Array.from({ length: 20 }, (_, line) => `${version} line ${line} of file ${i}\n`).join("");

async function writeFiles(root: string, indices: number[], version: string, name = fileName): Promise<void> {
  await Promise.all(indices.map((i) => writeFile(join(root, name(i)), content(i, version))));
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);

export const diffSection: BenchSection = {
  name: "diff",
  title: `csm diff --stat --json, ${CHANGED} changed files (committed, uncommitted, untracked), and the dashboard's Diff tab on them`,
  async run() {
    await using sandbox = await makeSandbox();
    delete sandbox.env.FAKE_CLAUDE_LOG;
    const setupStarted = performance.now();
    const repo = await sandbox.makeRepo("bench");
    await Promise.all(range(0, 20).map((d) => mkdir(join(repo, `dir${d}`), { recursive: true })));
    await writeFiles(repo, range(0, BASE_FILES), "base");
    await sandbox.git(repo, ["add", "."]);
    await sandbox.git(repo, ["commit", "-q", "-m", "base files"]);
    await createSession(sandbox, "big", repo);
    const worktree = worktreePath(sandbox, repo, "big");

    // Committed on the session's branch: edits, renames and deletions.
    let next = 0;
    const take = (count: number) => range((next += count) - count, count);
    await writeFiles(worktree, take(COMMITTED.modified), "committed");
    for (const i of take(COMMITTED.renamed)) await rename(join(worktree, fileName(i)), join(worktree, fileName(i).replace(".txt", ".moved.txt")));
    await Promise.all(take(COMMITTED.deleted).map((i) => rm(join(worktree, fileName(i)))));
    await sandbox.git(worktree, ["add", "-A"]);
    await sandbox.git(worktree, ["commit", "-q", "-m", "session work"]);
    // Not committed yet: other files edited, and new files git does not track.
    await writeFiles(worktree, take(UNCOMMITTED), "uncommitted");
    await writeFiles(worktree, range(0, UNTRACKED), "untracked", (i) => join(`dir${i % 20}`, `new-${i}.txt`));
    const setupMs = performance.now() - setupStarted;

    const built = await buildPrebuilt();
    const csm = [process.execPath, `${import.meta.dir}/../../bin/csm`, "diff", "big", "--stat", "--json"];
    const stat = JSON.parse((await sandbox.csm(["diff", "big", "--stat", "--json"])).stdout) as { files: unknown[] };
    if (stat.files.length !== CHANGED) throw new Error(`csm diff --stat lists ${stat.files.length} files, expected ${CHANGED}`);
    const mergeBase = await sandbox.git(worktree, ["merge-base", "main", "HEAD"]);

    // What csm keeps between stats (see core/sessions/working-tree-changes.ts): emptied for
    // the cold row; for the edited row, claude has just written a few files.
    const caches = ["big.json", "big.work.json"].map((file) => join(sandbox.paths.stateHome, "csm", "diff-cache", file));
    let edits = 0;
    const editFiles = () => writeFiles(worktree, range(UNCOMMITTED_FROM + (edits++ % 100) * EDITED, EDITED), `edit ${edits}`);
    const gitDiffStat = { label: "git diff --stat", argv: ["git", "-C", worktree, "diff", "--stat"] };
    // Nothing changed between stats here: a file edited less than a second before a stat is
    // counted again by the next one too (see working-tree-plan.ts), so edits are timed apart.
    const [diff, fromSource, gitStat, gitFull] = await timeInterleaved(
      [
        { label: "csm diff big --stat --json", argv: csm },
        { label: "csm diff, from source", argv: csm, env: { CSM_NO_PREBUILT: "1" } },
        gitDiffStat,
        // For reference: what covers the committed work too (untracked files still missing).
        { label: "git diff --stat MERGE_BASE", argv: ["git", "-C", worktree, "diff", "--stat", mergeBase] },
      ],
      sandbox.env,
      { runs: RUNS, warmup: WARMUP },
    );
    const [cold, edited] = await timeInterleaved(
      [
        { label: "csm diff, nothing cached", argv: csm, before: () => Promise.all(caches.map((file) => rm(file, { force: true }))) },
        { label: `csm diff, after ${EDITED} files were edited`, argv: csm, before: editFiles },
      ],
      sandbox.env,
      { runs: RUNS, warmup: WARMUP },
    );
    const floor = median(gitStat!.samplesMs);
    const row = (t: typeof diff) => [t!.label, ms(median(t!.samplesMs)), ms(p90(t!.samplesMs)), `${(median(t!.samplesMs) / floor).toFixed(2)}x`];
    const ratio = median(diff!.samplesMs) / floor;
    const coldRatio = median(cold!.samplesMs) / floor;
    const editedRatio = median(edited!.samplesMs) / floor;
    const tab = await diffTabFirstFrame(sandbox, "big", `${CHANGED} files`);
    return [
      `${CHANGED} changed files set up in ${(setupMs / 1000).toFixed(1)} s; ${built.bundles} prebuilt bundles built in ${ms(built.ms)}; ${RUNS} timed runs each after ${WARMUP} warm-up rounds`,
      "",
      formatTable(["command", "median", "p90", "/ git diff --stat"], [row(diff), row(cold), row(edited), row(fromSource), row(gitStat), row(gitFull)]),
      "",
      `ratio (median): ${ratio.toFixed(2)}x git diff --stat; goal <= ${GOAL_RATIO}x: ${ratio <= GOAL_RATIO ? "met" : "NOT met"}`,
      `nothing cached (a session's first stat): ${coldRatio.toFixed(2)}x; goal <= ${GOAL_RATIO}x: ${coldRatio <= GOAL_RATIO ? "met" : "NOT met"}`,
      `after ${EDITED} files were edited (the Diff tab's refresh while claude works): ${editedRatio.toFixed(2)}x; goal <= ${GOAL_RATIO}x: ${editedRatio <= GOAL_RATIO ? "met" : "NOT met"}`,
      // git diff --stat alone sees only uncommitted work; the same comparison csm makes costs git this much by itself.
      `against git's own diff from the merge base: ${(median(diff!.samplesMs) / median(gitFull!.samplesMs)).toFixed(2)}x`,
      "",
      tab.report,
    ].join("\n");
  },
};
