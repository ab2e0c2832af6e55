import { selectedConversation } from "../history-view-state.ts";
import type { TuiModel } from "../model.ts";
import { all, always, hubUp } from "./availability.ts";
import type { Availability, KeyTable } from "./bindings.ts";

// The History view's keys (`h` from the session list). Its rows take q and Esc to go back,
// so they list help themselves; the search box takes every printable key as text.

/** Before the first answer (or with none), row keys do not apply at all: nothing to say about them. */
const hasConversation = (model: TuiModel): Availability => Boolean(model.history && selectedConversation(model.history));

/** A conversation a csm session runs already is that session: nothing to resume. */
const canResume = (model: TuiModel): Availability => {
  const history = model.history;
  const row = history ? selectedConversation(history) : null;
  if (!history || !row) return false;
  if (history.resuming) return "resuming…";
  return row.state === "csm" && row.session ? `it runs in csm session ${row.session}` : true;
};

const move = [
  { keys: ["down", "C-n"], action: "select-next", label: "move", help: "Select the next conversation", when: always, footerKeys: "↑↓" },
  { keys: ["up", "C-p"], action: "select-prev", label: "move", help: "Select the previous conversation", when: always, footer: false },
] satisfies KeyTable["bindings"];

const resume = { keys: ["r"], action: "resume-conversation", label: "resume", help: "Resume the conversation as a csm session (claude --resume in its directory, on its host)", when: all(hubUp, canResume) } satisfies KeyTable["bindings"][number];

export const historyKeys: KeyTable = {
  title: "History (every conversation on every host)",
  bindings: [
    ...move,
    { keys: ["enter"], action: "open-conversation", label: "info", help: "Show the conversation: where it ran, models, first prompt, tokens, how it ended", when: hasConversation },
    resume,
    { keys: ["/"], action: "search-history", label: "search", help: "Search every conversation's text; the hits show as you type", when: always },
    { keys: ["escape", "q"], action: "back", label: "back", help: "Back to the session list", when: always },
    { keys: ["?"], action: "help", label: "help", help: "Show this help", when: always },
  ],
};

export const historySearchKeys: KeyTable = {
  title: "History search box",
  bindings: [
    ...move,
    { keys: ["enter"], action: "submit", label: "keep", help: "Keep the search and go to its hits", when: always },
    { keys: ["escape"], action: "back", label: "clear", help: "Clear the search: every conversation again", when: always },
    { keys: ["backspace"], action: "delete-char", label: "delete", help: "Delete the last character", when: always, footer: false },
  ],
};

export const conversationKeys: KeyTable = {
  title: "Conversation info",
  bindings: [resume, { keys: ["escape", "q"], action: "back", label: "back", help: "Back to the History view", when: always }, { keys: ["?"], action: "help", label: "help", help: "Show this help", when: always }],
};
