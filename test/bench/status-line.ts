import { buildPrebuilt } from "../../src/prebuilt/build.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { formatTable, median, ms, p90, timeInterleaved } from "./measure.ts";
import type { BenchSection } from "./section.ts";

// `csm status-line` runs from tmux's status bar every few seconds: it should cost little
// more than starting Bun at all. bin/csm answers it inline (no bundle, no module), from the
// line a hub keeps in <state>/status-line; here that file is written as a hub writes it,
// with this process standing for the hub. The bundles are still built, as `bun install`
// leaves them, so bin/csm's ordinary path is what it would be.

const RUNS = 30;
const WARMUP = 3;
const GOAL_RATIO = 1.3;

export const statusLineSection: BenchSection = {
  name: "status-line",
  title: "csm status-line against bun -e 0",
  async run() {
    await using sandbox = await makeSandbox();
    const { statusFileText, statusLinePath } = await import("../../src/hub/status-summary.ts");
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const stateDir = `${sandbox.paths.stateHome}/csm`;
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(statusLinePath(stateDir), statusFileText(process.pid, "◆2 waiting ●3 working ○1 idle"));
    // A bundle that cannot be built leaves the command running from source, as bin/csm does.
    const built = await buildPrebuilt().catch((error: Error) => ({ bundles: 0, ms: 0, error: error.message.split("\n")[0] }));

    const csm = [process.execPath, `${import.meta.dir}/../../bin/csm`, "status-line"];
    const printed = Bun.spawnSync(csm, { env: sandbox.env }).stdout.toString();
    if (printed !== "◆2 waiting ●3 working ○1 idle\n") throw new Error(`csm status-line printed ${JSON.stringify(printed)}`);
    const [line, bun] = await timeInterleaved(
      [
        { label: "csm status-line", argv: csm },
        { label: "bun -e 0", argv: [process.execPath, "-e", "0"] },
      ],
      sandbox.env,
      { runs: RUNS, warmup: WARMUP },
    );
    const floor = median(bun!.samplesMs);
    const ratio = median(line!.samplesMs) / floor;
    const row = (t: typeof line) => [t!.label, ms(median(t!.samplesMs)), ms(p90(t!.samplesMs)), `${(median(t!.samplesMs) / floor).toFixed(2)}x`];
    return [
      "error" in built ? `no prebuilt bundles (${built.error}): both rows run from source` : `${built.bundles} prebuilt bundles built in ${ms(built.ms)}; ${RUNS} timed runs each after ${WARMUP} warm-up rounds`,
      "",
      formatTable(["command", "median", "p90", "/ bun -e 0"], [row(line), row(bun)]),
      "",
      `ratio (median): ${ratio.toFixed(2)}x bun -e 0; goal <= ${GOAL_RATIO}x: ${ratio <= GOAL_RATIO ? "met" : "NOT met"}`,
    ].join("\n");
  },
};
