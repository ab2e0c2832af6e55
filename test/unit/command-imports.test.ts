import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/commands/registry.ts";

// Each command's prebuilt bundle carries what that command loads, but never another command's
// module (src/prebuilt/build.ts stubs those): a command that imports another works from source
// and fails once bundles are built. Shared code lives outside the command modules.

const DIR = join(import.meta.dir, "../../src/cli/commands");

test("no command module imports another command module", () => {
  const commandFiles = new Set(COMMANDS.map((command) => command.load.toString().match(/\.\/([\w-]+\.ts)/)?.[1]).filter((file): file is string => !!file));
  const offenders: string[] = [];
  for (const file of readdirSync(DIR).filter((name) => name.endsWith(".ts") && name !== "registry.ts")) {
    const source = readFileSync(join(DIR, file), "utf8");
    for (const match of source.matchAll(/(?:from|import\()\s*"\.\/([\w-]+\.ts)"/g)) {
      if (commandFiles.has(match[1]!) && match[1] !== file) offenders.push(`${file} → ${match[1]}`);
    }
  }
  expect(commandFiles.size).toBeGreaterThan(20);
  expect(offenders).toEqual([]);
});
