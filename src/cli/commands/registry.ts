import type { Output } from "../io.ts";

// The command table: the dispatcher and `csm help` read it, so a command's usage is
// written once. Modules load lazily so `csm list` pays only for what it runs.

export type CommandRun = (argv: string[], io: Output) => Promise<number>;

export interface CommandInfo {
  name: string;
  aliases?: string[];
  usage: string;
  summary: string;
  hidden?: boolean;
  load: () => Promise<{ run: CommandRun }>;
}

export const COMMANDS: CommandInfo[] = [
  {
    name: "create",
    usage: "create NAME [--repo PATH] [--base REF] [--prompt TEXT] [--project P] [--no-worktree] [--json]",
    summary: "new worktree on branch csm/NAME-<time>, tmux session csm-NAME, claude running in it",
    load: () => import("./create.ts"),
  },
  {
    name: "list",
    aliases: ["ls"],
    usage: "list [--json]",
    summary: "every session: status, branch, age, worktree",
    load: () => import("./list.ts"),
  },
  {
    name: "attach",
    aliases: ["a"],
    usage: "attach NAME [--shell]",
    summary: "attach to the agent window (or the shell window); switch-client inside tmux",
    load: () => import("./attach.ts"),
  },
  {
    name: "kill",
    aliases: ["k"],
    usage: "kill NAME [--delete-branch] [--force]",
    summary: "stop the session and remove its worktree; refuses to lose unsaved work without --force",
    load: () => import("./kill.ts"),
  },
  { name: "hosts", usage: "hosts [--json]", summary: "configured hosts", load: () => import("./hosts.ts") },
  { name: "doctor", usage: "doctor", summary: "check tmux, git, claude, bun and the config, with a fix for each problem", load: () => import("./doctor.ts") },
  { name: "help", usage: "help [COMMAND]", summary: "this help", load: () => import("./help.ts") },
  {
    name: "run-agent",
    usage: "run-agent SPEC_FILE",
    summary: "internal: what a session's agent window runs",
    hidden: true,
    load: () => import("./run-agent.ts"),
  },
];

export function findCommand(name: string): CommandInfo | undefined {
  return COMMANDS.find((command) => command.name === name || command.aliases?.includes(name));
}
