import type { Mode } from "../model.ts";
import { archiveEntryKeys, archiveKeys } from "./archive-keys.ts";
import { all, always, pendingElsewhere, canInterrupt, canReconnect, hasBranch, hasConversation, hasFilter, hasRequest, hasSession, hubUp, isRunning, notBusy, onCreateMode } from "./availability.ts";
import type { KeyBinding, KeyTable } from "./bindings.ts";
import { conversationKeys, historyKeys, historySearchKeys } from "./history-keys.ts";

// Every key csm's dashboard knows, by mode. `k` kills, as the issue asks, so moving up is
// ↑ or Ctrl-P (no vim j/k in the list; help scrolls with j/k, where nothing conflicts).

const session = all(hubUp, hasSession);

const sessionActions: KeyBinding[] = [
  { keys: ["m"], action: "message", label: "message", help: "Send a message to the session's claude", when: all(session, isRunning) },
  { keys: ["i"], action: "interrupt", label: "interrupt", help: "Interrupt claude's current turn", when: all(session, canInterrupt) },
  { keys: ["S-r"], action: "reconnect", label: "reconnect", help: "Start claude again in a dead session (resuming its conversation)", when: all(session, canReconnect) },
  { keys: ["a"], action: "attach", label: "attach", help: "Attach to the session's claude window in tmux", when: hasSession },
  { keys: ["t"], action: "attach-shell", label: "shell", help: "Attach to the session's shell window in tmux", when: hasSession, footer: false },
  { keys: ["k"], action: "kill", label: "kill", help: "Kill the session (asks first; can remove its worktree and branch)", when: session },
  { keys: ["f"], action: "favourite", label: "★", help: "Mark or unmark the session as a favourite", when: session, footer: false },
  { keys: ["S-m"], action: "merge", label: "merge", help: "Merge the session's branch into its base (asks first: merge, squash or rebase)", when: all(session, hasBranch), footer: false },
  { keys: ["S-p"], action: "push", label: "push", help: "Push the session's branch to origin, with upstream set", when: all(session, hasBranch), footer: false },
];

// Shown by the approval banner itself, so kept out of the footer.
export const approvalKeys: KeyTable = {
  title: "Approval (a session's pending request)",
  bindings: [
    { keys: ["y"], action: "approve", label: "allow", help: "Allow the request shown in the banner", when: all(hasRequest, hubUp), footer: false },
    { keys: ["n"], action: "deny", label: "deny", help: "Deny the request shown in the banner", when: all(hasRequest, hubUp), footer: false },
    { keys: ["S-y"], action: "approve-always", label: "always allow", help: "Allow it, and add a rule that allows such requests from now on", when: all(hasRequest, hubUp), footer: false },
    { keys: ["S-n"], action: "deny-always", label: "always deny", help: "Deny it, and add a rule that denies such requests from now on", when: all(hasRequest, hubUp), footer: false },
  ],
};

export const pendingKeys: KeyTable = {
  title: "Pending requests",
  bindings: [{ keys: ["space"], action: "jump-to-pending", label: "oldest request", help: "Open the session whose request has waited longest", when: pendingElsewhere }],
};

export const listKeys: KeyTable = {
  title: "Session list",
  bindings: [
    { keys: ["down", "C-n"], action: "select-next", label: "move", help: "Select the next session", when: always, footerKeys: "↑↓" },
    { keys: ["up", "C-p"], action: "select-prev", label: "move", help: "Select the previous session", when: always, footer: false },
    { keys: ["enter"], action: "open-detail", label: "open", help: "Open the session: info, paths, live log, pending requests", when: hasSession },
    { keys: ["c"], action: "create", label: "create", help: "Create a session (a form: name, repo; base, existing branch or PR number; native or headless; first prompt)", when: hubUp },
    ...sessionActions,
    { keys: ["/"], action: "filter", label: "filter", help: "Filter the list by name, host, status, branch, repo or model", when: always },
    { keys: ["h"], action: "history", label: "history", help: "Every Claude conversation on every host: search them, see one, resume it", when: hubUp },
    { keys: ["S-a"], action: "archive", label: "archive", help: "Every session that ended on this host, newest first: why it ended, its last tool and message; Enter shows its postmortem", when: hubUp },
    { keys: ["escape"], action: "back", label: "clear filter", help: "Clear the filter", when: hasFilter },
    { keys: ["r"], action: "refresh", label: "refresh", help: "Fetch the sessions from the hub again", when: always, footer: false },
  ],
};

