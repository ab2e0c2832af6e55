import { Database } from "bun:sqlite";
import { join } from "node:path";
import type { Sandbox } from "./sandbox.ts";

// A WebSocket client that behaves as claude ≤ 2.1.120 does over --sdk-url (claude-code.md
// §2): it sends NDJSON frames and reads what the hub sends it.

export interface SdkPeer {
  socket: WebSocket;
  frames: string[];
  opened: Promise<boolean>;
  closed: Promise<number>;
  send(...messages: object[]): void;
}

export function connectPeer(url: string, secret: string | null): SdkPeer {
  const headers = secret === null ? {} : { authorization: `Bearer ${secret}` };
  const socket = new WebSocket(url, { headers } as unknown as string[]);
  const frames: string[] = [];
  socket.onmessage = (event) => frames.push(String(event.data));
  const opened = new Promise<boolean>((resolve) => {
    socket.onopen = () => resolve(true);
    socket.onerror = () => resolve(false);
  });
  const closed = new Promise<number>((resolve) => socket.addEventListener("close", (event) => resolve(event.code)));
  // Several frames glued in one WebSocket message, as a stream may deliver them.
  const send = (...messages: object[]) => socket.send(messages.map((m) => `${JSON.stringify(m)}\n`).join(""));
  return { socket, frames, opened, closed, send };
}

/** The session's agent socket URL and secret, read from the sandbox's own store. */
export async function agentEndpoint(sb: Sandbox, session: string): Promise<{ url: string; secret: string; port: number }> {
  const db = new Database(join(sb.paths.stateHome, "csm", "csm.sqlite"), { readonly: true });
  const secret = (db.query("SELECT agent_secret FROM sessions WHERE name = ?").get(session) as { agent_secret: string }).agent_secret;
  db.close();
  const port = (await Bun.file(join(sb.paths.stateHome, "csm", "hub.json")).json()).port as number;
  return { url: `ws://127.0.0.1:${port}/ws/agent/${session}`, secret, port };
}

export const toolRequest = (requestId: string, command: string) => ({
  type: "control_request",
  request_id: requestId,
  request: { subtype: "can_use_tool", tool_name: "Bash", input: { command }, tool_use_id: `tu-${requestId}` },
});
