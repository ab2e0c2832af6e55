// The page's keyboard shortcuts: the same keys as the terminal dashboard's tables
// (src/tui/keys/tables.ts; a unit test holds the two together), written as blessed names
// ("S-y" is Y, "C-n" is Ctrl-N). The help overlay is generated from these records.

export type WebMode = "list" | "detail" | "history";

export type WebAction =
  | "select-next"
  | "select-prev"
  | "open-detail"
  | "back"
  | "approve"
  | "deny"
  | "approve-always"
  | "deny-always"
  | "jump-to-pending"
  | "create"
  | "kill"
  | "message"
  | "interrupt"
  | "filter"
  | "history"
  | "search-history"
  | "refresh"
  | "help";

export interface WebBinding {
  keys: string[];
  action: WebAction;
  help: string;
}

const move: WebBinding[] = [
  { keys: ["down", "C-n"], action: "select-next", help: "Select the next session" },
  { keys: ["up", "C-p"], action: "select-prev", help: "Select the previous session" },
];

const sessionActions: WebBinding[] = [
  { keys: ["m"], action: "message", help: "Send a message to the session's claude" },
  { keys: ["i"], action: "interrupt", help: "Interrupt claude's current turn" },
  { keys: ["k"], action: "kill", help: "Kill the session (asks first)" },
];

export const approvalBindings: WebBinding[] = [
  { keys: ["y"], action: "approve", help: "Allow the oldest pending request" },
  { keys: ["n"], action: "deny", help: "Deny it (with the message typed in its box, if any)" },
  { keys: ["S-y"], action: "approve-always", help: "Allow it, and add a rule that allows such requests from now on" },
  { keys: ["S-n"], action: "deny-always", help: "Deny it, and add a rule that denies such requests from now on" },
];

const everywhere: WebBinding[] = [
  { keys: ["space"], action: "jump-to-pending", help: "Open the session whose request has waited longest" },
  { keys: ["?"], action: "help", help: "Show the keys" },
];

export const WEB_KEYS: Record<WebMode, WebBinding[]> = {
  list: [
    ...move,
    { keys: ["enter"], action: "open-detail", help: "Open the session: its live log and pending requests" },
    { keys: ["c"], action: "create", help: "Create a session" },
    ...sessionActions,
    { keys: ["/"], action: "filter", help: "Filter the list by name, host, status, branch or repo" },
    { keys: ["h"], action: "history", help: "Search every Claude conversation on every host" },
    { keys: ["escape"], action: "back", help: "Clear the filter" },
    { keys: ["r"], action: "refresh", help: "Fetch the sessions from the hub again" },
    ...everywhere,
  ],
  detail: [
    ...approvalBindings,
    { keys: ["escape"], action: "back", help: "Back to the session list" },
    ...move,
    ...sessionActions,
    { keys: ["r"], action: "refresh", help: "Fetch the session and its log again" },
    ...everywhere,
  ],
  history: [
    { keys: ["/"], action: "search-history", help: "Search every conversation's text" },
    { keys: ["escape"], action: "back", help: "Back to the session list" },
    { keys: ["?"], action: "help", help: "Show the keys" },
  ],
};

const NAMES: Record<string, string> = { ArrowDown: "down", ArrowUp: "up", Enter: "enter", Escape: "escape", " ": "space", Tab: "tab", Backspace: "backspace" };

/** A key press as a blessed key name, or null for one the tables cannot hold (Alt, Meta). */
/** What keyName reads of a KeyboardEvent (declared here: this file is also checked without DOM types). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

export function keyName(event: KeyPress): string | null {
  if (event.altKey || event.metaKey) return null;
  const named = NAMES[event.key];
  if (named) return event.shiftKey && named === "tab" ? "S-tab" : named;
  if (event.key.length !== 1) return null;
  const lower = event.key.toLowerCase();
  if (event.ctrlKey) return /^[a-z]$/.test(lower) ? `C-${lower}` : null;
  return /^[A-Z]$/.test(event.key) ? `S-${lower}` : event.key;
}

export function actionFor(mode: WebMode, key: string): WebAction | null {
  return WEB_KEYS[mode].find((binding) => binding.keys.includes(key))?.action ?? null;
}

/** "S-y" → "Y", "down" → "↓", as the help shows keys. */
export function keyLabel(key: string): string {
  const names: Record<string, string> = { down: "↓", up: "↑", enter: "Enter", escape: "Esc", space: "Space" };
  if (names[key]) return names[key]!;
  if (key.startsWith("C-")) return `Ctrl-${key.slice(2).toUpperCase()}`;
  return key.startsWith("S-") ? key.slice(2).toUpperCase() : key;
}
