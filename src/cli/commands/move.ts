import { createContext, type Context } from "../../core/context.ts";
import { moveConversation, type MoveReport } from "../../core/carry/move.ts";
import { askCarryInfo, localCarryInfo, type CarryInfo } from "../../core/carry/move-machine.ts";
import { toPortable } from "../../core/carry/path-map.ts";
import type { ConversationInfo } from "../../core/conversations/conversation-record.ts";
import { askHosts, REMOTE_QUERY_TIMEOUT_MS } from "../../core/conversations/conversations-everywhere.ts";
import { exactlyOne, LocalConversations } from "../../core/conversations/local-conversations.ts";
import { HostRegistry, type KnownHost } from "../../core/hosts/host-registry.ts";
import { runRemoteCsm } from "../../core/hosts/remote-csm.ts";
import { CsmError, usageError } from "../../shared/errors.ts";
import { checkName } from "../../shared/names.ts";
import { parseFlags } from "../args.ts";
import { checkRef, hostNames, withConversations } from "../conversation-hosts.ts";
import { jsonText, type Output } from "../io.ts";
import { resumeFound } from "../resume-found.ts";
import { printable } from "../../shared/printable.ts";

// `csm move REF --to HOST [--resume]`: the conversation copied to HOST (paths mapped from its
// machine's pathMap to HOST's), then optionally resumed there as a csm session. REF is found
// on any host but HOST (or on --from); HOST may be `local` to bring one here.

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags(
    "move",
    argv,
    { to: { type: "string" }, from: { type: "string" }, resume: { type: "boolean" }, "no-memory": { type: "boolean" }, json: { type: "boolean" } },
    { min: 1, max: 1 },
  );
  const ref = checkRef(positionals[0]!);
  if (flags.to === undefined) throw usageError("move: say where with --to HOST (`local` for this machine)");
  const to = flags.to === "local" ? "local" : checkName("host", flags.to);
  const from = flags.from === undefined || flags.from === "local" ? flags.from : checkName("host", flags.from);
  const ctx = await createContext();
  const registry = new HostRegistry(ctx);
  try {
    return await withConversations(ctx, async (local) => {
      const names = hostNames(ctx, { kind: "all" });
      for (const name of [to, from]) if (name !== undefined && !names.includes(name)) throw usageError(`unknown host ${JSON.stringify(name)} (configured: ${names.join(", ")})`);
      if (from !== undefined && from === to) throw usageError("move: --from and --to name the same host");
      const asked = names.filter((name) => name === to || (from === undefined ? true : name === from));
      const here = asked.includes("local") ? local().infos(ref) : [];
      const guess = to !== "local" && here.length === 1 && here[0]!.cwd ? here[0]! : null;
      // Most moves go from here: the target is asked where the files go while the hosts are asked who has them.
      const early = guess ? askEarly(ctx, (await registry.get(to))!, guess) : null;
      const answers = await askHosts(registry, asked, () => here, ["info", "--matches", "--", ref]);
      const targetAnswer = answers.find((answer) => answer.host === to)!;
      if (targetAnswer.error) throw new CsmError("HostUnreachable", `${to}: ${targetAnswer.error}`, { data: { host: to } });
      for (const answer of answers) if (answer.error) io.err(`csm: ${answer.host}: ${answer.error}`);
      const candidates = answers.filter((answer) => answer.host !== to).flatMap((answer) => answer.items);
      const conversation = exactlyOne(ref, from ?? `any host but ${to}`, candidates);
      const onTarget = targetAnswer.items.filter((item) => item.id === conversation.id);
      const [source, target] = [(await registry.get(conversation.host))!, (await registry.get(to))!];
      const sameGuess = guess !== null && conversation.host === "local" && conversation.id === guess.id && conversation.cwd === guess.cwd;
      const report = await moveConversation(ctx, conversation, source, target, onTarget, { memory: !flags["no-memory"] }, sameGuess ? early! : undefined);
      if (!flags.resume) {
        io.out(flags.json ? jsonText(report, 2) : formatReport(report));
        return 0;
      }
      if (!flags.json) io.out(formatReport(report));
      return await resumeOnTarget(ctx, target, report, flags.json === true, io);
    });
  } finally {
    registry.close();
    ctx.close();
  }
}

function askEarly(ctx: Context, target: KnownHost, conversation: ConversationInfo): Promise<CarryInfo> {
  const asked = localCarryInfo(ctx).then((here) => askCarryInfo(ctx, target, { id: conversation.id, portableCwd: toPortable(conversation.cwd!, here.pathMap) }));
  asked.catch(() => undefined); // Unused when the hosts' answers name another conversation.
  return asked;
}

const where = (host: string) => (host === "local" ? "this machine" : host);

export function formatReport(report: MoveReport): string {
  const lines: string[] = [];
  if (report.written.length === 0) {
    lines.push(`${where(report.to)} has conversation ${report.id} already, the same: nothing to do (${report.target})`);
  } else {
    const kb = (report.bytes / 1024).toFixed(0);
    lines.push(`copied conversation ${report.id} from ${where(report.from)} (${report.fromMachine}) to ${where(report.to)} (${report.toMachine}): ${report.written.length} file${report.written.length === 1 ? "" : "s"}, ${kb} KB, paths mapped`);
    lines.push(`  there: ${report.target}`);
  }
  lines.push(`  cwd there: ${report.cwd}`);
  for (const path of report.keptNewer) lines.push(`  kept ${where(report.to)}'s newer ${path} (not overwritten)`);
  lines.push(`  the copy on ${where(report.from)} stays (${report.source}); go on with it on one machine only`);
  // Machine names, paths and cwds come from the other machine too.
  return printable(lines.join("\n"), { multiline: true });
}

async function resumeOnTarget(ctx: Context, target: KnownHost, report: MoveReport, json: boolean, io: Output): Promise<number> {
  if (target.kind === "local") {
    const conversations = LocalConversations.open(ctx);
    let info: ConversationInfo;
    try {
      conversations.refresh();
      info = conversations.info(report.id);
    } finally {
      conversations.close();
    }
    if (!json) return resumeFound(ctx, info, {}, io);
    const captured: string[] = [];
    const code = await resumeFound(ctx, info, { json: true }, { ...io, out: (text) => void captured.push(text) });
    io.out(jsonText({ ...report, resumed: JSON.parse(captured.join("\n")) }, 2));
    return code;
  }
  const result = await runRemoteCsm(target, ["resume", report.id, "--host", "local", ...(json ? ["--json"] : [])], REMOTE_QUERY_TIMEOUT_MS);
  if (result.stderr.trim()) io.err(result.stderr.trimEnd());
  if (json) io.out(jsonText({ ...report, resumed: result.code === 0 ? JSON.parse(result.stdout) : null }, 2));
  else if (result.stdout.trim()) io.out(printable(result.stdout.trimEnd(), { multiline: true }));
  return result.code;
}
