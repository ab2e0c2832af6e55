import type { ConversationInfo } from "../conversations/conversation-record.ts";
import type { KnownHost } from "../hosts/host-registry.ts";
import type { Context } from "../context.ts";
import { CsmError } from "../../shared/errors.ts";
import { askCarryInfo, checkConversationId, isCarriedPath, type CarriedFile, type CarryInfo } from "./move-machine.ts";
import { completeLines } from "./move-text.ts";
import { fromPortable, missingPlaceholders, toPortable } from "./path-map.ts";

// `csm move`: one conversation copied from the machine that has it to another, over the
// connection csm already has. Every file is read, cut to its complete lines, mapped with the
// source's pathMap to placeholders and with the target's back, and compared with what the
// target has — all before anything is written, so a refusal leaves both machines as they
// were. Then each file is written atomically, the transcript last (an index sees it whole).
// The source keeps its copy: a move is a copy, and the one who continues decides where.

export interface MoveOptions {
  memory: boolean;
}

export interface MoveReport {
  id: string;
  from: string;
  to: string;
  fromMachine: string;
  toMachine: string;
  source: string;
  target: string;
  /** The conversation's working directory on the target. */
  cwd: string;
  /** Files written on the target (relative to its project directory). */
  written: string[];
  /** Files the target already had with the same content. */
  unchanged: string[];
  /** Memory files left as they were on the target because its copy is newer. */
  keptNewer: string[];
  bytes: number;
}

export const refused = (message: string, data: Record<string, unknown> = {}) => new CsmError("MoveRefused", `${message}; nothing was written`, { data });

export function holderText(info: Pick<ConversationInfo, "state" | "session" | "pid" | "pidElsewhere">): string {
  return info.state === "csm" ? `csm session ${info.session}` : info.pidElsewhere ? `claude (pid ${info.pid} in another PID namespace)` : `claude (pid ${info.pid})`;
}

interface Carried {
  file: CarriedFile;
  kind: "transcript" | "folder" | "memory";
  content: string;
}

