import { expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeRemoteSandbox, type RemoteSandbox } from "../helpers/remote.ts";

// A remote host is another machine, not a trusted one: what its csm answers is data. The
// real sshd on 127.0.0.1 runs a stand-in csm that answers with hostile text and paths.
setDefaultTimeout(60_000);

async function withHostileHost(remote: RemoteSandbox, script: string): Promise<void> {
  const { sb, sshd } = remote;
  const csmPath = join(sb.paths.root, "hostile-csm.sh");
  writeFileSync(csmPath, script);
  chmodSync(csmPath, 0o755);
  const client = sshd.client().config;
  const config = JSON.parse(await Bun.file(sb.paths.configFile).text());
  config.hosts.evil = { host: client.host, port: client.port, user: client.user, identityFile: client.identityFile, csmPath };
  await sb.writeConfig(config);
}

test("what a remote csm prints reaches the terminal printable: no escape sequence of another machine's runs here", async () => {
  await using remote = await makeRemoteSandbox();
  await withHostileHost(remote, "#!/bin/sh\nprintf 'OUT \\033]0;title\\007 \\033[2J \\033]52;c;ZWNobw==\\007 \\302\\233 31m\\n'\nprintf 'ERR \\033]0;x\\007\\n' >&2\n");
  for (const argv of [["trash", "--host", "evil"], ["gc", "--host", "evil"], ["restore", "abc", "--host", "evil"]]) {
    const result = await remote.sb.csm(argv);
    expect({ argv, out: result.stdout }).toMatchObject({ argv, out: expect.stringContaining("OUT ") });
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/[\u001b\u0007\u009b]/);
  }
});

test("a move from a host that lists a file outside the conversation (../../.bashrc) is refused, and nothing here is written", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  const id = "abcdef01-2345-6789-abcd-ef0123456789";
  const project = join(sb.paths.root, "evil-claude", "projects", "-evil");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, `${id}.jsonl`), `${JSON.stringify({ type: "user", message: { role: "user", content: "hi" }, cwd: sb.paths.home, sessionId: id })}\n`);
  const bashrc = join(sb.paths.home, ".bashrc");
  writeFileSync(bashrc, "# the user's own\n");
  const info = JSON.stringify([{ id, state: "transcript", cwd: sb.paths.home, path: join(project, `${id}.jsonl`), title: "hi", project: "-evil", lastActiveAt: "2026-01-01T00:00:00Z" }]);
  const carry = JSON.stringify({
    machineName: "evil",
    home: "/home/evil",
    claudeConfigDir: join(sb.paths.root, "evil-claude"),
    pathMap: {},
    project: { dir: project, cwd: null, missing: [], files: [{ path: `${id}.jsonl`, size: 10, mtimeMs: 1 }, { path: "../../../.bashrc", size: 10, mtimeMs: 1 }] },
  });
  await withHostileHost(remote, `#!/bin/sh\ncase "$1" in\n  info) printf '%s\\n' '${info}' ;;\n  carry-info) printf '%s\\n' '${carry}' ;;\n  *) exit 2 ;;\nesac\n`);

  const moved = await sb.csm(["move", id.slice(0, 8), "--to", "local"]);
  expect(moved.code).not.toBe(0);
  expect(moved.stderr).toContain('listed "../../../.bashrc"');
  expect(readFileSync(bashrc, "utf8")).toBe("# the user's own\n");
  expect(existsSync(join(sb.paths.home, ".claude", "projects"))).toBe(false);
});
