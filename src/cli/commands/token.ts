import { loadSettings } from "../../config/load.ts";
import { ensureToken, writeNewToken } from "../../hub/token.ts";
import { parseFlags } from "../args.ts";
import type { Output } from "../io.ts";

// `csm token`: the bearer token for the hub's API (the file is 0600 in the config dir).
// --rotate writes a new one; the running hub follows the file, so the old one stops working.
export async function run(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags("token", argv, { rotate: { type: "boolean" } }, { min: 0, max: 0 });
  const path = `${(await loadSettings()).paths.configDir}/token`;
  io.out(flags.rotate ? writeNewToken(path) : ensureToken(path));
  return 0;
}
