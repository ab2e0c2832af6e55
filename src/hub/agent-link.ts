import type { ServerWebSocket } from "bun";
import type { LinkEvent, Transport } from "../core/live/live-state.ts";
import { proofMatches, type AgentAuthFrame, type AgentChallengeFrame, type LinkSeal } from "../link/agent-proof.ts";
import { encodeFrame, NdjsonDecoder } from "../link/ndjson.ts";
import { DECISION_FIELD } from "../link/protocol.ts";
import {
  errorResponse,
  isCanUseTool,
  isClaudeToCsm,
  userMessage,
  type CanUseToolRequest,
  type ClaudeToCsm,
  type CsmToClaude,
  type IncomingControlRequest,
} from "../link/protocol.ts";
import { CsmError } from "../shared/errors.ts";
import type { NewEvent } from "../store/events.ts";
import type { LiveSessions } from "./live-sessions.ts";

// One end of the live link, the same for both transports: NDJSON frames from claude
// (sdk-url) or from `csm bridge` (bridge). Bridge frames carry `csm_seq`; the hub stores
// them with the highest seq in one transaction and acknowledges it, so after a hub or
// network failure the bridge resends exactly what is missing. sdk-url frames are
// de-duplicated by claude's own `uuid` (claude replays them after a reconnect).

export interface AgentSocketData {
  session: string;
  transport: Transport;
  /** A link that asked to be challenged (see link/agent-proof.ts): linked only once it answers. */
  proving?: { challenge: AgentChallengeFrame; expected: string; seal: LinkSeal; timer?: ReturnType<typeof setTimeout> };
  /** A proven link: every message either way is sealed. */
  seal?: LinkSeal;
}

/** Frames only the bridge sends: process events, what it sent claude, delivery receipts. */
type BridgeFrame =
  | { type: "csm_bridge"; event: LinkEvent }
  | { type: "csm_sent"; message: CsmToClaude; out?: string }
  | { type: "csm_delivered"; out: string }
  | { type: "csm_decision"; decision: Record<string, unknown> }
  /** A native supervisor could not deliver a message (a request already answered on claude's screen). */
  | { type: "csm_undeliverable"; out: string; reason: string }
  /** Not numbered, not stored: after each hello, the requests claude is still waiting on. */
  | { type: "csm_open_requests"; requests: ClaudeToCsm[] };

export type ToolRequestMessage = IncomingControlRequest & { request: CanUseToolRequest };

interface Connection {
  socket: ServerWebSocket<AgentSocketData>;
  decoder: NdjsonDecoder;
  lastSeq: number;
}

const DELIVERY_TIMEOUT_MS = 10_000;
/** A link gets this long to answer the hub's challenge. */
const PROOF_TIMEOUT_MS = 10_000;

export class AgentLinks {
  private readonly connections = new Map<string, Connection>();
  private readonly deliveries = new Map<string, (refused?: string) => void>();

  constructor(
    private readonly live: LiveSessions,
    private readonly linkSeqOf: (session: string) => number,
    private readonly firstPromptOf: (session: string) => string | undefined,
    private readonly onUnlinked: (session: string) => void,
    private readonly onToolRequest: (session: string, request: ToolRequestMessage) => void,
    /** After a (re)link: what claude waits on (null when the transport cannot say: sdk-url). */
    private readonly onOpenRequests: (session: string, open: ToolRequestMessage[] | null) => void,
  ) {}

  isLinked(session: string): boolean {
    return this.connections.has(session);
  }

  open(socket: ServerWebSocket<AgentSocketData>): void {
    const { proving } = socket.data;
    if (proving) {
      // Nothing about the session is said or counted until the link has proved itself.
      socket.send(encodeFrame(proving.challenge));
      proving.timer = setTimeout(() => socket.close(4401, "no proof of the agent secret"), PROOF_TIMEOUT_MS);
      return;
    }
    const { session, transport } = socket.data;
    // A newer connection for the same session replaces the old one (claude or the bridge reconnected).
    this.connections.get(session)?.socket.close(4000, "replaced by a newer connection");
    const connection = { socket, decoder: new NdjsonDecoder(), lastSeq: this.linkSeqOf(session) };
    this.connections.set(session, connection);
    this.live.setLinked(session, true);
    this.live.record(session, [{ kind: "link", at: now(), data: { event: "linked", transport } }]);
    if (transport !== "sdk-url") {
      write(socket, encodeFrame({ type: "csm_hello", lastSeq: connection.lastSeq }));
      return;
    }
    // sdk-url: the server speaks first; claude sends nothing until it gets a user message.
    const prompt = this.firstPromptOf(session);
    if (prompt !== undefined) void this.send(session, userMessage(prompt));
    this.onOpenRequests(session, null);
  }

