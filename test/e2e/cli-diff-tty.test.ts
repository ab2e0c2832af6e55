import { expect, setDefaultTimeout, test } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CSM_ENTRY, makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { createSession, worktreePath } from "../helpers/sessions.ts";

// `csm diff` colours its diff on a terminal (a tmux pane here) and nowhere else; NO_COLOR
// turns colour off there too.
setDefaultTimeout(30_000);

async function runInPane(sb: Sandbox, socket: string, window: string, env: Record<string, string>): Promise<string> {
  const vars = Object.entries({ TERM: "xterm-256color", ...env }).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  await sb.tmuxOn(socket, ["new-window", "-d", "-t", "=keep:", "-n", window, ...vars, "--", process.execPath, CSM_ENTRY, "diff", "tty"]);
  await sb.waitFor(async () => (await sb.tmuxOn(socket, ["display-message", "-p", "-t", `=keep:${window}`, "#{pane_dead}"])).stdout.trim() === "1" || undefined, {
    what: `csm diff to finish in window ${window}`,
  });
  return (await sb.tmuxOn(socket, ["capture-pane", "-p", "-e", "-t", `=keep:${window}`])).stdout;
}

test("colour on a terminal, none with NO_COLOR", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "tty", repo);
  await writeFile(join(worktreePath(sb, repo, "tty"), "README.md"), "# app\ncoloured\n");

  const socket = sb.extraSocket("diff-tty");
  await sb.tmuxOn(socket, ["new-session", "-d", "-s", "keep", "-x", "120", "-y", "40"]);
  await sb.tmuxOn(socket, ["set-option", "-g", "remain-on-exit", "on"]);

  const coloured = await runInPane(sb, socket, "colour", {});
  expect(coloured).toContain("\x1b[32m+coloured");
  expect(coloured).toContain("1 file, +1 -0");

  const plain = await runInPane(sb, socket, "plain", { NO_COLOR: "1" });
  expect(plain).toContain("+coloured");
  expect(plain).not.toContain("\x1b[32m");
});
