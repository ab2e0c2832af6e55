import { join } from "node:path";
import { connectAgentSocket } from "../../src/cli/agent-socket.ts";
import type { AgentSocket } from "../../src/link/hub-link.ts";
import { openDatabase } from "../../src/store/db.ts";
import { SessionStore } from "../../src/store/sessions.ts";
import type { Sandbox } from "./sandbox.ts";

// A session whose pane's end of the link the test plays (as `bun run bench hub` does), over
// the real client: the test says what the bridge sends and sees what the hub answers,
// frame by frame, against a real hub.

export interface PlayedBridge {
  socket: AgentSocket;
  frames: Record<string, unknown>[];
  /** The hub's hello: the last frame number it stored. */
  hello: Promise<number>;
}

/** Session `name` in the store with `secret`, and a live tmux session with an agent window, so the hub counts it as running. */
export async function playedSession(sb: Sandbox, name: string, secret: string): Promise<void> {
  const db = openDatabase(join(sb.paths.stateHome, "csm", "csm.sqlite"));
  new SessionStore(db).insert({
    host: "local", name, repo: null, worktree: sb.paths.root, branch: null, baseRef: null, baseCommit: null,
    createdBranch: false, createdWorktree: false, createdAt: new Date(Date.now() - 60_000).toISOString(), options: {}, claudeSessionId: null,
    favourite: false, exitStatus: null, exitedAt: null, agentSecret: secret, transport: "bridge",
  });
  db.close();
  const made = await sb.tmux(["new-session", "-d", "-s", `csm-${name}`, "-n", "agent", "sleep 600"]);
  if (made.code !== 0) throw new Error(`tmux new-session: ${made.stderr}`);
}

export function playBridge(port: number, name: string, secret: string): PlayedBridge {
  const frames: Record<string, unknown>[] = [];
  let said!: (lastSeq: number) => void;
  const hello = new Promise<number>((resolve) => (said = resolve));
  const socket = connectAgentSocket(`ws://127.0.0.1:${port}/ws/agent/${name}?transport=bridge`, secret, {
    open() {},
    message(text) {
      for (const line of text.split("\n").filter(Boolean)) {
        const frame = JSON.parse(line) as Record<string, unknown>;
        frames.push(frame);
        if (frame.type === "csm_hello") said(frame.lastSeq as number);
      }
    },
    close() {},
  });
  return { socket, frames, hello };
}

/** claude's can_use_tool for Bash `command`, as the bridge relays it. */
export const bashRequest = (requestId: string, command: string, seq: number) =>
  `${JSON.stringify({ type: "control_request", request_id: requestId, request: { subtype: "can_use_tool", tool_name: "Bash", input: { command }, tool_use_id: `t-${requestId}` }, csm_seq: seq })}\n`;
