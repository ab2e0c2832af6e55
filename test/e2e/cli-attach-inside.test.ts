import { expect, test, setDefaultTimeout } from "bun:test";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { attachedClients, csmCommandLine } from "../helpers/attach.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Inside tmux (TMUX names csm's own server) `csm attach` must switch the current client
// rather than nest a second one. A person sits on session `desk` of the test server,
// seen through an outer server's pane, and types `csm a NAME` there.
test("inside csm's tmux server, `csm a` switches the client to the session", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  await createSession(sb, "fix-login", repo);
  await createSession(sb, "other", repo);

  expect(await sb.tmux(["new-session", "-d", "-s", "desk", "-x", "100", "-y", "30"])).toMatchObject({ code: 0 });
  const outer = sb.extraSocket("outer");
  const viewer = `env -u TMUX tmux -L ${sb.socket} attach-session -t =desk`;
  expect(await sb.tmuxOn(outer, ["new-session", "-d", "-s", "viewer", "-x", "120", "-y", "40", viewer])).toMatchObject({ code: 0 });
  await sb.waitFor(async () => (await attachedClients(sb)).some((client) => client.startsWith("desk:")), { what: "a client on desk" });

  const stderrFile = join(sb.paths.root, "attach.err");
  await sb.tmux(["send-keys", "-t", "=desk:", csmCommandLine(sb, ["a", "fix-login"], stderrFile), "Enter"]);
  await sb
    .waitFor(async () => (await attachedClients(sb)).includes("csm-fix-login:agent"), { what: "the client to switch to csm-fix-login:agent" })
    .catch(async (error) => {
      throw new Error(`${error.message}\ncsm stderr: ${await readFile(stderrFile, "utf8").catch(() => "")}`);
    });
  // One client, switched: no second client was nested inside the pane.
  expect(await attachedClients(sb)).toEqual(["csm-fix-login:agent"]);

  // --shell from inside the session's own shell window lands on the other session's shell.
  await sb.tmux(["select-window", "-t", "=csm-fix-login:shell"]);
  await sb.tmux(["send-keys", "-t", "=csm-fix-login:shell", csmCommandLine(sb, ["attach", "other", "--shell"], stderrFile), "Enter"]);
  await sb.waitFor(async () => (await attachedClients(sb)).includes("csm-other:shell"), { what: "the client to switch to csm-other:shell" });
});
