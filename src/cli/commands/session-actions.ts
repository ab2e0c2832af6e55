import { createContext } from "../../core/context.ts";
import { sessionPath } from "../../hub-client/client.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import { checkName } from "../../shared/names.ts";
import { parseFlags } from "../args.ts";
import type { Output } from "../io.ts";

// Commands that ask the hub to act on one session: send, interrupt, reconnect. Each is a
// POST to /api/sessions/local/NAME/<action>; they differ only in arguments and what they print.

interface SessionAction {
  command: string;
  action: string;
  /** Positional arguments after NAME, and the request body built from them. */
  extra: number;
  body?: (args: string[]) => unknown;
  done(name: string, reply: Record<string, unknown>): string;
}

function sessionAction(spec: SessionAction) {
  return async (argv: string[], io: Output): Promise<number> => {
    const { positionals } = parseFlags(spec.command, argv, {}, { min: 1 + spec.extra, max: 1 + spec.extra });
    const name = checkName("session", positionals[0]!);
    const ctx = await createContext();
    try {
      const hub = await ensureHub(ctx);
      const reply = await hub.request<Record<string, unknown>>("POST", sessionPath(ctx.host.hostName, name, `/${spec.action}`), spec.body?.(positionals.slice(1)));
      io.out(spec.done(name, reply));
      return 0;
    } finally {
      ctx.close();
    }
  };
}

export const send = sessionAction({
  command: "send",
  action: "message",
  extra: 1,
  body: ([text]) => ({ text }),
  done: (name, reply) => (reply.delivered === "link" ? `sent to ${name}` : `typed into ${name}'s agent window (not linked)`),
});

export const interrupt = sessionAction({ command: "interrupt", action: "interrupt", extra: 0, done: (name) => `interrupted ${name}` });

export const reconnect = sessionAction({
  command: "reconnect",
  action: "reconnect",
  extra: 0,
  done: (name) => `reconnecting ${name}: claude resumes its conversation`,
});
