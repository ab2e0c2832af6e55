import { COMMANDS, findCommand } from "./registry.ts";
import type { Output } from "../io.ts";

export async function run(argv: string[], io: Output): Promise<number> {
  const topic = argv[0];
  if (topic !== undefined) {
    const command = findCommand(topic);
    if (!command) {
      io.err(`csm: no command ${JSON.stringify(topic)} (see \`csm help\`)`);
      return 2;
    }
    const aliases = command.aliases?.length ? `\naliases: ${command.aliases.join(", ")}` : "";
    io.out(`usage: csm ${command.usage}\n\n${command.summary}${aliases}`);
    return 0;
  }
  const visible = COMMANDS.filter((command) => !command.hidden);
  const width = Math.max(...visible.map((command) => command.usage.split(" ")[0]!.length + (command.aliases ? command.aliases.join(", ").length + 3 : 0)));
  const lines = visible.map((command) => {
    const label = command.aliases ? `${command.name} (${command.aliases.join(", ")})` : command.name;
    return `  ${label.padEnd(width)}  ${command.summary}`;
  });
  io.out(["csm: a terminal manager for Claude Code sessions", "", "usage: csm COMMAND [options]   (csm help COMMAND for its options)", "", ...lines, "", "  --version      print the version"].join("\n"));
  return 0;
}
