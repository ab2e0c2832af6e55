import { expect, test, setDefaultTimeout } from "bun:test";
import { readFileSync } from "node:fs";
import { startTestHub } from "../helpers/hub.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { listSessions } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(45_000);

// A claude flag that runs tools without asking turns csm's approvals off with it: the
// config says so only when the user says so, and a session running so is marked.

test("a config with --dangerously-skip-permissions is refused, naming claudeArgs, unless allowSkipPermissions", async () => {
  await using sb = await makeSandbox();
  const path = await sb.writeConfig({ claudeArgs: ["--model", "opus", "--dangerously-skip-permissions"] });
  const refused = await sb.csm(["list"]);
  expect(refused.code).toBe(78);
  expect(refused.stderr).toContain(path);
  expect(refused.stderr).toContain("claudeArgs[2]");
  expect(refused.stderr).toContain("allowSkipPermissions");

  await sb.writeConfig({ claudeArgs: ["--dangerously-skip-permissions"], allowSkipPermissions: true });
  expect(await sb.csm(["list"])).toMatchObject({ code: 0 });
  const doctor = await sb.csm(["doctor"]);
  expect(doctor.stdout).toMatch(/WARN\s+guard\s+allowSkipPermissions is set/);
});

test("PATCH /api/config refuses a skipping permission mode with a 400 naming the field", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig({ claudeArgs: ["--model", "opus"] });
  await using hub = await startTestHub(sb);
  const before = readFileSync(sb.paths.configFile, "utf8");
  for (const claudeArgs of [["--permission-mode", "bypassPermissions"], ["--permission-mode=acceptEdits"]]) {
    const refused = await hub.fetch("/api/config", { method: "PATCH", body: JSON.stringify({ claudeArgs }) });
    expect(refused.status).toBe(400);
    const { error } = (await refused.json()) as { error: { message: string; data: { field: string } } };
    expect(error.message).toContain("claudeArgs[0]");
    expect(error.data.field).toBe("claudeArgs[0]");
  }
  expect(readFileSync(sb.paths.configFile, "utf8")).toBe(before);
  const consented = await hub.fetch("/api/config", { method: "PATCH", body: JSON.stringify({ claudeArgs: ["--permission-mode", "acceptEdits"], allowSkipPermissions: true }) });
  expect(consented.status).toBe(200);
});

test("claude's own report of its mode: a session in acceptEdits is unguarded, a normal one guarded", async () => {
  await using live = await makeLiveSandbox();
  await live.create("careful", ["--prompt", "hello"]);
  await live.waitForSession("careful", "idle", (s) => s.status === "idle" && s.turns === 1);

  await live.sb.writeConfig({ claudeArgs: ["--permission-mode", "acceptEdits"], allowSkipPermissions: true });
  await live.create("reckless", ["--prompt", "hello"]);
  await live.waitForSession("reckless", "idle", (s) => s.status === "idle" && s.turns === 1);

  const byName = Object.fromEntries((await listSessions(live.sb)).map((s) => [s.name, s]));
  expect(byName.careful).toMatchObject({ permissionMode: "default", guarded: true });
  expect(byName.reckless).toMatchObject({ permissionMode: "acceptEdits", guarded: false });

  const table = (await live.sb.csm(["list"])).stdout.split("\n");
  expect(table.find((line) => line.includes("reckless"))).toContain("idle !unguarded");
  expect(table.find((line) => line.includes("careful"))).not.toContain("unguarded");

  const doctor = (await live.sb.csm(["doctor"])).stdout;
  expect(doctor).toMatch(/WARN\s+guard\s+running unguarded, tools run without asking csm: reckless \(acceptEdits\)/);
});
