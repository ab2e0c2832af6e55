import { encodeFrame, NdjsonDecoder } from "./ndjson.ts";
import type { Palette } from "./render.ts";
import type { ClaudeToCsm, CsmToClaude } from "./protocol.ts";

// The pane's end of the live link, shared by the two programs that run claude in a pane:
// the stdio bridge (headless) and the native supervisor.
//
// Reliability: every frame to the hub carries `csm_seq`; frames stay in `unacked` until
// the hub acknowledges them, and after a reconnect the hub's hello says what it already
// stored, so nothing is lost or stored twice. Numbers continue the session's sequence:
// a new link (after `csm reconnect`) takes the hub's first hello as its base, and no
// frame leaves before that hello. claude keeps running while the hub is away.
// Messages from the hub carry `csm_out`; one already delivered is not delivered again.
//
// After each hello, once the frames the hub lacked are resent, the link tells the hub which
// tool requests claude still waits on (`csm_open_requests`): a restarted hub then knows
// exactly what is pending, and decides by the rules what the hub before it never got to.

export interface AgentSocket {
  send(text: string): void;
  close(): void;
}

export interface AgentSocketHandlers {
  open(): void;
  message(text: string): void;
  close(): void;
  /** What answered could not prove it is the session's hub (see agent-proof.ts): nothing was sent to it. */
  refused?(why: string): void;
}

/** What starting the hub found (hub-client/hub-start.ts replaces a hub whose link is older). */
export type HubStartOutcome = "running" | "stopped-on-purpose";

export interface HubLinkDeps {
  connect(url: string, secret: string, handlers: AgentSocketHandlers): AgentSocket;
  print(line: string): void;
  palette: Palette;
  sleep(ms: number): Promise<void>;
  /**
   * Starts the hub when it is gone (see hub-client/hub-start.ts), or says it was stopped on
   * purpose and is left so. Absent: nothing starts one (tests of the bookkeeping).
   */
  startHub?(): Promise<HubStartOutcome>;
}

export interface HubLinkHandlers {
  /** The tool requests claude still waits on, reported after each hello. */
  openRequests(): ClaudeToCsm[];
  /** A message from the hub, for claude; `out` is its delivery id (report it with `csm_sent`). */
  deliver(message: CsmToClaude, out: string): void;
}

export interface HubLink {
  /** Queues a frame for the hub: numbered, kept until acknowledged, resent after a relink. */
  emit(frame: Record<string, unknown>): void;
  /** Waits until the hub has stored every frame, or `timeoutMs` passes; says so after a second. */
  flush(timeoutMs: number): Promise<void>;
  close(): void;
}

const BACKOFF_MS = [250, 500, 1000, 2000];
// A link that dropped and does not come back at the first reconnect means the hub is gone
// (kill -9, a crash): the link starts one. One that cannot start is tried again less and
// less often (counted in failed reconnects, ~2 s apart at the top of the backoff), never
// every second. Counted in closes since the last hello: the drop, then each failed reconnect.
const START_HUB_AFTER_CLOSES = 2;
const START_HUB_SPACING = [5, 10, 20, 30];
const SAY_WAITING_AFTER_MS = 1000;
const REMEMBERED_DELIVERIES = 1000;

export function openHubLink(target: { agentUrl: string; secret: string; transport: "bridge" | "native" }, deps: HubLinkDeps, handlers: HubLinkHandlers): HubLink {
  let counted = 0;
  let base: number | null = null;
  const unacked: { local: number; frame: Record<string, unknown> }[] = [];
  const delivered = new Set<string>();
  let socket: AgentSocket | null = null;
  let ready = false;
  let attempt = 0;
  let finished = false;
  let hubStarting = false;
  let hubStarts = 0;
  let nextHubStart = START_HUB_AFTER_CLOSES;
  let saidRefused = false;

  const line = (pending: { local: number; frame: Record<string, unknown> }) => encodeFrame({ ...pending.frame, csm_seq: base! + pending.local });
  const emit = (frame: Record<string, unknown>) => {
    counted += 1;
    const pending = { local: counted, frame };
    unacked.push(pending);
    if (socket && ready) socket.send(line(pending));
  };
  const dropThrough = (acked: number) => {
    while (unacked.length > 0 && base! + unacked[0]!.local <= acked) unacked.shift();
  };

  const fromHub = new NdjsonDecoder();
  const onHubText = (text: string) => {
    for (const decoded of fromHub.push(text)) {
      if (!decoded.ok) continue;
      const frame = decoded.value as Record<string, unknown>;
      if (frame.type === "csm_hello") {
        base ??= frame.lastSeq as number;
        dropThrough(frame.lastSeq as number);
        ready = true;
        attempt = 0;
        saidRefused = false;
        hubStarts = 0;
        nextHubStart = START_HUB_AFTER_CLOSES;
        for (const pending of unacked) socket?.send(line(pending));
        socket?.send(encodeFrame({ type: "csm_open_requests", requests: handlers.openRequests() }));
      } else if (frame.type === "csm_ack") {
        dropThrough(frame.seq as number);
      } else if (typeof frame.csm_out === "string") {
        const out = frame.csm_out;
        if (delivered.has(out)) {
          emit({ type: "csm_delivered", out });
          continue;
        }
        delivered.add(out);
        if (delivered.size > REMEMBERED_DELIVERIES) delivered.delete(delivered.values().next().value!);
        const { csm_out: _out, ...message } = frame;
        handlers.deliver(message as unknown as CsmToClaude, out);
      }
    }
  };

  const startHubIfGone = () => {
    if (!deps.startHub || hubStarting || finished || attempt < nextHubStart) return;
    const spacing = START_HUB_SPACING[Math.min(hubStarts, START_HUB_SPACING.length - 1)]!;
    nextHubStart = attempt + spacing;
    hubStarts += 1;
    hubStarting = true;
    deps
      .startHub()
      .then(
        (outcome) => {
          if (outcome === "stopped-on-purpose" && hubStarts === 1) deps.print(deps.palette.dim("the csm hub was stopped on purpose; the next csm command starts it again"));
        },
        (error: Error) => deps.print(deps.palette.warn(`could not start the csm hub: ${error.message} (trying again in about ${spacing * 2} s)`)),
      )
      .finally(() => (hubStarting = false));
  };

  const connect = () => {
    if (finished) return;
    ready = false;
    socket = deps.connect(`${target.agentUrl}?transport=${target.transport}`, target.secret, {
      open: () => {},
      message: onHubText,
      // Said once until the next hello: the link keeps trying every few seconds meanwhile.
      refused: (why) => {
        if (saidRefused) return;
        saidRefused = true;
        deps.print(deps.palette.warn(`not linking: ${why} (the session's secret is never sent); the link keeps trying`));
      },
      close: () => {
        socket = null;
        ready = false;
        if (finished) return;
        const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
        attempt += 1;
        startHubIfGone();
        void deps.sleep(delay).then(connect);
      },
    });
  };
  connect();

  return {
    emit,
    async flush(timeoutMs) {
      // claude's last words (its result, cost, exit) matter most: wait until the hub has
      // stored them, however long it is away. Killing the tmux session ends the wait.
      const started = Date.now();
      const deadline = started + timeoutMs;
      let said = false;
      while (unacked.length > 0 && Date.now() < deadline) {
        if (!said && Date.now() - started > SAY_WAITING_AFTER_MS) {
          deps.print(deps.palette.dim(`waiting for the csm hub to store the last ${unacked.length} event(s)…`));
          said = true;
        }
        await deps.sleep(50);
      }
    },
    close() {
      finished = true;
      (socket as AgentSocket | null)?.close();
    },
  };
}
