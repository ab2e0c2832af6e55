import { CsmError } from "../shared/errors.ts";
import { HELP_REQUESTED, surelyAsksForHelp } from "./args.ts";
import { findCommand } from "./commands/registry.ts";
import { processOutput, type Output } from "./io.ts";

export async function main(argv: string[], io: Output = processOutput): Promise<number> {
  try {
    return await dispatch(argv, io);
  } finally {
    await io.flush();
  }
}

async function dispatch(argv: string[], io: Output): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-V" || first === "version") {
    io.out(`csm ${(await import("../shared/version.ts")).VERSION}`);
    return 0;
  }
  if (first === undefined || first === "dashboard") {
    try {
      return await (await import("./commands/dashboard.ts")).run(rest, io);
    } catch (error) {
      return reportError(error, io);
    }
  }
  if (first === "--help" || first === "-h") return (await import("./commands/help.ts")).run(rest, io);
  const command = findCommand(first);
  if (!command) {
    io.err(`csm: unknown command ${JSON.stringify(first)} (see \`csm help\`)`);
    return 2;
  }
  try {
    const module = await command.load();
    // Help where a flag can stand; `send x -- --help` and `--prompt -h` are data (see args.ts).
    if (surelyAsksForHelp(rest)) return (await import("./commands/help.ts")).run([command.name], io);
    if (command.remote) {
      const routed = await (await import("./host-routing.ts")).routeToHost(command.name, rest, io);
      if ("code" in routed) return routed.code;
      return await module.run(routed.argv, io);
    }
    return await module.run(rest, io);
  } catch (error) {
    if (error instanceof CsmError && error.name === HELP_REQUESTED) return (await import("./commands/help.ts")).run([command.name], io);
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: Output): number {
  if (error instanceof CsmError) {
    io.err(`csm: ${error.message}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`csm: ${message}`);
  if (process.env.CSM_DEBUG && error instanceof Error && error.stack) io.err(error.stack);
  return 1;
}