  /** Resolves once the session is linked; false when `timeoutMs` passes first or `stillWanted` says stop. */
  async waitForLink(session: string, timeoutMs: number, stillWanted: () => boolean): Promise<boolean> {
    for (const until = Date.now() + timeoutMs; !this.isLinked(session); await Bun.sleep(50)) {
      if (Date.now() >= until || !stillWanted()) return false;
    }
    return true;
  }

  message(socket: ServerWebSocket<AgentSocketData>, data: string | Buffer): void {
    if (socket.data.proving) return this.checkProof(socket, typeof data === "string" ? data : new TextDecoder().decode(data));
    const connection = this.connections.get(socket.data.session);
    if (!connection || connection.socket !== socket) return;
    if (socket.data.seal) {
      const text = socket.data.seal.open(typeof data === "string" ? data : new TextDecoder().decode(data));
      // Not from the link that proved itself (see agent-proof.ts): nothing of it counts.
      if (text === null) return socket.close(4401, "a message on the link was not sealed");
      data = text;
    }
    const at = now();
    const events: NewEvent[] = [];
    const unserved: string[] = [];
    let open: ToolRequestMessage[] | null = null;
    let highest: number | undefined;
    for (const line of connection.decoder.push(typeof data === "string" ? data : new Uint8Array(data))) {
      if (!line.ok) {
        events.push({ kind: "link", at, data: { event: "protocol_error", line: line.line.slice(0, 500), error: line.error } });
        continue;
      }
      const frame = line.value as Record<string, unknown>;
      if (frame.type === "csm_open_requests") {
        const requests = Array.isArray(frame.requests) ? (frame.requests as ClaudeToCsm[]) : [];
        open = requests.filter((request) => isClaudeToCsm(request) && isCanUseTool(request)) as ToolRequestMessage[];
        continue;
      }
      if (typeof frame.csm_seq === "number") {
        if (frame.csm_seq <= (highest ?? connection.lastSeq)) continue;
        highest = frame.csm_seq;
        delete frame.csm_seq;
      }
      this.classify(socket, frame, at, events, unserved);
    }
    const stored = events.length > 0 || highest !== undefined ? this.live.record(socket.data.session, events, highest) : [];
    // Only now, with the frames stored, do they count as received (and get acknowledged).
    if (highest !== undefined) {
      connection.lastSeq = highest;
      write(socket, encodeFrame({ type: "csm_ack", seq: highest }));
    }
    // A request csm does not serve (hooks, MCP): answer so claude does not wait forever.
    for (const requestId of unserved) void this.send(socket.data.session, errorResponse(requestId, "csm does not handle this request")).catch(() => undefined);
    // Only requests stored just now: a replayed one was already decided.
    for (const event of stored) {
      if (event.kind === "claude" && isCanUseTool(event.data as ClaudeToCsm)) {
        this.onToolRequest(socket.data.session, event.data as ToolRequestMessage);
      }
    }
    // The report comes after the frames the hub lacked, so the state above is complete.
    if (open) this.onOpenRequests(socket.data.session, open);
  }

  private classify(socket: ServerWebSocket<AgentSocketData>, frame: Record<string, unknown>, at: string, events: NewEvent[], unserved: string[]): void {
    const session = socket.data.session;
    switch (frame.type) {
      case "csm_bridge":
        events.push({ kind: "link", at, data: (frame as BridgeFrame & { type: "csm_bridge" }).event });
        return;
      case "csm_sent": {
        const sent = (frame as BridgeFrame & { type: "csm_sent" }).message as unknown;
        if (typeof sent !== "object" || sent === null) {
          events.push({ kind: "link", at, data: { event: "unknown_frame", frame } });
          return;
        }
        const { [DECISION_FIELD]: decision, ...message } = sent as Record<string, unknown>;
        events.push({ kind: "sent", at, data: message });
        if (typeof decision === "object" && decision !== null) events.push({ kind: "decision", at, data: decision as Record<string, unknown> });
        this.settle((frame as { out?: string }).out);
        return;
      }
      case "csm_delivered":
        this.settle((frame as { out?: string }).out);
        return;
      case "csm_undeliverable": {
        const { out, reason } = frame as BridgeFrame & { type: "csm_undeliverable" };
        events.push({ kind: "link", at, data: { event: "undeliverable", reason } });
        this.settle(out, typeof reason === "string" ? reason : "the message could not be delivered");
        return;
      }
      case "csm_decision":
        // The bridge's PreToolUse hook denied a tool call by a rule, before claude ran it.
        events.push({ kind: "decision", at, data: (frame as BridgeFrame & { type: "csm_decision" }).decision });
        return;
    }
    if (!isClaudeToCsm(frame)) {
      events.push({ kind: "link", at, data: { event: "unknown_frame", frame } });
      return;
    }
    const message = frame as ClaudeToCsm;
    if (message.type === "stream_event") {
      this.live.recordTransient(session, message, at);
      return;
    }
    if (message.type === "control_request" && message.request.subtype !== "can_use_tool") unserved.push(message.request_id);
    events.push({ kind: "claude", at, data: message, uuid: typeof frame.uuid === "string" ? frame.uuid : null });
  }

