import { expect, test, setDefaultTimeout } from "bun:test";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { createSession, waitForClaudeLaunches } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// A tmux server keeps the environment it was started with. The session's claude must get
// the environment of the `csm create` that made it, even when the server predates it.
test("claude gets the environment of `csm create`, not the tmux server's", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");

  // The server starts first, without the probe.
  expect(await sb.tmux(["new-session", "-d", "-s", "bystander"])).toMatchObject({ code: 0 });
  const serverProbe = await sb.tmux(["show-environment", "-g", "CSM_PROBE"]);
  expect(serverProbe.stdout).not.toContain("CSM_PROBE=xyz");

  const extraBin = join(sb.paths.root, "extra-bin");
  await mkdir(extraBin);
  await createSession(sb, "env-check", repo, [], {
    env: {
      CSM_PROBE: "xyz",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:9/fake-anthropic",
      PATH: `${extraBin}:${sb.env.PATH}`,
    },
  });

  const [launch] = await waitForClaudeLaunches(sb);
  expect(launch!.env.CSM_PROBE).toBe("xyz");
  expect(launch!.env.ANTHROPIC_BASE_URL).toBe("http://127.0.0.1:9/fake-anthropic");
  expect(launch!.env.PATH!.split(":")).toContain(extraBin);
});
