import { LocalHost } from "../../host/local.ts";
import type { Output } from "../io.ts";
import { recordExit, takeLaunchSpec } from "./agent-spec.ts";

// What an sdk-url session's agent window runs: claude on the pane's terminal, linked to
// the hub by --sdk-url (its secret in CLAUDE_CODE_SESSION_ACCESS_TOKEN, not in argv).
export async function run(argv: string[], io: Output): Promise<number> {
  if (!argv[0]) {
    io.err("csm: run-agent needs a session name");
    return 2;
  }
  const spec = await takeLaunchSpec(argv[0]);
  let status: number;
  try {
    status = await new LocalHost().runAttached(spec.argv, { cwd: spec.cwd, env: spec.env });
  } catch (error) {
    io.err(`csm: ${(error as Error).message}`);
    status = 127;
  }
  await recordExit(spec, status);
  io.err(`csm: claude exited with status ${status}`);
  return status;
}
