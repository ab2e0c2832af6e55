import { DEFAULT_SESSION_MODE, SESSION_MODES, type SessionMode } from "../../config/session-mode.ts";
import { isValidName } from "../../shared/names.ts";
import { graphemes, printable, textWidth } from "../../shared/printable.ts";
import { esc, fit, paint, styled, truncate } from "./markup.ts";
import { wrapText } from "./wrap.ts";

// The create form (`c`) as a view model: its values, which field has the focus, and the
// error to show. Errors (from checking here or from the hub) stay in the form; the form
// stays open so the person can fix the field and submit again. A session starts from one of
// base (a new branch off it), branch (an existing one) or PR (fetched from remote), as
// `csm create --base/--branch/--pr` does. Mode is a choice, not text: Space switches it.

export const CREATE_FIELDS = ["name", "repo", "base", "branch", "pr", "remote", "mode", "prompt"] as const;
export type CreateField = (typeof CREATE_FIELDS)[number];
type TextField = Exclude<CreateField, "mode">;

export interface CreateDefaults {
  repo?: string | null;
  base?: string | null;
  /** The configured sessionMode. */
  mode?: SessionMode;
}

export interface CreateForm {
  values: Record<TextField, string>;
  mode: SessionMode;
  focus: CreateField;
  error: string | null;
  /** Submitted, waiting for the hub: further submits are ignored. */
  busy: boolean;
}

const LABELS: Record<CreateField, string> = { name: "Name", repo: "Repo", base: "Base", branch: "Branch", pr: "PR number", remote: "PR remote", mode: "Mode", prompt: "First prompt" };
const MODE_HELP: Record<SessionMode, string> = { native: "claude's own screen", headless: "claude -p, drawn by csm" };
const HINTS: Record<TextField, string> = {
  name: "letters, digits, . _ -",
  repo: "path of a git repository",
  base: "a new branch off this ref; empty: the current branch",
  branch: "or: work on this existing branch (local or on a remote)",
  pr: "or: fetch this pull/merge request into pr/N",
  remote: "where the PR is fetched from; empty: origin",
  prompt: "optional; sent once claude is up",
};
/** The fields that say what the worktree starts from: one of them at most. */
const START_FIELDS = ["base", "branch", "pr"] as const satisfies readonly CreateField[];

export function newCreateForm(defaults: CreateDefaults = {}): CreateForm {
  const values = { name: "", repo: defaults.repo ?? "", base: defaults.base ?? "", branch: "", pr: "", remote: "", prompt: "" };
  return { values, mode: defaults.mode ?? DEFAULT_SESSION_MODE, focus: "name", error: null, busy: false };
}

/** Typing edits the focused text field; on Mode it does nothing (Space switches it). */
export function editCreateField(form: CreateForm, edit: (value: string) => string): CreateForm {
  if (form.focus === "mode") return form;
  return { ...form, values: { ...form.values, [form.focus]: edit(form.values[form.focus]) }, error: null };
}

export function nextCreateMode(form: CreateForm): CreateForm {
  return { ...form, mode: SESSION_MODES[(SESSION_MODES.indexOf(form.mode) + 1) % SESSION_MODES.length]!, error: null };
}

export function focusCreateField(form: CreateForm, delta: number): CreateForm {
  const index = CREATE_FIELDS.indexOf(form.focus);
  const next = CREATE_FIELDS[(index + delta + CREATE_FIELDS.length) % CREATE_FIELDS.length]!;
  return { ...form, focus: next };
}

export interface CreateInput {
  name: string;
  repo?: string;
  base?: string;
  branch?: string;
  pr?: number;
  remote?: string;
  prompt?: string;
  mode: SessionMode;
}

/** What to send the hub, or the error to show (and the field to focus) instead. */
export function createInputOf(form: CreateForm): { input: CreateInput } | { error: string; field: CreateField } {
  const name = form.values.name.trim();
  if (name === "") return { error: "a session needs a name", field: "name" };
  if (!isValidName(name)) return { error: `"${name}" is not a valid name: use letters, digits, '.', '_' and '-', starting with a letter or digit`, field: "name" };
  const optional = (field: TextField) => (form.values[field].trim() === "" ? undefined : form.values[field].trim());
  const starts = START_FIELDS.filter((field) => optional(field) !== undefined);
  if (starts.length > 1) return { error: `fill one of Base, Branch and PR number, not ${starts.map((field) => LABELS[field]).join(" and ")}`, field: starts[1]! };
  const pr = optional("pr");
  // As `csm create --pr` reads it: digits only, so nothing but a number reaches a ref.
  if (pr !== undefined && !/^[1-9][0-9]{0,8}$/.test(pr)) return { error: `PR number must be a positive whole number (got "${pr}")`, field: "pr" };
  if (optional("remote") !== undefined && pr === undefined) return { error: "PR remote goes with a PR number; fill that too, or empty the remote", field: "remote" };
  return {
    input: {
      name,
      repo: optional("repo"),
      base: optional("base"),
      branch: optional("branch"),
      pr: pr === undefined ? undefined : Number(pr),
      remote: optional("remote"),
      prompt: form.values.prompt === "" ? undefined : form.values.prompt,
      mode: form.mode,
    },
  };
}

const LABEL_WIDTH = 15;

export function createFormView(form: CreateForm, width: number): string[] {
  const lines = [styled("bold", "New session"), ""];
  for (const field of CREATE_FIELDS) {
    const focused = field === form.focus;
    const label = fit(`${focused ? "›" : " "} ${LABELS[field]}`, LABEL_WIDTH);
    const valueWidth = Math.max(1, width - LABEL_WIDTH);
    if (field === "mode") {
      lines.push((focused ? styled("bold", label) : label) + truncate(modeChoice(form.mode, focused), valueWidth));
      continue;
    }
    const value = form.values[field];
    const shown = focused ? `${esc(value)}${styled("inverse", " ")}` : value === "" ? paint("gray", HINTS[field]) : esc(value);
    lines.push((focused ? styled("bold", label) : label) + truncateStart(shown, value, valueWidth, focused));
    if (field === "repo") lines.push(paint("gray", fit("", LABEL_WIDTH) + "Base, Branch, PR number: fill one at most"));
  }
  lines.push("");
  if (form.error) lines.push(...wrapText(`✗ ${form.error}`, width).map((row) => paint("red", row)));
  lines.push(paint("gray", form.busy ? "creating…" : "Tab next field · Enter create · Esc cancel"));
  return lines.map((line) => truncate(line, width));
}

function modeChoice(chosen: SessionMode, focused: boolean): string {
  const options = SESSION_MODES.map((mode) => (mode === chosen ? styled("inverse", ` ${mode} `) : ` ${mode} `)).join(" ");
  return `${options} ${paint("gray", focused ? `${MODE_HELP[chosen]} · Space switches` : MODE_HELP[chosen])}`;
}

/** While typing, the end of a long value is what matters: show its tail. */
function truncateStart(shown: string, value: string, width: number, focused: boolean): string {
  if (!focused || textWidth(printable(value)) + 1 <= width) return truncate(shown, width);
  // The tail that fits between the "…" and the cursor, by cells (a CJK character takes two).
  const parts = [...graphemes(printable(value))];
  let tail = "";
  for (let i = parts.length - 1; i >= 0 && textWidth(parts[i]! + tail) <= width - 2; i--) tail = parts[i]! + tail;
  return `…${esc(tail)}${styled("inverse", " ")}`;
}
