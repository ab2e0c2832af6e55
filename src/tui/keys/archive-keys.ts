import { selectedArchived } from "../archive-view-state.ts";
import type { TuiModel } from "../model.ts";
import { always } from "./availability.ts";
import type { Availability, KeyTable } from "./bindings.ts";

// The Archive view's keys (`A` from the session list). Its rows take q and Esc to go back,
// so they list help themselves.

/** Before the first answer (or with none), Enter does not apply at all. */
const hasEntry = (model: TuiModel): Availability => Boolean(model.archive && selectedArchived(model.archive));

export const archiveKeys: KeyTable = {
  title: "Archive (every session that ended on this host)",
  bindings: [
    { keys: ["down", "C-n"], action: "select-next", label: "move", help: "Select the next ended session", when: always, footerKeys: "↑↓" },
    { keys: ["up", "C-p"], action: "select-prev", label: "move", help: "Select the previous ended session", when: always, footer: false },
    { keys: ["enter"], action: "open-archived", label: "postmortem", help: "Show how it ended: end reason, last tool use, last error, transcript tail, pane log tail", when: hasEntry },
    { keys: ["escape", "q"], action: "back", label: "back", help: "Back to the session list", when: always },
    { keys: ["?"], action: "help", label: "help", help: "Show this help", when: always },
  ],
};

export const archiveEntryKeys: KeyTable = {
  title: "Postmortem",
  bindings: [
    { keys: ["pagedown", "space"], action: "scroll-down", label: "scroll", help: "Scroll the postmortem down a page", when: always, footerKeys: "PgUp/PgDn" },
    { keys: ["pageup"], action: "scroll-up", label: "scroll", help: "Scroll the postmortem up a page", when: always, footer: false },
    { keys: ["escape", "q"], action: "back", label: "back", help: "Back to the Archive view", when: always },
    { keys: ["?"], action: "help", label: "help", help: "Show this help", when: always },
  ],
};
