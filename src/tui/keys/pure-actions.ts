import {
  applyFilter,
  back,
  deleteChar,
  focusField,
  jumpToOldestPending,
  openCreate,
  openDetail,
  openFilter,
  openHelp,
  openKill,
  openMessage,
  openDiff,
  openMerge,
  openRename,
  cycleMergeMode,
  cycleCreateMode,
  scrollDiff,
  select,
  toggleKill,
  type TuiModel,
} from "../model.ts";
import type { ActionName } from "./bindings.ts";
import type { CreateDefaults } from "../views/create-form.ts";
import { keepSearch, openConversation, openHistory, openSearch } from "../history-view-state.ts";
import { openArchive, openArchiveEntry, scrollArchiveEntry } from "../archive-view-state.ts";

/** Lines a Page Down moves the Diff tab's file. */
const DIFF_PAGE = 10;
/** Lines a Page Down moves a postmortem. */
const ARCHIVE_PAGE = 10;

// The actions that only change the model. The screen applies these directly and handles
// the rest (talking to the hub, attaching, quitting) itself; `null` means "yours".

export interface PureActionContext {
  /** The create form's defaults: the configured defaultRepo and sessionMode, for instance. */
  createDefaults?: CreateDefaults;
}

export function applyPureAction(model: TuiModel, action: ActionName, context: PureActionContext = {}): TuiModel | null {
  switch (action) {
    case "select-next":
      return select(model, 1);
    case "select-prev":
      return select(model, -1);
    case "open-detail":
      return openDetail(model);
    case "back":
      return back(model);
    case "jump-to-pending":
      return jumpToOldestPending(model);
    case "create":
      return openCreate(model, context.createDefaults);
    case "kill":
      return openKill(model);
    case "message":
      return openMessage(model);
    case "filter":
      return openFilter(model);
    case "help":
      return openHelp(model);
    case "next-field":
      return focusField(model, 1);
    case "prev-field":
      return focusField(model, -1);
    case "delete-char":
      return deleteChar(model);
    case "toggle-delete-branch":
      return toggleKill(model, "deleteBranch");
    case "toggle-force":
      return toggleKill(model, "force");
    case "open-diff":
      return openDiff(model);
    case "merge":
      return openMerge(model);
    case "next-merge-mode":
      return cycleMergeMode(model);
    case "next-session-mode":
      return cycleCreateMode(model);
    case "scroll-down":
      return model.mode === "archive-entry" ? scrollArchiveEntry(model, ARCHIVE_PAGE) : scrollDiff(model, DIFF_PAGE);
    case "scroll-up":
      return model.mode === "archive-entry" ? scrollArchiveEntry(model, -ARCHIVE_PAGE) : scrollDiff(model, -DIFF_PAGE);
    case "archive":
      return openArchive(model);
    case "open-archived":
      return openArchiveEntry(model);
    case "rename":
      return openRename(model);
    case "history":
      return openHistory(model);
    case "open-conversation":
      return openConversation(model);
    case "search-history":
      return openSearch(model);
    case "submit":
      // Only the filter's and the search box's Enter are pure; a form's Enter goes to the hub.
      if (model.mode === "history-search") return keepSearch(model);
      return model.mode === "filter" ? applyFilter(model) : null;
    default:
      return null;
  }
}
