import { currentRequest, pendingKey, selectedSession, type TuiModel } from "../model.ts";
import type { Availability } from "./bindings.ts";

// When an action applies, and if not, why: the reasons are shown in the footer and as the
// notice when the key is pressed anyway, so they are short and say what to do instead.

type Check = (model: TuiModel) => Availability;

/** The first check that is not `true` decides. */
export const all =
  (...checks: Check[]): Check =>
  (model) => {
    for (const check of checks) {
      const result = check(model);
      if (result !== true) return result;
    }
    return true;
  };

export const always: Check = () => true;

export const hubUp: Check = (model) => (model.hub.state === "connected" ? true : "hub not connected");

export const hasSession: Check = (model) => (selectedSession(model) ? true : "no session selected");
export const hasBranch: Check = (model) => (selectedSession(model)?.branch ? true : "the session has no branch of its own");

export const isRunning: Check = (model) => {
  const status = selectedSession(model)?.status;
  return status === "dead" ? "claude is dead, R restarts it" : true;
};

export const canInterrupt: Check = (model) => {
  const status = selectedSession(model)?.status;
  if (status === "idle") return "claude is idle";
  return status === "dead" ? "claude is dead" : true;
};

export const canReconnect: Check = (model) => (selectedSession(model)?.status === "dead" ? true : "claude still runs");

export const hasRequest: Check = (model) => currentRequest(model) !== null;

/** In a session's view, only other sessions' requests are somewhere to jump to. */
export const pendingElsewhere: Check = (model) => model.pending.some((p) => model.mode !== "detail" || pendingKey(p) !== model.selected);

/** A session's conversation is claude's: none before claude started. */
export const hasConversation: Check = (model) => (selectedSession(model)?.claudeSessionId ? true : "claude has not started a conversation yet");

export const hasFilter: Check = (model) => model.filter !== "";

/** Mode is a choice: Space switches it there, and is typed as a space in every other field. */
export const onCreateMode: Check = (model) => model.create?.focus === "mode";

export const notBusy: Check = (model) => (model.create?.busy || model.kill?.busy || model.message?.busy || model.rename?.busy ? "waiting for the hub" : true);
