import type { PaneInfo } from "../../adapters/tmux-format.ts";
import { modeOfTransport, type SessionMode } from "../../config/session-mode.ts";
import type { SessionRecord } from "../../store/sessions.ts";

// A session as every client shows it: the store's record merged with what tmux says
// runs. Pure, so the merge rules are tested without tmux.

export type SessionStatus = "starting" | "working" | "waiting" | "idle" | "dead" | "unknown";

export interface SessionView {
  name: string;
  host: string;
  status: SessionStatus;
  statusReason: string | null;
  repo: string | null;
  branch: string | null;
  worktree: string | null;
  createdAt: string;
  tmuxSession: string;
  baseRef: string | null;
  baseCommit: string | null;
  favourite: boolean;
  /** How claude runs: its own screen (native) or `claude -p` (headless). Absent where no store knows the session. */
  mode?: SessionMode;
  /** `csm mute`: the hub sends no notifications for it (absent where no store knows the session). */
  muted?: boolean;
  /** First of the session's 10 ports (CSM_PORT_BASE), when it has a block. */
  portBase?: number;
}

const SESSION_PREFIX = "csm-";

export function mergeSessions(host: string, records: SessionRecord[], panes: PaneInfo[]): SessionView[] {
  const bySession = new Map<string, PaneInfo[]>();
  for (const pane of panes) {
    if (!pane.session.startsWith(SESSION_PREFIX)) continue;
    const list = bySession.get(pane.session) ?? [];
    list.push(pane);
    bySession.set(pane.session, list);
  }
  const views: SessionView[] = records.map((record) => {
    const tmuxSession = SESSION_PREFIX + record.name;
    const sessionPanes = bySession.get(tmuxSession);
    bySession.delete(tmuxSession);
    const [status, statusReason] = statusOf(record, tmuxSession, sessionPanes);
    return {
      name: record.name,
      host,
      status,
      statusReason,
      repo: record.repo,
      branch: record.branch,
      worktree: record.worktree,
      createdAt: record.createdAt,
      tmuxSession,
      baseRef: record.baseRef,
      baseCommit: record.baseCommit,
      favourite: record.favourite,
      mode: modeOfTransport(record.transport),
      muted: record.muted ?? false,
      ...(record.portBase != null ? { portBase: record.portBase } : {}),
    } satisfies SessionView;
  });
  // tmux sessions named like csm's that the store does not know (made by hand, or a lost
  // state dir): shown, so nothing runs unseen.
  for (const [tmuxSession, sessionPanes] of bySession) {
    const agent = sessionPanes.find((pane) => pane.window === "agent") ?? sessionPanes[0]!;
    views.push({
      name: tmuxSession.slice(SESSION_PREFIX.length),
      host,
      status: agent.paneDead ? "dead" : "unknown",
      statusReason: agent.paneDead ? exitReason(agent.paneDeadStatus) : "not in csm's store",
      repo: null,
      branch: null,
      worktree: agent.sessionPath || null,
      createdAt: agent.sessionCreated.toISOString(),
      tmuxSession,
      baseRef: null,
      baseCommit: null,
      favourite: false,
      muted: false,
    });
  }
  return views;
}

function statusOf(record: SessionRecord, tmuxSession: string, panes: PaneInfo[] | undefined): [SessionStatus, string | null] {
  if (!panes) return ["dead", `tmux session ${tmuxSession} is gone`];
  const agent = panes.find((pane) => pane.window === "agent");
  if (record.exitStatus !== null) return ["dead", exitReason(record.exitStatus)];
  if (!agent) return ["dead", "the agent window was closed"];
  if (agent.paneDead) return ["dead", exitReason(agent.paneDeadStatus)];
  return ["unknown", null];
}

function exitReason(status: number | null): string {
  return status === null ? "claude exited" : `claude exited with status ${status}`;
}
