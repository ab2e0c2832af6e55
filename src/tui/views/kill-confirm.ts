import type { LiveSessionView } from "../../core/live/live-view.ts";
import { esc, paint, styled, truncate } from "./markup.ts";
import { wrapText } from "./wrap.ts";

// The kill dialog (`k`) as a view model. It says what will be removed before anything is.
// The hub refuses a worktree with uncommitted or unpushed work unless `force` is set; the
// refusal comes back into `error` (and `unsaved`), and the dialog stays open so the person
// can look, then tick force or cancel.

export interface UnsavedWork {
  uncommitted: string[];
  unpushed: string[];
}

export interface KillForm {
  session: string;
  tmuxSession: string;
  worktree: string | null;
  branch: string | null;
  /** A session run in the repo itself (no worktree of its own): nothing on disk is removed. */
  ownWorktree: boolean;
  deleteBranch: boolean;
  force: boolean;
  error: string | null;
  unsaved: UnsavedWork | null;
  busy: boolean;
}

export function newKillForm(session: LiveSessionView): KillForm {
  return {
    session: session.name,
    tmuxSession: session.tmuxSession,
    worktree: session.worktree,
    branch: session.branch,
    ownWorktree: session.worktree !== null && session.worktree !== session.repo,
    deleteBranch: false,
    force: false,
    error: null,
    unsaved: null,
    busy: false,
  };
}

export function toggleKillOption(form: KillForm, option: "deleteBranch" | "force"): KillForm {
  return { ...form, [option]: !form[option] };
}

/** What the dialog promises to remove, in the order the hub removes it. */
export function killTargets(form: KillForm): string[] {
  const targets = [`tmux session ${form.tmuxSession}`];
  if (form.ownWorktree && form.worktree) targets.push(`worktree ${form.worktree}`);
  if (form.deleteBranch && form.branch) targets.push(`branch ${form.branch} (if csm made it)`);
  return targets;
}

const checkbox = (on: boolean) => (on ? "[x]" : "[ ]");
const MAX_LISTED = 5;

export function killConfirmView(form: KillForm, width: number): string[] {
  const lines = [styled("bold", `Kill session ${esc(form.session)}?`), "", "This removes:"];
  lines.push(...killTargets(form).map((target) => `  • ${esc(target)}`));
  lines.push("");
  lines.push(`${checkbox(form.deleteBranch)} delete the branch too ${paint("gray", "(d)")}`);
  lines.push(`${checkbox(form.force)} force: remove even with uncommitted or unpushed work ${paint("gray", "(f)")}`);
  if (form.force) lines.push(paint("yellow", "  uncommitted changes and unpushed commits in the worktree will be lost"));
  if (form.error) {
    lines.push("");
    lines.push(...wrapText(`✗ ${form.error.split("\n")[0]}`, width).map((row) => paint("red", row)));
    if (form.unsaved) lines.push(...unsavedLines(form.unsaved));
  }
  lines.push("");
  lines.push(paint("gray", form.busy ? "killing…" : `Enter/y kill${form.force ? " (forced)" : ""} · d branch · f force · Esc/n cancel`));
  return lines.map((line) => truncate(line, width));
}

function unsavedLines(work: UnsavedWork): string[] {
  const list = (title: string, items: string[]) =>
    items.length === 0 ? [] : [title, ...items.slice(0, MAX_LISTED).map((item) => `  ${esc(item)}`), ...(items.length > MAX_LISTED ? [paint("gray", `  … ${items.length - MAX_LISTED} more`)] : [])];
  return [...list("uncommitted changes:", work.uncommitted), ...list("commits on no remote and not in the base:", work.unpushed)];
}
