import { existsSync } from "node:fs";
import type { Context } from "../context.ts";
import { projectSlug, toPortable } from "./path-map.ts";
import { completeLines, cwdOf, derivedId, relationOf, sha256, withSessionId } from "./sync-records.ts";
import { checkNoSymlink, conversationPath, MARKER, MARKER_TEXT, projectFilePath, readText } from "./sync-layout.ts";
import { filesUnder, isUnder, localSide } from "./sync-local.ts";
import { changeSyncRepo, machineOf, syncDirOf } from "./sync-repo.ts";
import { cloneState, loadSyncState, saveSyncState, writeFileAtomic, type SyncState } from "./sync-state.ts";

// `csm sync push`: this machine's conversations (and each project's memory) into the shared
// repository, paths as placeholders. A file unchanged since it was last synced is not read
// again. Only complete lines go (a line claude is writing waits for the next push). A copy in
// the repository is replaced only by one that continues it; when both grew, this machine's
// goes in as a fork under its own id and the repository's stays as it was.

export interface PushReport {
  written: { id: string; repoId: string; path: string; how: "new" | "ahead" | "fork" }[];
  behind: string[];
  memory: string[];
  bytesWritten: number;
  unchanged: number;
}

export async function syncPush(ctx: Context, options: { project?: string; noMemory?: boolean } = {}): Promise<PushReport> {
  const syncDir = syncDirOf(ctx);
  const machine = machineOf(ctx);
  const local = localSide(ctx);
  const saved = loadSyncState(syncDir);
  const { state, report } = await changeSyncRepo(ctx, `csm sync: push from ${machine}`, async (dir) => {
    const state = cloneState(saved);
    const report: PushReport = { written: [], behind: [], memory: [], bytesWritten: 0, unchanged: 0 };
    const paths: string[] = [];
    const write = (path: string, text: string) => {
      checkNoSymlink(dir, path);
      writeFileAtomic(`${dir}/${path}`, text);
      paths.push(path);
      report.bytesWritten += Buffer.byteLength(text);
    };
    if (!existsSync(`${dir}/${MARKER}`)) write(MARKER, MARKER_TEXT);
    /** Local project slug → its portable slug, learnt from its conversations (memory goes with them). */
    const projects = new Map<string, string>();
    for (const file of local.transcripts) {
      const alias = state.aliases[file.id];
      const known = state.files[file.path];
      if (known?.cwd) projects.set(file.project, projectSlug(toPortable(known.cwd, local.map)));
      // A copy of the repository's conversation kept beside this machine's: it is only ever pulled.
      if (alias?.kind === "theirs") continue;
      if (options.project && !(known?.cwd && isUnder(known.cwd, options.project)) && known) continue;
      if (known && known.size === file.size && known.mtimeMs === file.mtimeMs) {
        report.unchanged++;
        continue;
      }
      const text = completeLines(readText(file.path) ?? "");
      if (text === "") continue;
      const cwd = cwdOf(text);
      if (options.project && !(cwd && isUnder(cwd, options.project))) continue;
      const portableCwd = cwd ? toPortable(cwd, local.map) : null;
      const pslug = portableCwd ? projectSlug(portableCwd) : file.project;
      projects.set(file.project, pslug);
      let repoId = alias?.repoId ?? file.id;
      let portable = toPortable(withSessionId(text, file.id, repoId), local.map);
      const existing = readText(`${dir}/${conversationPath(pslug, repoId)}`);
      let how: "new" | "ahead" | "fork" = existing === null ? "new" : "ahead";
      if (existing !== null) {
        const relation = relationOf(portable, existing);
        if (relation === "same" || relation === "behind") {
          if (relation === "behind") report.behind.push(file.id);
          // Synced as far as this machine goes; a newer copy comes back with `pull`.
          if (relation === "same") state.files[file.path] = { size: Buffer.byteLength(text) === file.size ? file.size : -1, mtimeMs: file.mtimeMs, cwd };
          continue;
        }
        if (relation === "diverged") {
          if (alias) {
            report.behind.push(file.id);
            continue;
          }
          // Both grew: the repository's copy stays; this machine's goes in beside it as its fork.
          repoId = derivedId(`${file.id}@${machine}`);
          state.aliases[file.id] = { repoId, kind: "mine" };
          portable = toPortable(withSessionId(text, file.id, repoId), local.map);
          how = "fork";
        }
      }
      if (portableCwd && !existsSync(`${dir}/${projectFilePath(pslug)}`)) write(projectFilePath(pslug), `${JSON.stringify({ cwd: portableCwd })}\n`);
      write(conversationPath(pslug, repoId), portable);
      for (const extra of filesUnder(`${local.projectsDir}/${file.project}/${file.id}`)) {
        const content = readText(`${local.projectsDir}/${file.project}/${file.id}/${extra}`);
        if (content === null) continue;
        const portableExtra = toPortable(withSessionId(extra.endsWith(".jsonl") ? completeLines(content) : content, file.id, repoId), local.map);
        const target = `conversations/${pslug}/${repoId}/${extra}`;
        if (readText(`${dir}/${target}`) !== portableExtra) write(target, portableExtra);
      }
      report.written.push({ id: file.id, repoId, path: conversationPath(pslug, repoId), how });
      // A file cut at an incomplete line is read again next time (its size no longer matches).
      state.files[file.path] = { size: Buffer.byteLength(text) === file.size ? file.size : -1, mtimeMs: file.mtimeMs, cwd };
    }
    if (!options.noMemory) pushMemory(dir, local.projectsDir, projects, local.map, state, write, report);
    return { paths, result: { state, report } };
  });
  saveSyncState(syncDir, state);
  return report;
}

/** Memory files changed here since the last sync go in; the last push wins, the loser stays in the repository's history. */
function pushMemory(dir: string, projectsDir: string, projects: Map<string, string>, map: Record<string, string>, state: SyncState, write: (path: string, text: string) => void, report: PushReport): void {
  for (const [slug, pslug] of projects) {
    for (const name of filesUnder(`${projectsDir}/${slug}/memory`)) {
      const text = readText(`${projectsDir}/${slug}/memory/${name}`);
      if (text === null) continue;
      const portable = toPortable(text, map);
      const path = `conversations/${pslug}/memory/${name}`;
      const hash = sha256(portable);
      if (state.memory[path] === hash) continue;
      if (readText(`${dir}/${path}`) !== portable) {
        write(path, portable);
        report.memory.push(path);
      }
      state.memory[path] = hash;
    }
  }
}
