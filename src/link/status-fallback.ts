// claude's own status file (`sessions/<pid>.json`: busy, waiting, idle) as a native session's
// second witness, next to its hooks. Pure: what the hooks said, what the file says, and the
// time in; what to report out.
//
// An Esc fires no hook: the file going idle after the last hook is the interrupt. A claude
// release that stops sending a hook shows as the file disagreeing with the hooks for a while:
// then the file's state is reported, with a reason that says where it came from, until the
// two agree again.

/** claude's state as its status file says it; `updatedAt` is claude's statusUpdatedAt. */
export interface ClaudeStatus {
  status: string;
  updatedAt: number;
  waitingFor: string | null;
}

export type HeardState = "busy" | "waiting" | "idle";

/** How long the file may disagree with the hooks before it is believed. */
export const SILENT_HOOK_MS = 3000;

export interface FallbackMemory {
  /** Since when the file has disagreed with the hooks. */
  disagreeingSince: number | null;
  /** The state reported from the file, while it is. */
  reported: HeardState | null;
}

export type StatusVerdict =
  | { kind: "none" }
  | { kind: "interrupted" }
  | { kind: "fallback"; state: HeardState; reason: string }
  /** The hooks and the file agree again: back to what the hooks said. */
  | { kind: "agreed"; state: HeardState };

export const freshMemory = (): FallbackMemory => ({ disagreeingSince: null, reported: null });

export function judgeStatus(
  status: ClaudeStatus | null,
  heard: { state: HeardState; busySince: number | null; lastHookAt: number | null },
  memory: FallbackMemory,
  now: number,
): StatusVerdict {
  if (status?.status === "idle" && heard.busySince !== null && status.updatedAt > heard.busySince) return { kind: "interrupted" };
  const seen = status?.status === "busy" || status?.status === "waiting" || status?.status === "idle" ? status.status : heard.state;
  if (seen !== heard.state && status!.updatedAt > (heard.lastHookAt ?? 0)) {
    memory.disagreeingSince ??= now;
    if (memory.reported === seen || now - memory.disagreeingSince <= SILENT_HOOK_MS) return { kind: "none" };
    memory.reported = seen;
    const what = seen === "waiting" ? `claude shows ${status!.waitingFor ?? "a dialog"} (answer it with csm attach)` : seen === "busy" ? "claude is working" : "claude is idle";
    return { kind: "fallback", state: seen, reason: `${what}, but no hook said so: from claude's status file` };
  }
  memory.disagreeingSince = null;
  if (memory.reported === null) return { kind: "none" };
  memory.reported = null;
  return { kind: "agreed", state: heard.state };
}
