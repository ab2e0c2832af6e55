import { createContext } from "../../core/context.ts";
import { callHub, type ApiCalls } from "../../hub-client/api.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import { checkName } from "../../shared/names.ts";
import { parseFlags } from "../args.ts";
import type { Output } from "../io.ts";

// Commands that ask the hub to act on one session: send, interrupt, reconnect. Each is a
// POST to /api/sessions/local/NAME/<action>, typed by the API contract (hub-client/api.ts);
// they differ only in arguments and what they print.

type ActionCall = "POST /api/sessions/:host/:name/message" | "POST /api/sessions/:host/:name/interrupt" | "POST /api/sessions/:host/:name/reconnect";
type BodyOf<K extends ActionCall> = ApiCalls[K] extends { body: infer B } ? B : never;

interface SessionAction<K extends ActionCall> {
  command: string;
  call: K;
  /** Positional arguments after NAME, and the request body built from them. */
  extra: number;
  body?: (args: string[]) => BodyOf<K>;
  done(name: string, reply: ApiCalls[K]["reply"]): string;
}

function sessionAction<K extends ActionCall>(spec: SessionAction<K>) {
  return async (argv: string[], io: Output): Promise<number> => {
    const { positionals } = parseFlags(spec.command, argv, {}, { min: 1 + spec.extra, max: 1 + spec.extra });
    const name = checkName("session", positionals[0]!);
    const ctx = await createContext();
    try {
      const hub = await ensureHub(ctx);
      const session = { host: ctx.host.hostName, name };
      // Each spec pairs its call with that call's body; the union of calls cannot say so to the compiler.
      const reply = await callHub(hub, spec.call, { session, ...(spec.body ? { body: spec.body(positionals.slice(1)) } : {}) } as never);
      io.out(spec.done(name, reply));
      return 0;
    } finally {
      ctx.close();
    }
  };
}

export const send = sessionAction({
  command: "send",
  call: "POST /api/sessions/:host/:name/message",
  extra: 1,
  body: ([text]) => ({ text }),
  done: (name, reply) => (reply.delivered === "link" ? `sent to ${name}` : `typed into ${name}'s agent window (not linked)`),
});

export const interrupt = sessionAction({ command: "interrupt", call: "POST /api/sessions/:host/:name/interrupt", extra: 0, done: (name) => `interrupted ${name}` });

export const reconnect = sessionAction({
  command: "reconnect",
  call: "POST /api/sessions/:host/:name/reconnect",
  extra: 0,
  done: (name) => `reconnecting ${name}: claude resumes its conversation`,
});