export async function moveConversation(
  ctx: Context,
  conversation: ConversationInfo,
  from: KnownHost,
  to: KnownHost,
  /** What the target's csm knows of this id (the same answer `csm info --matches` gives). */
  onTarget: readonly ConversationInfo[],
  options: MoveOptions,
  /** The target's carry-info for this conversation, when the caller asked it early (in parallel with finding it). */
  targetAsked?: Promise<CarryInfo>,
): Promise<MoveReport> {
  const id = checkConversationId(conversation.id);
  if (from.name === to.name) throw new CsmError("UsageError", `conversation ${id} is on ${to.name} already`);
  const where = (host: string) => (host === "local" ? "this machine" : host);
  if (conversation.state !== "transcript") {
    throw new CsmError("ConversationLive", `${holderText(conversation)} holds conversation ${id} on ${where(from.name)}: end it first (a transcript two machines write is ruined); nothing was written`, { data: { id, host: from.name } });
  }
  const heldThere = onTarget.find((match) => match.id === id && match.state !== "transcript");
  if (heldThere) {
    throw new CsmError("ConversationLive", `${holderText(heldThere)} holds conversation ${id} on ${where(to.name)}: end it first; nothing was written`, { data: { id, host: to.name } });
  }
  if (!conversation.cwd) throw refused(`conversation ${id} has no working directory recorded, so there is no project for it on ${where(to.name)}`, { id });

  const projectDir = conversation.path.slice(0, conversation.path.lastIndexOf("/"));
  const source = await askCarryInfo(ctx, from, { id, projectDir });
  const portableCwd = toPortable(conversation.cwd, source.pathMap);
  const target = await (targetAsked ?? askCarryInfo(ctx, to, { id, portableCwd }));
  if (target.project === null) throw new Error(`${to.name} answered carry-info without the project`);
  const there = target.project!;
  if (there.missing.length > 0) throw missingError(there.missing, target, to, id);

  const strange = source.project!.files.find((file) => !isCarriedPath(id, file.path));
  if (strange) throw refused(`${where(from.name)} listed ${JSON.stringify(strange.path)} among conversation ${id}'s files, which is no file a move carries`, { id, path: strange.path });
  const files = source.project!.files.filter((file) => options.memory || !file.path.startsWith("memory/"));
  if (!files.some((file) => file.path === `${id}.jsonl`)) throw new CsmError("NoSuchConversation", `the transcript of ${id} is gone from ${where(from.name)}`, { data: { id } });
  const carried = await Promise.all(
    files.map(async (file): Promise<Carried> => {
      const text = await from.runner.files.read(`${projectDir}/${file.path}`);
      if (text === null) throw refused(`${projectDir}/${file.path} went away on ${where(from.name)} while it was read`, { id });
      const kind = file.path === `${id}.jsonl` ? "transcript" : file.path.startsWith("memory/") ? "memory" : "folder";
      return { file, kind, content: toPortable(file.path.endsWith(".jsonl") ? completeLines(text) : text, source.pathMap) };
    }),
  );
  const missing = [...new Set(carried.flatMap((item) => missingPlaceholders(item.content, target.pathMap)))];
  if (missing.length > 0) throw missingError(missing, target, to, id);

  const existing = new Map(there.files.map((file) => [file.path, file]));
  // An earlier move may have put it under another project (a different pathMap then).
  const elsewhere = onTarget.find((match) => match.id === id && match.path !== `${there.dir}/${id}.jsonl`);
  if (elsewhere) throw refused(`${where(to.name)} has conversation ${id} already, at ${elsewhere.path}`, { id, path: elsewhere.path });

  const report: MoveReport = {
    id,
    from: from.name,
    to: to.name,
    fromMachine: source.machineName,
    toMachine: target.machineName,
    source: conversation.path,
    target: `${there.dir}/${id}.jsonl`,
    cwd: there.cwd!,
    written: [],
    unchanged: [],
    keptNewer: [],
    bytes: 0,
  };
  const writes: { path: string; content: string }[] = [];
  await Promise.all(
    carried.map(async (item) => {
      const content = fromPortable(item.content, target.pathMap);
      item.content = content;
      const theirs = existing.get(item.file.path);
      if (!theirs) return void writes.push({ path: item.file.path, content });
      const current = await to.runner.files.read(`${there.dir}/${item.file.path}`);
      if (current === content) return void report.unchanged.push(item.file.path);
      if (item.kind === "memory") {
        if (theirs.mtimeMs > item.file.mtimeMs) return void report.keptNewer.push(item.file.path);
        return void writes.push({ path: item.file.path, content });
      }
      // Never clobber: only a copy that this one continues (a prefix, whole lines) is replaced.
      if (current !== null && item.file.path.endsWith(".jsonl") && content.startsWith(current) && (current === "" || current.endsWith("\n"))) {
        return void writes.push({ path: item.file.path, content });
      }
      throw refused(`${where(to.name)} has a different ${item.kind === "transcript" ? "copy of conversation" : `${item.file.path} of`} ${id} (${there.dir}/${item.file.path}; it went on there?)`, { id, path: `${there.dir}/${item.file.path}` });
    }),
  );
  // The transcript last: whoever looks sees its folder and memory before it.
  writes.sort((a, b) => Number(a.path === `${id}.jsonl`) - Number(b.path === `${id}.jsonl`) || a.path.localeCompare(b.path));
  for (const write of writes) {
    await to.runner.files.writeAtomic(`${there.dir}/${write.path}`, write.content, 0o600);
    report.written.push(write.path);
    report.bytes += Buffer.byteLength(write.content);
  }
  report.unchanged.sort();
  report.keptNewer.sort();
  return report;
}

function missingError(missing: string[], target: CarryInfo, to: KnownHost, id: string): CsmError {
  const names = missing.join(", ");
  return refused(`conversation ${id} uses ${names}, which ${to.name === "local" ? "this machine's" : `${to.name}'s`} pathMap lacks (${target.machineName}): add ${missing.length === 1 ? "it" : "them"} to "pathMap" in its csm config`, { id, missing });
}