  /** The link's answer to the challenge, its first frame: right, it is linked; anything else ends it. */
  private checkProof(socket: ServerWebSocket<AgentSocketData>, text: string): void {
    const proving = socket.data.proving!;
    clearTimeout(proving.timer);
    let answer: Partial<AgentAuthFrame> | null = null;
    try {
      answer = JSON.parse(text) as Partial<AgentAuthFrame>;
    } catch {
      // Not even JSON: refused below.
    }
    if (answer?.type !== "csm_auth" || !proofMatches(answer.proof, proving.expected)) {
      socket.close(4401, "agent proof refused");
      return;
    }
    socket.data.seal = proving.seal;
    delete socket.data.proving;
    this.open(socket);
  }

  close(socket: ServerWebSocket<AgentSocketData>): void {
    if (socket.data.proving) return clearTimeout(socket.data.proving.timer);
    const { session } = socket.data;
    if (this.connections.get(session)?.socket !== socket) return;
    this.connections.delete(session);
    this.live.setLinked(session, false);
    this.live.record(session, [{ kind: "link", at: now(), data: { event: "unlinked" } }]);
    this.onUnlinked(session);
  }

  /**
   * Sends a message to claude. Over the bridge it resolves once the bridge has written it
   * to claude (the bridge's own csm_sent report is what gets stored); over sdk-url the hub
   * stores it itself when sent.
   *
   * `decision`: the log's record of who answered a tool request, stored with what claude
   * got. It travels with the answer and comes back in the bridge's numbered report, so the
   * hub that stores the report stores the decision, exactly once, even when the hub that
   * sent it died before the report came.
   */
  async send(session: string, message: CsmToClaude, decision?: Record<string, unknown>): Promise<void> {
    const connection = this.connections.get(session);
    if (!connection) {
      throw new CsmError("NotLinked", `${session} is not linked to the hub right now (is claude running? try \`csm reconnect ${session}\`)`, {
        data: { session },
      });
    }
    if (connection.socket.data.transport === "sdk-url") {
      write(connection.socket, encodeFrame(message));
      const at = now();
      const stored: NewEvent[] = [{ kind: "sent", at, data: message }];
      if (decision) stored.push({ kind: "decision", at, data: decision });
      this.live.record(session, stored);
      return;
    }
    const out = crypto.randomUUID();
    const delivered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.deliveries.delete(out);
        reject(new CsmError("NotDelivered", `${session}: the bridge did not confirm delivery within ${DELIVERY_TIMEOUT_MS / 1000} s`));
      }, DELIVERY_TIMEOUT_MS);
      this.deliveries.set(out, (refused) => {
        clearTimeout(timer);
        if (refused === undefined) resolve();
        else reject(new CsmError("Undeliverable", `${session}: ${refused}`, { data: { session } }));
      });
    });
    // A pane of this csm (a proven, sealed link) gives the decision back in its report; an
    // older one would hand it to claude, so for it the hub records it once delivered.
    const echoed = connection.socket.data.seal !== undefined;
    write(connection.socket, encodeFrame({ ...message, csm_out: out, ...(decision && echoed ? { [DECISION_FIELD]: decision } : {}) }));
    if (decision && !echoed) return delivered.then(() => void this.live.record(session, [{ kind: "decision", at: now(), data: decision }]));
    return delivered;
  }

  private settle(out: string | undefined, refused?: string): void {
    if (!out) return;
    this.deliveries.get(out)?.(refused);
    this.deliveries.delete(out);
  }

  /** Ends an sdk-url claude for good (4001; a 1000 close makes it reconnect in a loop). */
  endSdkSession(session: string): void {
    const connection = this.connections.get(session);
    if (connection?.socket.data.transport === "sdk-url") connection.socket.close(4001, "session ended by csm");
  }
}

const now = () => new Date().toISOString();

/** A frame to the link: sealed when the link proved itself (bridges, native), as is otherwise (sdk-url claude, older bridges). */
function write(socket: ServerWebSocket<AgentSocketData>, text: string): void {
  socket.send(socket.data.seal ? socket.data.seal.seal(text) : text);
}
