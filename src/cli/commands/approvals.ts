import { createContext } from "../../core/context.ts";
import { pickRequest } from "../../core/live/pick-request.ts";
import { callHub } from "../../hub-client/api.ts";
import { ensureHub } from "../../hub-client/hub-start.ts";
import { primaryInputText } from "../../link/render.ts";
import { printable } from "../../shared/printable.ts";
import { checkName } from "../../shared/names.ts";
import { parseFlags, type FlagSpec } from "../args.ts";
import { printJson, type Output } from "../io.ts";
import { formatAge, formatTable } from "../table.ts";

// The person's side of tool approval: list what waits, allow or deny it by id.

export async function pending(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags("pending", argv, { json: { type: "boolean" } }, { min: 0, max: 0 });
  const ctx = await createContext();
  try {
    const requests = await callHub(await ensureHub(ctx), "GET /api/pending");
    if (flags.json) printJson(io, requests);
    else if (requests.length === 0) io.out("nothing is waiting for approval");
    else {
      const now = new Date();
      io.out(formatTable(["SESSION", "REQUEST", "TOOL", "AGE", "INPUT"], requests.map((r) => [r.session, r.requestId, r.toolName, formatAge(r.receivedAt, now), primaryInputText(r.toolName, r.input)])));
    }
    return 0;
  } finally {
    ctx.close();
  }
}

function answer(action: "allow" | "deny") {
  const command = action === "allow" ? "approve" : "deny";
  return async (argv: string[], io: Output): Promise<number> => {
    const spec: FlagSpec = action === "allow" ? { always: { type: "boolean" } } : { always: { type: "boolean" }, message: { type: "string" } };
    const { flags, positionals } = parseFlags(command, argv, spec, { min: 1, max: 2 });
    const name = checkName("session", positionals[0]!);
    const ctx = await createContext();
    try {
      const hub = await ensureHub(ctx);
      const all = await callHub(hub, "GET /api/pending");
      const mine = all.filter((r) => r.session === name && (r.host ?? ctx.host.hostName) === ctx.host.hostName).map((r) => ({ ...r, summary: primaryInputText(r.toolName, r.input) }));
      const request = pickRequest(name, mine, positionals[1]);
      const message = flags.message as string | undefined;
      const reply = await callHub(hub, "POST /api/sessions/:host/:name/approve-tool", {
        session: { host: ctx.host.hostName, name },
        body: { requestId: request.requestId, action, ...(message !== undefined ? { message } : {}), ...(flags.always ? { always: true } : {}) },
      });
      // The command came from claude: shown, never obeyed (formatTable does the same for `pending`).
      io.out(printable(`${action === "allow" ? "allowed" : "denied"} ${request.toolName} ${request.summary}`, { multiline: true }));
      for (const rule of reply.decision.addedRules ?? []) io.out(printable(`added rule: ${rule.tool}${rule.pattern !== undefined ? ` ${JSON.stringify(rule.pattern)}` : ""} → ${rule.action}`));
      return 0;
    } finally {
      ctx.close();
    }
  };
}

export const approve = answer("allow");
export const deny = answer("deny");
