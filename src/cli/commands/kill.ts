import { createContext } from "../../core/context.ts";
import { killSession } from "../../core/sessions/kill.ts";
import { callHub } from "../../hub-client/api.ts";
import { findHub } from "../../hub-client/client.ts";
import { CsmError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import { parseFlags } from "../args.ts";
import type { Output } from "../io.ts";

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "kill",
    argv,
    { "delete-branch": { type: "boolean" }, force: { type: "boolean", short: "f" } },
    { min: 1, max: 1 },
  );
  const name = checkName("session", positionals[0]!);
  const options = { deleteBranch: flags["delete-branch"], force: flags.force };
  const ctx = await createContext();
  try {
    // Through the hub when it runs, so it ends the link and forgets the session; the same
    // core code runs either way.
    const hub = await findHub(ctx);
    const removed = hub
      ? (await callHub(hub, "DELETE /api/sessions/:host/:name", { session: { host: ctx.host.hostName, name }, body: options }).catch((error: unknown) => {
          if (error instanceof CsmError && error.name === "HubUnreachable") return { removed: null };
          throw error;
        })).removed ?? (await killSession(ctx, { name, ...options }))
      : await killSession(ctx, { name, ...options });
    io.out(`killed ${name}${removed.length ? `: removed ${removed.join(", ")}` : ""}`);
    return 0;
  } finally {
    ctx.close();
  }
}
