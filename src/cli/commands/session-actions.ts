import { createContext } from "../../core/context.ts";
import { ensureHub } from "../../hub/client.ts";
import { checkName } from "../../shared/names.ts";
import { parseFlags } from "../args.ts";
import type { Output } from "../io.ts";

// Commands that ask the hub to act on one session: send, interrupt, reconnect.

async function hubFor(name: string) {
  checkName("session", name);
  const ctx = await createContext();
  return { ctx, hub: await ensureHub(ctx) };
}

export async function send(argv: string[], io: Output): Promise<number> {
  const { positionals } = parseFlags("send", argv, {}, { min: 2, max: 2 });
  const [name, text] = positionals as [string, string];
  const { ctx, hub } = await hubFor(name);
  try {
    const { delivered } = await hub.request<{ delivered: "link" | "paste" }>("POST", `/api/sessions/${name}/message`, { text });
    io.out(delivered === "link" ? `sent to ${name}` : `typed into ${name}'s agent window (not linked)`);
    return 0;
  } finally {
    ctx.close();
  }
}

export async function interrupt(argv: string[], io: Output): Promise<number> {
  const { positionals } = parseFlags("interrupt", argv, {}, { min: 1, max: 1 });
  const { ctx, hub } = await hubFor(positionals[0]!);
  try {
    await hub.request("POST", `/api/sessions/${positionals[0]}/interrupt`);
    io.out(`interrupted ${positionals[0]}`);
    return 0;
  } finally {
    ctx.close();
  }
}

export async function reconnect(argv: string[], io: Output): Promise<number> {
  const { positionals } = parseFlags("reconnect", argv, {}, { min: 1, max: 1 });
  const { ctx, hub } = await hubFor(positionals[0]!);
  try {
    await hub.request("POST", `/api/sessions/${positionals[0]}/reconnect`);
    io.out(`reconnecting ${positionals[0]}: claude resumes its conversation`);
    return 0;
  } finally {
    ctx.close();
  }
}
