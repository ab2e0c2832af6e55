import { LocalHost } from "../../host/local.ts";
import type { Output } from "../io.ts";
import { hubHookUrl, SDK_URL_SECRET_VARIABLE } from "../../link/launch.ts";
import { recordExit, takeLaunchSpec, writeHookSettings } from "./agent-spec.ts";

// What an sdk-url session's agent window runs: claude on the pane's terminal, linked to
// the hub by --sdk-url (its secret in CLAUDE_CODE_SESSION_ACCESS_TOKEN, not in argv). Its
// PreToolUse hook calls the hub, with the same secret: an sdk-url claude depends on the
// hub for everything anyway.
export async function run(argv: string[], io: Output): Promise<number> {
  if (!argv[0]) {
    io.err("csm: run-agent needs a session name");
    return 2;
  }
  const spec = await takeLaunchSpec(argv[0]);
  let status: number;
  const removeSettings = await writeHookSettings(spec, hubHookUrl(spec.agentUrl), SDK_URL_SECRET_VARIABLE);
  try {
    status = await new LocalHost().runAttached(spec.argv, { cwd: spec.cwd, env: spec.env });
  } catch (error) {
    io.err(`csm: ${(error as Error).message}`);
    status = 127;
  }
  await removeSettings();
  await recordExit(spec, status);
  io.err(`csm: claude exited with status ${status}`);
  return status;
}
