import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bashReply, lastToolResultText, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

test("an unmatched request waits in `csm pending` until `csm approve`", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "approved");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("done"));
  await live.create("ask", ["--prompt", "touch it"]);
  await live.waitForSession("ask", "waiting", (s) => s.status === "waiting");

  const pending = JSON.parse((await live.sb.csm(["pending", "--json"])).stdout) as { session: string; toolName: string; input: { command: string } }[];
  expect(pending).toEqual([expect.objectContaining({ session: "ask", toolName: "Bash", input: expect.objectContaining({ command: `touch ${target}` }) })]);
  expect((await live.sb.csm(["pending"])).stdout).toContain(`touch ${target}`);
  expect(existsSync(target)).toBe(false);

  const approved = await live.sb.csm(["approve", "ask"]);
  expect(approved).toMatchObject({ code: 0 });
  expect(approved.stdout).toContain(`allowed Bash touch ${target}`);
  await live.waitForSession("ask", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(existsSync(target)).toBe(true);
  expect(await live.sb.csm(["approve", "ask"])).toMatchObject({ code: 1, stderr: "csm: ask has no pending requests (see `csm pending`)\n" });
});

test("deny --message reaches the model", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "refused");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply((request) => textReply(`model saw: ${lastToolResultText(request)}`));
  await live.create("told", ["--prompt", "touch it"]);
  await live.waitForSession("told", "waiting", (s) => s.status === "waiting");

  expect(await live.sb.csm(["deny", "told", "--message", "use the sandbox dir instead"])).toMatchObject({ code: 0 });
  const idle = await live.waitForSession("told", "idle", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toBe("model saw: use the sandbox dir instead");
  expect(existsSync(target)).toBe(false);
});

test("--always adds a rule, and the same request then passes without asking", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.writeConfig({ apiPort: Number(live.sb.env.CSM_PORT), toolApprovalRules: [] });
  const target = join(live.sb.paths.root, "again");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("first done"));
  await live.create("always", ["--prompt", "touch it"]);
  await live.waitForSession("always", "waiting", (s) => s.status === "waiting");

  const approved = await live.sb.csm(["approve", "always", "--always"]);
  expect(approved).toMatchObject({ code: 0 });
  expect(approved.stdout).toContain("added rule: Bash");
  await live.waitForSession("always", "idle", (s) => s.status === "idle" && s.turns === 1);
  const config = JSON.parse(readFileSync(live.sb.paths.configFile, "utf8")) as { apiPort: number; toolApprovalRules: { tool: string; action: string }[] };
  expect(config.apiPort).toBe(Number(live.sb.env.CSM_PORT));
  expect(config.toolApprovalRules).toEqual([expect.objectContaining({ tool: "Bash", action: "allow" })]);

  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("second done"));
  expect(await live.sb.csm(["send", "always", "once more"])).toMatchObject({ code: 0 });
  const idle = await live.waitForSession("always", "idle again", (s) => s.status === "idle" && s.turns === 2);
  expect(idle.lastMessage).toBe("second done");
  const events = (await live.api<{ kind: string; data: { by?: string } }[]>("GET", "/api/sessions/always/events")).body;
  expect(events.filter((e) => e.kind === "decision").map((e) => e.data.by)).toEqual(["person", "rule"]);
});
