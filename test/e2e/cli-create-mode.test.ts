import { expect, test, setDefaultTimeout } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makeSandbox } from "../helpers/sandbox.ts";
import { listSessions } from "../helpers/sessions.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// sessionMode says native here, so only --mode makes the session headless (the stand-in
// claude speaks stream-json only: no native session is started).
const NATIVE = { env: { CSM_SESSION_MODE: "native" } };

test("`create --mode headless` makes a headless session that list --json and the API say is one", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const result = await sb.csm(["create", "scripted", "--repo", repo, "--mode", "headless", "--json"], NATIVE);
  expect(result).toMatchObject({ code: 0 });
  expect(JSON.parse(result.stdout)).toMatchObject({ name: "scripted", mode: "headless" });
  expect((await listSessions(sb)).map((s) => [s.name, (s as { mode?: string }).mode])).toEqual([["scripted", "headless"]]);

  // The hub the create started answers for the same session.
  const port = (JSON.parse(readFileSync(join(sb.paths.stateHome, "csm", "hub.json"), "utf8")) as { port: number }).port;
  const token = readFileSync(join(sb.paths.configHome, "csm", "token"), "utf8").trim();
  const shown = await fetch(`http://127.0.0.1:${port}/api/sessions/scripted`, { headers: { authorization: `Bearer ${token}` } });
  expect(shown.status).toBe(200);
  expect(await shown.json()).toMatchObject({ name: "scripted", mode: "headless" });
});

test("a bad --mode, and --transport with a native session, are usage errors that start nothing", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  const bogus = await sb.csm(["create", "a", "--repo", repo, "--mode", "bogus"]);
  expect(bogus).toMatchObject({ code: 2, stdout: "" });
  expect(bogus.stderr.trim()).toBe('csm: create: --mode must be native or headless (got "bogus")');
  const mixed = await sb.csm(["create", "b", "--repo", repo, "--mode", "native", "--transport", "bridge"]);
  expect(mixed).toMatchObject({ code: 2 });
  expect(mixed.stderr.trim().split("\n")).toHaveLength(1);
  expect(mixed.stderr).toContain("--transport is for headless sessions");
  const configured = await sb.csm(["create", "c", "--repo", repo, "--transport", "bridge"], NATIVE);
  expect(configured).toMatchObject({ code: 2 });
  expect(configured.stderr).toContain("add --mode headless");
  expect(await listSessions(sb)).toEqual([]);
  expect((await sb.git(repo, ["worktree", "list", "--porcelain"])).split("\n").filter((line) => line.startsWith("worktree "))).toHaveLength(1);
});
