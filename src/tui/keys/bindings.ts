import type { TuiModel } from "../model.ts";

// Keybindings are data: which keys, which action, what the help says, and when the action
// applies. The screen maps ActionName to handlers; the footer and the help screen are
// generated from the same records, so they cannot drift from what the keys do.

export const ACTION_NAMES = [
  "select-next",
  "select-prev",
  "open-detail",
  "back",
  "approve",
  "deny",
  "approve-always",
  "deny-always",
  "jump-to-pending",
  "create",
  "kill",
  "message",
  "reconnect",
  "interrupt",
  "attach",
  "attach-shell",
  "favourite",
  "filter",
  "refresh",
  "help",
  "quit",
  "submit",
  "next-field",
  "prev-field",
  "delete-char",
  "toggle-delete-branch",
  "toggle-force",
  "open-diff",
  "scroll-down",
  "scroll-up",
  "merge",
  "push",
  "next-merge-mode",
  "next-session-mode",
  "history",
  "open-conversation",
  "resume-conversation",
  "search-history",
  "archive",
  "open-archived",
  "rename",
] as const;

export type ActionName = (typeof ACTION_NAMES)[number];

/**
 * true: the action applies. A string: it would apply here but cannot now, and why (shown
 * dimmed in the footer, and as the notice when the key is pressed anyway). false: it does
 * not apply now at all (left out of the footer; still listed in help).
 */
export type Availability = boolean | string;

export interface KeyBinding {
  /** blessed key names, as `key.full` gives them: "j", "S-y" (Y), "enter", "escape", "space", "C-c", "?". */
  keys: string[];
  action: ActionName;
  /** A word or two for the footer. */
  label: string;
  /** A sentence for the help screen. */
  help: string;
  when: (model: TuiModel) => Availability;
  /** Kept out of the footer (it is in help): the footer has room for the common keys only. */
  footer?: false;
  /** How the footer writes the keys when not the first key alone ("↑↓" for moving). */
  footerKeys?: string;
}

export interface KeyTable {
  /** The help screen's heading for this table. */
  title: string;
  bindings: KeyBinding[];
}

const NAMES: Record<string, string> = {
  up: "↑",
  down: "↓",
  left: "←",
  right: "→",
  enter: "Enter",
  escape: "Esc",
  space: "Space",
  tab: "Tab",
  "S-tab": "S-Tab",
  backspace: "Backspace",
  "C-c": "Ctrl-C",
};

/** How a key is written for people: "S-y" is "Y", "escape" is "Esc". */
export function keyLabel(key: string): string {
  if (NAMES[key]) return NAMES[key]!;
  const shifted = /^S-([a-z])$/.exec(key);
  return shifted ? shifted[1]!.toUpperCase() : key;
}

export const keysLabel = (binding: KeyBinding) => binding.keys.map(keyLabel).join("/");
