import type { AgentSocket, AgentSocketHandlers } from "../../src/link/hub-link.ts";

// The hub's end of the agent socket, scripted, for unit tests of the pane's end of the link
// (the bridge, the native supervisor): every connection the link opens, what it sent on
// each, and a way to speak to it as the hub would.

export interface ScriptedConnection {
  sent: string[];
  handlers: AgentSocketHandlers;
}

export function scriptedHub() {
  const sockets: ScriptedConnection[] = [];
  const connect = (_url: string, _secret: string, handlers: ScriptedConnection["handlers"]): AgentSocket => {
    const socket = { sent: [] as string[], handlers };
    sockets.push(socket);
    return { send: (text) => void socket.sent.push(text), close: () => {} };
  };
  /** What connection `i` carried, decoded. */
  const all = (i: number) => sockets[i]!.sent.map((line) => JSON.parse(line) as Record<string, unknown>);
  /** A frame from the hub on connection `i` (the newest by default). */
  const say = (frame: object, i = sockets.length - 1) => sockets[i]!.handlers.message(`${JSON.stringify(frame)}\n`);
  return { sockets, connect, all, say, hello: (i: number, lastSeq: number) => say({ type: "csm_hello", lastSeq }, i) };
}