export const detailKeys: KeyTable = {
  title: "Session view",
  bindings: [
    { keys: ["escape"], action: "back", label: "back", help: "Back to the session list", when: always },
    { keys: ["down", "C-n"], action: "select-next", label: "next", help: "Show the next session", when: always, footer: false },
    { keys: ["up", "C-p"], action: "select-prev", label: "previous", help: "Show the previous session", when: always, footer: false },
    ...sessionActions,
    { keys: ["d"], action: "open-diff", label: "diff", help: "What the session changed against its base: the files, then each file's diff", when: all(hubUp, hasSession) },
    { keys: ["e"], action: "rename", label: "rename", help: "Name the session's conversation (its title in `csm history` and claude's --resume picker)", when: all(session, hasConversation) },
    { keys: ["r"], action: "refresh", label: "refresh", help: "Fetch the session and its log from the hub again", when: always, footer: false },
  ],
};

export const diffKeys: KeyTable = {
  title: "Diff tab",
  bindings: [
    { keys: ["escape"], action: "back", label: "back", help: "Back to the session view", when: always },
    { keys: ["down", "C-n"], action: "select-next", label: "file", help: "Show the next changed file", when: always, footerKeys: "↑↓" },
    { keys: ["up", "C-p"], action: "select-prev", label: "file", help: "Show the previous changed file", when: always, footer: false },
    { keys: ["pagedown", "space"], action: "scroll-down", label: "scroll", help: "Scroll the file's diff down a page", when: always, footerKeys: "PgUp/PgDn" },
    { keys: ["pageup"], action: "scroll-up", label: "scroll", help: "Scroll the file's diff up a page", when: always, footer: false },
    { keys: ["r"], action: "refresh", label: "refresh", help: "Count the changes again (claude's are counted as it makes them; a person's edits when asked)", when: always },
  ],
};

export const globalKeys: KeyTable = {
  title: "Everywhere",
  bindings: [
    { keys: ["?"], action: "help", label: "help", help: "Show this help", when: always },
    { keys: ["q"], action: "quit", label: "quit", help: "Quit the dashboard (sessions keep running)", when: always },
  ],
};

/** Ctrl-C quits from every mode, forms included, where q is just a letter. */
export const quitKeys: KeyTable = {
  title: "Always",
  bindings: [{ keys: ["C-c"], action: "quit", label: "quit", help: "Quit, from anywhere", when: always, footer: false }],
};

export const helpKeys: KeyTable = {
  title: "Help",
  bindings: [
    { keys: ["down", "j"], action: "select-next", label: "scroll", help: "Scroll down", when: always, footerKeys: "↑↓" },
    { keys: ["up", "k"], action: "select-prev", label: "scroll", help: "Scroll up", when: always, footer: false },
    { keys: ["escape", "?", "q"], action: "back", label: "close", help: "Close the help", when: always },
  ],
};

export const filterKeys: KeyTable = {
  title: "Filter",
  bindings: [
    { keys: ["enter"], action: "submit", label: "keep", help: "Keep the filter and go back to the list", when: always },
    { keys: ["escape"], action: "back", label: "clear", help: "Clear the filter and go back to the list", when: always },
    { keys: ["backspace"], action: "delete-char", label: "delete", help: "Delete the last character", when: always, footer: false },
  ],
};

export const createKeys: KeyTable = {
  title: "Create form",
  bindings: [
    { keys: ["tab", "down"], action: "next-field", label: "next field", help: "Go to the next field", when: always, footerKeys: "Tab" },
    { keys: ["S-tab", "up"], action: "prev-field", label: "previous field", help: "Go to the previous field", when: always, footer: false },
    { keys: ["space", "left", "right"], action: "next-session-mode", label: "native/headless", help: "On Mode: switch between native (claude's own screen) and headless (claude -p, drawn by csm)", when: onCreateMode, footerKeys: "Space" },
    { keys: ["enter"], action: "submit", label: "create", help: "Create the session", when: all(notBusy, hubUp) },
    { keys: ["escape"], action: "back", label: "cancel", help: "Close the form", when: always },
    { keys: ["backspace"], action: "delete-char", label: "delete", help: "Delete the last character", when: always, footer: false },
  ],
};

