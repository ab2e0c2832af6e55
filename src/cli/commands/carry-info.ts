import { createContext } from "../../core/context.ts";
import { localCarryInfo, type CarryQuery } from "../../core/carry/move-machine.ts";
import { usageError } from "../../shared/errors.ts";
import { parseFlags } from "../args.ts";
import { jsonText, type Output } from "../io.ts";

// `csm carry-info --json [--id ID (--project-dir DIR | --portable-cwd TEXT)]` (hidden): what
// another machine's `csm move` asks this one — its machineName, home, claude config dir and
// pathMap, and where a conversation's files are (or would go) here, with what exists.

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags } = parseFlags(
    "carry-info",
    argv,
    { json: { type: "boolean" }, id: { type: "string" }, "project-dir": { type: "string" }, "portable-cwd": { type: "string" } },
    { min: 0, max: 0 },
  );
  const dir = flags["project-dir"];
  const cwd = flags["portable-cwd"];
  if ((dir !== undefined || cwd !== undefined) !== (flags.id !== undefined) || (dir !== undefined && cwd !== undefined)) {
    throw usageError("carry-info: give --id with one of --project-dir or --portable-cwd, or none of them");
  }
  const query: CarryQuery | undefined = flags.id === undefined ? undefined : dir !== undefined ? { id: flags.id, projectDir: dir } : { id: flags.id, portableCwd: cwd! };
  const ctx = await createContext();
  try {
    io.out(jsonText(await localCarryInfo(ctx, query), flags.json ? 2 : undefined));
    return 0;
  } finally {
    ctx.close();
  }
}
