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
  /** Takes a session name (or --host): routed to the host that has the session. */
  remote?: boolean;
  load: () => Promise<{ run: CommandRun }>;
}

export const COMMANDS: CommandInfo[] = [
  {
    name: "create", remote: true,
    usage: "create NAME [--host H] [--repo PATH] [--base REF | --branch B | --pr N [--remote R]] [--prompt TEXT] [--project P] [--no-worktree] [--mode native|headless] [--transport auto|bridge|sdk-url] [--json]",
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
    name: "attach", remote: true,
    aliases: ["a"],
    usage: "attach NAME [--shell]",
    summary: "attach to the agent window (or the shell window); switch-client inside tmux",
    load: () => import("./attach.ts"),
  },
  {
    name: "kill", remote: true,
    aliases: ["k"],
    usage: "kill NAME [--delete-branch] [--force]",
    summary: "stop the session and remove its worktree; refuses to lose unsaved work without --force",
    load: () => import("./kill.ts"),
  },
  {
    name: "diff", remote: true,
    usage: "diff NAME [--stat] [--json]",
    summary: "what the session changed against its base: commits, uncommitted and untracked files",
    load: () => import("./diff.ts"),
  },
  { name: "send", remote: true, usage: "send NAME TEXT", summary: "send a message to the session's claude (typed into its pane when not linked)", load: () => import("./send.ts") },
  { name: "logs", remote: true, usage: "logs NAME [--follow] [--json] [--tail N]", summary: "the session's event log; --follow continues live", load: () => import("./logs.ts") },
  { name: "mute", remote: true, usage: "mute NAME", summary: "no notifications from this session (config notify); `unmute` undoes it", load: () => import("./mute.ts") },
  { name: "unmute", remote: true, usage: "unmute NAME", summary: "notifications from this session again", load: () => import("./unmute.ts") },
  { name: "status-line", usage: "status-line", summary: "one short line for tmux's status-right: ◆2 waiting ●3 working ○1 idle (nothing without a hub)", load: () => import("./status-line.ts") },
  { name: "interrupt", remote: true, usage: "interrupt NAME", summary: "stop claude's current turn", load: () => import("./interrupt.ts") },
  { name: "reconnect", remote: true, usage: "reconnect NAME", summary: "restart a dead claude with --resume in the same worktree", load: () => import("./reconnect.ts") },
  {
    name: "merge", remote: true,
    usage: "merge NAME [--squash|--rebase] [--into BRANCH] [--message M] [--json]",
    summary: "land the session's branch on its base branch (or --into), in the repo's clean checkout of it; a conflict changes nothing",
    load: () => import("./merge.ts"),
  },
  { name: "push", remote: true, usage: "push NAME [--remote R] [--json]", summary: "push the session's branch with upstream set (git push -u, default remote origin)", load: () => import("./push.ts") },
  {
    name: "history",
    usage: "history [--host H | --all-hosts] [--project PATH] [--since 7d|DATE] [--limit N] [--json] [--stats]",
    summary: "every Claude conversation on this host (or every host), newest first, not only csm's",
    load: () => import("./history.ts"),
  },
  {
    name: "search",
    usage: "search WORDS… [--host H] [--limit N] [--color] [--json]",
    summary: "full text over prompts, replies and tool calls of every conversation on every host, ranked",
    load: () => import("./search.ts"),
  },
  {
    name: "info",
    usage: "info ID|PREFIX|TITLE|SESSION [--host H] [--json]",
    summary: "one conversation: where it ran, models, turns, last tool use, last error, how it ended",
    load: () => import("./info.ts"),
  },
  {
    name: "resume",
    usage: "resume ID|PREFIX|TITLE [--name N] [--host H] [--force] [--worktree [--repo PATH]] [--json]",
    summary: "a csm session running claude --resume on the conversation, in its directory, on its host",
    load: () => import("./resume.ts"),
  },
  {
    name: "last",
    usage: "last [--any] [--name N] [--force] [--json]",
    summary: "resume the most recent conversation of the current directory (of any with --any)",
    load: () => import("./last.ts"),
  },
  {
    name: "archive",
    usage: "archive [--host H | --all-hosts] [--json] | archive show NAME|ID [--host H] [--json] | archive log NAME|ID [--host H] [--tail-kb 64]",
    summary: "every csm session that ended: when, why, cost, last tool, last message; show: its postmortem; log: its pane's last output",
    load: () => import("./archive.ts"),
  },
  {
    name: "gc",
    usage: "gc [--apply] [--json] [--host H | --all-hosts]",
    summary: "husk conversations (nothing said, nothing answered), each with the rule that matched; --apply moves them to the trash",
    load: () => import("./gc.ts"),
  },
  {
    name: "prune",
    usage: "prune [--days N] [--apply] [--json] [--host H | --all-hosts]",
    summary: "unnamed conversations idle N days (default 30), never live, csm's or favourites; --apply moves them to the trash",
    load: () => import("./prune.ts"),
  },
  {
    name: "trash",
    usage: "trash [--json] [--host H | --all-hosts] | trash empty [--older-than 30d] [--apply] [--json] [--host H]",
    summary: "what gc and prune moved away, when and why; `empty` deletes for good (dry run unless --apply)",
    load: () => import("./trash.ts"),
  },
  {
    name: "restore",
    usage: "restore ID|PREFIX [--json] [--host H]",
    summary: "a trashed conversation back where it was, byte for byte; refused if something exists there again",
    load: () => import("./restore.ts"),
  },
  {
    name: "rename",
    usage: "rename SESSION|ID|PREFIX TITLE [--host H] [--json]",
    summary: "name a conversation as claude's /rename does (a running csm session's claude writes it itself); shown by history, the dashboard and claude --resume",
    load: () => import("./rename.ts"),
  },
  {
    name: "move",
    usage: "move ID|PREFIX|TITLE --to HOST [--from HOST] [--resume] [--no-memory] [--json]",
    summary: "copy a conversation (transcript, sub-agents, project memory) to another host over SSH, paths mapped by each machine's pathMap; --resume continues it there",
    load: () => import("./move.ts"),
  },
  {
    name: "sync",
    usage: "sync init URL|PATH | sync push [--project PATH] [--no-memory] [--json] | sync pull [--no-memory] [--json] | sync status [--json] | sync lock list [--json] | sync lock release ID [--force]",
    summary: "share conversations (and memory) through a private git repository, paths mapped per machine; never clobbers: both-grew makes a fork; locks while resumed",
    load: () => import("./sync.ts"),
  },
  { name: "pending", usage: "pending [--json]", summary: "tool requests waiting for a person, in every session", load: () => import("./pending.ts") },
  {
    name: "approve", remote: true,
    usage: "approve NAME [REQUEST_ID] [--always]",
    summary: "allow a pending tool request (the only one, or by id); --always also adds a rule",
    load: () => import("./approve.ts"),
  },
  {
    name: "deny", remote: true,
    usage: "deny NAME [REQUEST_ID] [--message TEXT] [--always]",
    summary: "deny a pending tool request; claude sees the message; --always also adds a rule",
    load: () => import("./deny.ts"),
  },
  {
    name: "rules",
    usage: "rules list [--json] | add --tool T [--pattern P] --action allow|deny|ask [--position N] | remove N | move N M | test TOOL INPUT",
    summary: "the tool-approval rules: first match wins, no match asks",
    load: () => import("./rules.ts"),
  },
  {
    name: "server",
    usage: "server [--port P] [--listen ADDR] | server start|status [--json] | server stop",
    summary: "run the hub in the foreground (127.0.0.1 only; another --listen address needs tls in the config), or show / stop the running one",
    load: () => import("./server.ts"),
  },
  {
    name: "web",
    usage: "web [--open] [--json] | web --revoke-all [--json]",
    summary: "a one-time login link (2 minutes) to the hub's web dashboard; --open starts a browser; --revoke-all logs every browser out",
    load: () => import("./web.ts"),
  },
  { name: "token", usage: "token [--rotate]", summary: "print the API token (made if missing); --rotate replaces it at once", load: () => import("./token.ts") },
  { name: "hosts", usage: "hosts [--json]", summary: "configured hosts", load: () => import("./hosts.ts") },
  { name: "doctor", usage: "doctor", summary: "check tmux, git, claude, bun and the config, with a fix for each problem", load: () => import("./doctor.ts") },
  { name: "help", usage: "help [COMMAND]", summary: "this help", load: () => import("./help.ts") },
  {
    name: "bridge",
    usage: "bridge NAME",
    summary: "internal: what a bridge session's agent window runs (claude on stdio, relayed to the hub)",
    hidden: true,
    load: () => import("./bridge.ts"),
  },
  {
    name: "native",
    usage: "native NAME",
    summary: "internal: what a native session's agent window runs (claude's own screen, its hooks relayed to the hub)",
    hidden: true,
    load: () => import("./native.ts"),
  },
  {
    name: "pane-log",
    usage: "pane-log FILE",
    summary: "internal: what tmux pipes a session's agent pane into (keeps the newest 1 MB in FILE)",
    hidden: true,
    load: () => import("./pane-log.ts"),
  },
  {
    name: "carry-info",
    usage: "carry-info --json [--id ID (--project-dir DIR | --portable-cwd TEXT)]",
    summary: "internal: what `csm move` asks a machine: its name, home, claude config dir, pathMap and a conversation's files there",
    hidden: true,
    load: () => import("./carry-info.ts"),
  },
  {
    name: "run-agent",
    usage: "run-agent NAME",
    summary: "internal: what an sdk-url session's agent window runs",
    hidden: true,
    load: () => import("./run-agent.ts"),
  },
];

export function findCommand(name: string): CommandInfo | undefined {
  return COMMANDS.find((command) => command.name === name || command.aliases?.includes(name));
}
