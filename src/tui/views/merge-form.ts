import type { LiveSessionView } from "../../core/live/live-view.ts";
import { esc, paint, styled, truncate } from "./markup.ts";
import { wrapText } from "./wrap.ts";

// The merge dialog (`M`): land the session's branch on its base branch, in the repository's
// checkout of it. The hub refuses a dirty checkout, another branch checked out, uncommitted
// work in the session or a conflict, and changes nothing then; the refusal shows here, and
// the dialog stays open. After a merge the dashboard offers to kill the session.

export type MergeMode = "merge" | "squash" | "rebase";

export const MERGE_MODES: readonly MergeMode[] = ["merge", "squash", "rebase"];

const MODE_HELP: Record<MergeMode, string> = {
  merge: "fast-forward when it can, else a merge commit",
  squash: "one commit on the base with all of the session's changes",
  rebase: "the session's commits replayed on the base, then fast-forwarded",
};

export interface MergeForm {
  session: string;
  branch: string | null;
  target: string | null;
  mode: MergeMode;
  error: string | null;
  busy: boolean;
}

export function newMergeForm(session: LiveSessionView): MergeForm {
  return { session: session.name, branch: session.branch, target: session.baseRef, mode: "merge", error: null, busy: false };
}

export function nextMergeMode(form: MergeForm): MergeForm {
  return { ...form, mode: MERGE_MODES[(MERGE_MODES.indexOf(form.mode) + 1) % MERGE_MODES.length]!, error: null };
}

export function mergeFormView(form: MergeForm, width: number): string[] {
  const lines = [
    styled("bold", `Merge ${esc(form.session)}`),
    "",
    `${paint("gray", "branch  ")}${form.branch ? esc(form.branch) : paint("gray", "–")}`,
    `${paint("gray", "into    ")}${form.target ? esc(form.target) : paint("gray", "its base")} ${paint("gray", "(in the repository's own checkout, which must be clean and on it)")}`,
    "",
    ...MERGE_MODES.map((mode) => `${mode === form.mode ? styled("inverse", ` ${mode} `) : ` ${mode} `} ${paint("gray", MODE_HELP[mode])}`),
  ];
  if (form.busy) lines.push("", paint("yellow", "merging…"));
  if (form.error) lines.push("", ...wrapText(form.error, width - 2).map((row) => paint("red", row)));
  return lines.map((line) => truncate(line, width));
}
