// Reading tmux's -F output. Fields are joined with U+241F (SYMBOL FOR UNIT SEPARATOR),
// which tmux passes through untouched and which cannot occur in csm's names; a path
// that contains it is only ever the last field, so splitting stays unambiguous.
export const FIELD_SEPARATOR = "\u241f";

export interface PaneInfo {
  session: string;
  window: string;
  paneDead: boolean;
  paneDeadStatus: number | null;
  sessionCreated: Date;
  panePid: number | null;
  /** The directory the session was started in (csm starts its sessions in the worktree). */
  sessionPath: string;
}

const PANE_FIELDS = [
  "#{session_name}",
  "#{window_name}",
  "#{pane_dead}",
  "#{pane_dead_status}",
  "#{session_created}",
  "#{pane_pid}",
  // Not #{pane_current_path}: tmux reads /proc for it, ~1 ms per 100 panes on every list.
  "#{session_path}",
];

export const PANE_FORMAT = PANE_FIELDS.join(FIELD_SEPARATOR);

export function parsePanes(output: string): PaneInfo[] {
  const panes: PaneInfo[] = [];
  for (const line of output.split("\n")) {
    if (line === "") continue;
    const fields = line.split(FIELD_SEPARATOR);
    if (fields.length < PANE_FIELDS.length) continue;
    const [session, window, dead, deadStatus, created, pid] = fields as [string, string, string, string, string, string];
    panes.push({
      session,
      window,
      paneDead: dead === "1",
      paneDeadStatus: deadStatus === "" ? null : Number(deadStatus),
      sessionCreated: new Date(Number(created) * 1000),
      panePid: pid === "" ? null : Number(pid),
      sessionPath: fields.slice(PANE_FIELDS.length - 1).join(FIELD_SEPARATOR),
    });
  }
  return panes;
}

/** tmux -V prints e.g. "tmux 3.3a" or "tmux next-3.5"; returns [major, minor] or null. */
export function parseTmuxVersion(output: string): [number, number] | null {
  const match = /(\d+)\.(\d+)/.exec(output);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/** True when tmux reports that no server is listening (not an error for listing). */
export function isNoServer(stderr: string): boolean {
  return /no server running|error connecting to|no sessions/i.test(stderr);
}
