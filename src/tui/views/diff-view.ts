import type { DiffFile, DiffFileStatus } from "../../core/sessions/diff-types.ts";
import type { DiffTab } from "../diff-tab.ts";
import { selectedSession, type TuiModel } from "../model.ts";
import { esc, fit, paint, styled, truncate, type Colour } from "./markup.ts";
import { CURSOR_MARK } from "./theme.ts";

// The Diff tab: what the session changed against its base. A summary line, the changed
// files with their +/- counts (the selected one marked), then the selected file's diff,
// coloured, from its scroll position. File contents are foreign text: every line goes
// through `esc`, so nothing in a file can reach the terminal as a control sequence.

const STATUS_LOOK: Record<DiffFileStatus, { letter: string; colour: Colour }> = {
  added: { letter: "A", colour: "green" },
  untracked: { letter: "?", colour: "green" },
  modified: { letter: "M", colour: "yellow" },
  renamed: { letter: "R", colour: "cyan" },
  deleted: { letter: "D", colour: "red" },
  "type-changed": { letter: "T", colour: "magenta" },
};

/** The file list takes at most this share of the height; the diff gets the rest. */
const LIST_SHARE = 0.4;

export function diffView(model: TuiModel, width: number, height: number): string[] {
  const tab = model.diff;
  const session = selectedSession(model);
  if (!tab || !session) return [paint("gray", "No session selected.")];
  const title = `${styled("bold", esc(session.name))} ${paint("gray", `· diff against ${tab.stat?.baseRef ?? "its base"}`)}`;
  if (tab.error) return [title, paint("red", `✗ ${tab.error}`)].map((line) => truncate(line, width));
  if (!tab.stat) return [title, paint("gray", "Reading the diff…")].map((line) => truncate(line, width));
  const { stat } = tab;
  const summary = paint(
    "gray",
    `${stat.files.length} file${stat.files.length === 1 ? "" : "s"}, +${stat.added} -${stat.removed} · ${stat.ahead} commit${stat.ahead === 1 ? "" : "s"} ahead, ${stat.behind} behind`,
  );
  if (stat.files.length === 0) return [title, summary, paint("gray", "No changes against the base.")].map((line) => truncate(line, width));
  const listRows = Math.max(1, Math.min(stat.files.length, Math.floor((height - 3) * LIST_SHARE)));
  const start = Math.min(Math.max(0, tab.selected - Math.floor(listRows / 2)), Math.max(0, stat.files.length - listRows));
  const files = stat.files.slice(start, start + listRows).map((file, i) => fileLine(file, start + i === tab.selected, width));
  const room = Math.max(0, height - 3 - files.length);
  return [title, summary, ...files, rule(tab, width), ...fileDiffLines(tab, width, room)].map((line) => truncate(line, width));
}

function fileLine(file: DiffFile, selected: boolean, width: number): string {
  const look = STATUS_LOOK[file.status];
  const counts = file.binary ? paint("gray", "binary") : `${paint("green", `+${file.added}`)} ${paint("red", `-${file.removed}`)}`;
  const path = file.oldPath ? `${esc(file.oldPath)} → ${esc(file.path)}` : esc(file.path);
  const line = `${selected ? CURSOR_MARK : " "} ${paint(look.colour, look.letter)} ${fit(counts, 12)} ${path}`;
  return selected ? styled("bold", fit(line, width)) : line;
}

function rule(tab: DiffTab, width: number): string {
  const path = tab.stat?.files[tab.selected]?.path ?? "";
  return paint("gray", `── ${path} ${"─".repeat(Math.max(0, width - path.length - 4))}`);
}

function fileDiffLines(tab: DiffTab, width: number, room: number): string[] {
  const file = tab.stat?.files[tab.selected];
  if (!file) return [];
  if (file.binary) return [paint("gray", "a binary file: not shown")];
  if (!tab.file) return [paint("gray", "Reading the file's diff…")];
  return tab.file.diff
    .split("\n")
    .slice(tab.scroll, tab.scroll + room)
    .map((line) => diffLine(line, width));
}

function diffLine(line: string, width: number): string {
  const text = truncate(esc(line), width);
  if (line.startsWith("+++") || line.startsWith("---")) return styled("bold", text);
  if (line.startsWith("+")) return styled("green", text);
  if (line.startsWith("-")) return styled("red", text);
  if (line.startsWith("@@")) return styled("cyan", text);
  return text;
}
