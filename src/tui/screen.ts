import blessed, { type Screen } from "neo-blessed";
import { printable } from "../shared/printable.ts";
import { terminalAlert } from "../core/notify/terminal-alert.ts";
import { boxWidthFor, teachBlessedWidths } from "./blessed-widths.ts";
import type { TuiModel } from "./model.ts";
import { dashboardView } from "./views/dashboard.ts";
import { withoutColour } from "./views/markup.ts";

// The blessed wiring, and nothing else: one full-screen box of tagged lines drawn from
// the model, keys handed on, the terminal restored however csm ends.

export interface DashboardScreen {
  draw(model: TuiModel): void;
  onKey(handler: (full: string, ch: string | undefined) => void): void;
  onResize(handler: () => void): void;
  size(): { width: number; height: number };
  /** A bell and an OSC 9/777 desktop notification (the text is made safe in terminalAlert). */
  alert(title: string, message: string): void;
  /** Gives the terminal to `work` (tmux attach) and takes it back afterwards. */
  suspended<T>(work: () => Promise<T>): Promise<T>;
  destroy(): void;
}

export function openScreen(options: { noColour: boolean }): DashboardScreen {
  teachBlessedWidths();
  const screen: Screen = blessed.screen({ smartCSR: true, fullUnicode: true, forceUnicode: true, title: "csm", autoPadding: false, warnings: false });
  // Real UTF-8, not the terminal's line-drawing set: blessed would otherwise send "◆" as
  // an ACS "`", which tmux and every UTF-8 terminal can show as it is.
  screen.tput.brokenACS = true;
  // Without a terminfo entry for TERM (tmux-256color needs ncurses-term) blessed falls
  // back to 8 colours, where its gray is black: invisible on a dark terminal.
  if (screen.tput.colors < 256 && (/256col/.test(process.env.TERM ?? "") || /truecolor|24bit/.test(process.env.COLORTERM ?? ""))) screen.tput.colors = 256;
  const gray = screen.tput.colors >= 256 ? (line: string) => line : (line: string) => line.replaceAll("{gray-fg}", "{white-fg}").replaceAll("{/gray-fg}", "{/white-fg}");
  // The views fit every line to the width themselves; blessed must not wrap them again.
  const box = blessed.box({ top: 0, left: 0, width: "100%", height: "100%", tags: true, wrap: false });
  screen.append(box);

  // For `bun run bench`: when each frame was drawn, to measure event → frame.
  const trace = process.env.CSM_TRACE_FRAMES;
  const { appendFileSync } = trace ? (require("node:fs") as typeof import("node:fs")) : { appendFileSync: null };
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    screen.destroy();
  };
  // The terminal is always given back: on a signal, and on a crash (after saying why).
  for (const signal of ["SIGTERM", "SIGHUP"] as const) process.once(signal, () => (destroy(), process.exit(0)));
  process.once("uncaughtException", (error) => {
    destroy();
    process.stderr.write(`csm: the dashboard crashed: ${error.stack ?? error}\n`);
    process.exit(1);
  });

  return {
    draw(model) {
      if (destroyed) return;
      // The views escape what they did not write; printable once more here means nothing
      // that came from elsewhere can reach the terminal even if a view forgot.
      const lines = dashboardView(model, new Date(), screen.width, screen.height).map((line) => printable(line));
      (box as unknown as { width: number }).width = boxWidthFor(lines, screen.width);
      box.setContent((options.noColour ? lines.map(withoutColour) : lines.map(gray)).join("\n"));
      screen.render();
      if (trace && appendFileSync) appendFileSync(trace, `${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
    },
    onKey(handler) {
      screen.on("keypress", (ch, key) => handler(key.full, ch));
    },
    alert(title, message) {
      if (destroyed) return;
      // Through blessed's own buffer, so it never lands inside a frame being written.
      (screen.program as unknown as { _write(text: string): void })._write(terminalAlert(title, message, { TERM: process.env.TERM, TMUX: process.env.TMUX, VTE_VERSION: process.env.VTE_VERSION }));
    },
    onResize(handler) {
      screen.on("resize", handler);
    },
    size: () => ({ width: screen.width, height: screen.height }),
    async suspended(work) {
      const resume = screen.program.pause();
      try {
        return await work();
      } finally {
        resume();
        screen.alloc();
        screen.render();
      }
    },
    destroy,
  };
}
