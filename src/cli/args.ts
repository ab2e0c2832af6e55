import { parseArgs } from "node:util";
import { usageError } from "../shared/errors.ts";

// Flag parsing for every command, on node:util's parseArgs (built in, so it costs no
// start-up time). Any parse problem becomes a usage error: exit 2, nothing touched.

export type FlagSpec = Record<string, { type: "boolean" | "string"; short?: string; multiple?: boolean }>;

export interface Parsed<F extends FlagSpec> {
  flags: { [K in keyof F]?: F[K]["type"] extends "boolean" ? boolean : string };
  positionals: string[];
}

export function parseFlags<F extends FlagSpec>(command: string, argv: string[], flags: F, positionals: { min: number; max: number }): Parsed<F> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`${command}: ${(error as Error).message.split("\n")[0]} (see \`csm help ${command}\`)`);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) throw usageError(`${command}: missing argument (see \`csm help ${command}\`)`);
  if (count > positionals.max) throw usageError(`${command}: unexpected argument ${JSON.stringify(parsed.positionals[positionals.max])} (see \`csm help ${command}\`)`);
  return { flags: parsed.values as Parsed<F>["flags"], positionals: parsed.positionals };
}
