import { isValidName } from "../../shared/names.ts";
import { graphemes, printable, textWidth } from "../../shared/printable.ts";
import { esc, fit, paint, styled, truncate } from "./markup.ts";
import { wrapText } from "./wrap.ts";

// The create form (`c`) as a view model: its values, which field has the focus, and the
// error to show. Errors (from checking here or from the hub) stay in the form; the form
// stays open so the person can fix the field and submit again. A session starts from one of
// base (a new branch off it), branch (an existing one) or PR (fetched from remote), as
// `csm create --base/--branch/--pr` does.

export const CREATE_FIELDS = ["name", "repo", "base", "branch", "pr", "remote", "prompt"] as const;
export type CreateField = (typeof CREATE_FIELDS)[number];

export interface CreateForm {
  values: Record<CreateField, string>;
  focus: CreateField;
  error: string | null;
  /** Submitted, waiting for the hub: further submits are ignored. */
  busy: boolean;
}

const LABELS: Record<CreateField, string> = { name: "Name", repo: "Repo", base: "Base", branch: "Branch", pr: "PR number", remote: "PR remote", prompt: "First prompt" };
const HINTS: Record<CreateField, string> = {
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

export function newCreateForm(defaults: { repo?: string | null; base?: string | null } = {}): CreateForm {
  const values = { name: "", repo: defaults.repo ?? "", base: defaults.base ?? "", branch: "", pr: "", remote: "", prompt: "" };
  return { values, focus: "name", error: null, busy: false };
}

export function editCreateField(form: CreateForm, edit: (value: string) => string): CreateForm {
  return { ...form, values: { ...form.values, [form.focus]: edit(form.values[form.focus]) }, error: null };
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
}

/** What to send the hub, or the error to show (and the field to focus) instead. */
export function createInputOf(form: CreateForm): { input: CreateInput } | { error: string; field: CreateField } {
  const name = form.values.name.trim();
  if (name === "") return { error: "a session needs a name", field: "name" };
  if (!isValidName(name)) return { error: `"${name}" is not a valid name: use letters, digits, '.', '_' and '-', starting with a letter or digit`, field: "name" };
  const optional = (field: CreateField) => (form.values[field].trim() === "" ? undefined : form.values[field].trim());
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

/** While typing, the end of a long value is what matters: show its tail. */
function truncateStart(shown: string, value: string, width: number, focused: boolean): string {
  if (!focused || textWidth(printable(value)) + 1 <= width) return truncate(shown, width);
  // The tail that fits between the "…" and the cursor, by cells (a CJK character takes two).
  const parts = [...graphemes(printable(value))];
  let tail = "";
  for (let i = parts.length - 1; i >= 0 && textWidth(parts[i]! + tail) <= width - 2; i--) tail = parts[i]! + tail;
  return `…${esc(tail)}${styled("inverse", " ")}`;
}