export const killKeys: KeyTable = {
  title: "Kill dialog",
  bindings: [
    { keys: ["enter", "y"], action: "submit", label: "kill", help: "Kill the session, removing what the dialog lists", when: all(notBusy, hubUp) },
    { keys: ["d"], action: "toggle-delete-branch", label: "delete branch", help: "Also delete the session's branch (when csm made it)", when: always },
    { keys: ["f"], action: "toggle-force", label: "force", help: "Remove the worktree even with uncommitted or unpushed work", when: always },
    { keys: ["escape", "n"], action: "back", label: "cancel", help: "Close the dialog, removing nothing", when: always },
  ],
};

export const mergeKeys: KeyTable = {
  title: "Merge dialog",
  bindings: [
    { keys: ["enter", "y"], action: "submit", label: "merge", help: "Merge in the chosen way", when: all(notBusy, hubUp) },
    { keys: ["tab", "down", "up"], action: "next-merge-mode", label: "merge/squash/rebase", help: "Choose how: merge, squash or rebase", when: always, footerKeys: "Tab" },
    { keys: ["escape", "n"], action: "back", label: "cancel", help: "Close the dialog, merging nothing", when: always },
  ],
};

export const messageKeys: KeyTable = {
  title: "Message",
  bindings: [
    { keys: ["enter"], action: "submit", label: "send", help: "Send the message", when: all(notBusy, hubUp) },
    { keys: ["escape"], action: "back", label: "cancel", help: "Close without sending", when: always },
    { keys: ["backspace"], action: "delete-char", label: "delete", help: "Delete the last character", when: always, footer: false },
  ],
};

export const renameKeys: KeyTable = {
  title: "Rename",
  bindings: [
    { keys: ["enter"], action: "submit", label: "rename", help: "Give the conversation this title", when: all(notBusy, hubUp) },
    { keys: ["escape"], action: "back", label: "cancel", help: "Close without renaming", when: always },
    { keys: ["backspace"], action: "delete-char", label: "delete", help: "Delete the last character", when: always, footer: false },
  ],
};

/** Every table, in the order the help screen lists them. */
export const ALL_TABLES: KeyTable[] = [globalKeys, listKeys, pendingKeys, detailKeys, diffKeys, historyKeys, historySearchKeys, conversationKeys, archiveKeys, archiveEntryKeys, approvalKeys, createKeys, killKeys, mergeKeys, messageKeys, renameKeys, filterKeys, helpKeys, quitKeys];

/** The tables that apply in a mode, most specific first (the first binding for a key wins). */
export const TABLES_BY_MODE: Record<Mode, KeyTable[]> = {
  list: [pendingKeys, listKeys, globalKeys, quitKeys],
  detail: [approvalKeys, pendingKeys, detailKeys, globalKeys, quitKeys],
  diff: [approvalKeys, diffKeys, globalKeys, quitKeys],
  help: [helpKeys, quitKeys],
  filter: [filterKeys, quitKeys],
  create: [createKeys, quitKeys],
  kill: [killKeys, quitKeys],
  merge: [mergeKeys, quitKeys],
  message: [messageKeys, quitKeys],
  history: [pendingKeys, historyKeys, quitKeys],
  "history-search": [historySearchKeys, quitKeys],
  conversation: [pendingKeys, conversationKeys, quitKeys],
  archive: [pendingKeys, archiveKeys, quitKeys],
  "archive-entry": [archiveEntryKeys, quitKeys],
  rename: [renameKeys, quitKeys],
};

/** Modes where printable keys that no binding takes are typed into a field. */
export const TEXT_MODES: ReadonlySet<Mode> = new Set(["filter", "create", "message", "history-search", "rename"]);
