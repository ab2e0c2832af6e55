import type { ClaudeToCsm, CsmToClaude } from "../../link/protocol.ts";
import { applyClaudeMessage, applyDecision, applyLinkEvent, applySent, type LinkEvent, type LiveState } from "./live-state.ts";

// The one fold: a stored or live event into a session's state. The hub folds with it as events
// come (hub/live-sessions.ts); `csm kill` with no hub running folds the stored log with it to
// archive the session's last state (core/sessions/archive-end.ts).

export function foldEvent(state: LiveState, event: { kind: string; at: string; data: unknown }): LiveState {
  if (event.kind === "claude") return applyClaudeMessage(state, event.data as ClaudeToCsm, event.at);
  if (event.kind === "sent") return applySent(state, event.data as CsmToClaude, event.at);
  if (event.kind === "link") return applyLinkEvent(state, event.data as LinkEvent, event.at);
  if (event.kind === "decision") {
    const decision = event.data as { event?: string; requestId?: string };
    if (decision.event === "decision" && decision.requestId) return applyDecision(state, decision.requestId, event.at);
  }
  return state;
}
