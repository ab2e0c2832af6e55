import { createContext } from "../core/context.ts";
import { callHub } from "../hub-client/api.ts";
import { ensureHub } from "../hub-client/hub-start.ts";
import { checkName } from "../shared/names.ts";
import { parseFlags } from "./args.ts";
import type { Output } from "./io.ts";

// `csm mute NAME` / `csm unmute NAME`: whether the hub sends notifications for a session
// (config `notify`). Stored per session, so it outlives the hub; `muted` in `csm list --json`.

export function muteCommand(muted: boolean) {
  const command = muted ? "mute" : "unmute";
  return async (argv: string[], io: Output): Promise<number> => {
    const { positionals } = parseFlags(command, argv, {}, { min: 1, max: 1 });
    const name = checkName("session", positionals[0]!);
    const ctx = await createContext();
    try {
      const hub = await ensureHub(ctx);
      await callHub(hub, "POST /api/sessions/:host/:name/mute", { session: { host: ctx.host.hostName, name }, body: { muted } });
      io.out(muted ? `muted ${name}: no notifications from it (\`csm unmute ${name}\` to undo)` : `unmuted ${name}`);
      return 0;
    } finally {
      ctx.close();
    }
  };
}

