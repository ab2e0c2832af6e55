import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectSlug } from "../../src/core/carry/path-map.ts";
import { makeRemoteSandbox } from "../helpers/remote.ts";
import { CSM_ENTRY } from "../helpers/sandbox.ts";
import { formatTable, median, ms, timeProcess } from "./measure.ts";
import type { BenchSection } from "./section.ts";

// `csm move` of a 20 MB transcript to devbox over the loopback sshd (whole command: finding
// it on both hosts, asking devbox's csm, mapping every path both ways, the atomic write)
// against `scp -O` of the same file with the same key (the test sshd has no sftp subsystem). Goal: move <= 1.5x scp.

const SIZE = 20 * 1024 * 1024;
const RUNS = 5;
const GOAL = 1.5;

/** Transcript-shaped lines: conversation records carrying the cwd, and big blob-like attachments. */
function transcript(id: string, cwd: string): string {
  const lines: string[] = [];
  let size = 0;
  let parent: string | null = null;
  for (let i = 0; size < SIZE; i++) {
    const uuid = crypto.randomUUID();
    const base = { parentUuid: parent, isSidechain: false, uuid, timestamp: new Date(1_795_000_000_000 + i * 1000).toISOString(), userType: "external", entrypoint: "cli", cwd, sessionId: id, version: "2.1.330", gitBranch: "main" };
    const record =
      i % 4 === 3
        ? { ...base, type: "attachment", attachment: { type: "prompt_snapshot", content: `see ${cwd}/src/module${i}.ts ` + crypto.getRandomValues(new Uint8Array(60_000)).toBase64() } }
        : { ...base, type: i % 2 ? "assistant" : "user", message: { role: i % 2 ? "assistant" : "user", content: `step ${i}: edit ${cwd}/src/file${i}.ts and run tests in ${cwd} {{literal}}` } };
    const line = `${JSON.stringify(record)}\n`;
    lines.push(line);
    size += line.length;
    parent = uuid;
  }
  return lines.join("");
}

export const moveSection: BenchSection = {
  name: "move",
  title: `csm move of a ${SIZE / 1024 / 1024} MB transcript over the loopback sshd vs scp of the same file (goal <= ${GOAL}x scp)`,
  async run() {
    await using remote = await makeRemoteSandbox();
    const { sb, sshd, remoteEnv } = remote;
    const laptopSrc = join(sb.paths.root, "laptop", "src");
    const devboxSrc = join(sb.paths.root, "devbox", "src");
    const laptopClaude = join(sb.paths.root, "laptop", "claude-config");
    const devboxClaude = join(sb.paths.root, "devbox", "claude-config");
    const config = JSON.parse(readFileSync(sb.paths.configFile, "utf8"));
    config.hosts.devbox.env.CLAUDE_CONFIG_DIR = devboxClaude;
    await sb.writeConfig({ ...config, pathMap: { "{{PROJECTS}}": laptopSrc } });
    mkdirSync(join(remoteEnv.XDG_CONFIG_HOME!, "csm"), { recursive: true });
    writeFileSync(join(remoteEnv.XDG_CONFIG_HOME!, "csm", "config.json"), JSON.stringify({ pathMap: { "{{PROJECTS}}": devboxSrc } }));

    const id = crypto.randomUUID();
    const source = join(laptopClaude, "projects", projectSlug(join(laptopSrc, "app")), `${id}.jsonl`);
    mkdirSync(join(source, ".."), { recursive: true });
    writeFileSync(source, transcript(id, join(laptopSrc, "app")));
    const bytes = readFileSync(source).length;
    const target = join(devboxClaude, "projects", projectSlug(join(devboxSrc, "app")), `${id}.jsonl`);
    const scpTarget = join(sb.paths.root, "devbox", "scp-copy.jsonl");

    const env = { ...sb.env, CLAUDE_CONFIG_DIR: laptopClaude };
    const client = sshd.client().config;
    const scp = ["scp", "-q", "-O", "-F", "none", "-o", "BatchMode=yes", "-o", `UserKnownHostsFile=${sshd.knownHostsPath}`, "-i", client.identityFile, "-P", String(client.port), source, `${client.user}@${client.host}:${scpTarget}`];
    const move = [CSM_ENTRY, "move", id, "--to", "devbox"];

    const moves: number[] = [];
    const scps: number[] = [];
    // One untimed round each: the local index takes in the new 20 MB file once.
    for (let round = 0; round <= RUNS; round++) {
      rmSync(target, { force: true });
      const moved = await timeProcess(move, env);
      if (readFileSync(target).length === 0) throw new Error("move wrote nothing");
      rmSync(scpTarget, { force: true });
      const copied = await timeProcess(scp, { ...sshd.env, PATH: process.env.PATH ?? "/usr/bin:/bin" });
      if (round > 0) (moves.push(moved), scps.push(copied));
    }
    const ratio = median(moves) / median(scps);
    return [
      formatTable(
        ["what", "median", "runs"],
        [
          [`csm move (${(bytes / 1024 / 1024).toFixed(1)} MB, paths mapped)`, ms(median(moves)), moves.map((t) => t.toFixed(0)).join(" ")],
          ["scp, same file, same key", ms(median(scps)), scps.map((t) => t.toFixed(0)).join(" ")],
        ],
      ),
      `move / scp = ${ratio.toFixed(2)}x (goal <= ${GOAL}x): ${ratio <= GOAL ? "met" : "NOT met"}`,
    ].join("\n");
  },
};
