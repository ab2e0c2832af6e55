import { expect, test, setDefaultTimeout } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { attachedClients, csmCommandLine } from "../helpers/attach.ts";
import { makeSandbox, type Sandbox } from "../helpers/sandbox.ts";
import { createSession } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Outside csm's tmux server `csm attach` must attach a new client. "Outside" is both a
// terminal with no tmux at all and a pane of a different tmux server (TMUX set, but not
// to csm's socket): in both cases a client appears on csm's server.

async function attachFromOuterPane(sb: Sandbox, shellPrefix: string, args: string[]) {
  const outer = sb.extraSocket("outer");
  const stderrFile = join(sb.paths.root, `attach-${outer}.err`);
  const command = shellPrefix + csmCommandLine(sb, args, stderrFile);
  expect(await sb.tmuxOn(outer, ["new-session", "-d", "-s", "terminal", "-x", "120", "-y", "40", command])).toMatchObject({ code: 0 });
  return stderrFile;
}

async function expectClient(sb: Sandbox, client: string, stderrFile: string) {
  await sb.waitFor(async () => (await attachedClients(sb)).includes(client), { what: `a client on ${client}` }).catch(async (error) => {
    throw new Error(`${error.message}\ncsm stderr: ${await readFile(stderrFile, "utf8").catch(() => "")}`);
  });
}

test("from a pane of another tmux server, `csm attach` attaches a client", async () => {
  await using sb = await makeSandbox();
  await createSession(sb, "fix-login", await sb.makeRepo("app"));
  const stderrFile = await attachFromOuterPane(sb, "", ["attach", "fix-login"]);
  await expectClient(sb, "csm-fix-login:agent", stderrFile);
});

test("with no tmux around, `csm attach --shell` attaches to the shell window", async () => {
  await using sb = await makeSandbox();
  await createSession(sb, "fix-login", await sb.makeRepo("app"));
  const stderrFile = await attachFromOuterPane(sb, "env -u TMUX -u TMUX_PANE ", ["attach", "fix-login", "--shell"]);
  await expectClient(sb, "csm-fix-login:shell", stderrFile);
});

test("attaching to a session that does not exist fails without touching tmux", async () => {
  await using sb = await makeSandbox();
  const result = await sb.csm(["attach", "nope"]);
  expect(result.code).toBe(1);
  expect(result.stderr).toStartWith("csm: ");
  expect(result.stderr).toContain("nope");
});
