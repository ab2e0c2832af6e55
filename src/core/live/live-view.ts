import { skipsAsking } from "../../config/permission-modes.ts";
import type { SessionView } from "../sessions/session-view.ts";
import { costUsd, type LiveState, type PendingRequest, type Transport } from "./live-state.ts";

// A session as the hub shows it: what tmux and the store say, plus the live link's state.

export interface LiveSessionView extends SessionView {
  claudeSessionId: string | null;
  model: string | null;
  turns: number;
  costUsd: number;
  pendingApprovals: number;
  lastMessage: string | null;
  transport: Transport | null;
  linked: boolean;
  /** claude's permission mode as it reported it; null until it has. */
  permissionMode: string | null;
  /** False when that mode lets claude run tools without asking, so csm's approvals see less or nothing. */
  guarded: boolean;
  /** Set while no hub runs: the live part is the last state the store knows, not the present one. */
  stale?: boolean;
  /** The conversation's title (`/rename`, `csm rename`, else claude's own), when the hub knows one. */
  title?: string | null;
}

export interface LiveSessionDetail extends LiveSessionView {
  pending: PendingRequest[];
  streamingText: string;
}

export function withLive(view: SessionView, live: LiveState | null, transport: Transport | null, claudeSessionId: string | null): LiveSessionView {
  let status = view.status;
  let statusReason = view.statusReason;
  if (live) {
    if (live.status === "dead") {
      // claude's own exit explains more than "tmux says the pane is dead".
      status = "dead";
      statusReason = live.statusReason ?? view.statusReason;
    } else if (view.status !== "dead") {
      status = live.status;
      statusReason = live.statusReason;
    }
  }
  return {
    ...view,
    status,
    statusReason,
    claudeSessionId: live?.claudeSessionId ?? claudeSessionId,
    model: live?.model ?? null,
    turns: live?.turns ?? 0,
    costUsd: live ? Math.round(costUsd(live) * 1e6) / 1e6 : 0,
    pendingApprovals: status === "dead" ? 0 : (live?.pending.length ?? 0),
    lastMessage: live?.lastMessage ?? null,
    transport,
    linked: live?.linked ?? false,
    permissionMode: live?.permissionMode ?? null,
    guarded: !skipsAsking(live?.permissionMode),
  };
}

/** Without a hub: the same fields, from tmux and the store alone. */
export function withoutLive(view: SessionView, transport: Transport | null, claudeSessionId: string | null): LiveSessionView {
  return withLive(view, null, transport, claudeSessionId);
}

/**
 * Without a hub: tmux's view plus the last state the store knows (see hub/live-sessions.ts,
 * which restores the same), marked stale. tmux's word that a session is dead stands: that
 * is not stale.
 */
export function lastKnown(view: SessionView, live: LiveState, transport: Transport | null, claudeSessionId: string | null): LiveSessionView {
  const shown = withLive(view, live, transport, claudeSessionId);
  return shown.status === "dead" ? shown : { ...shown, linked: false, stale: true };
}
