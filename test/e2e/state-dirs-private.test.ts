import { expect, test, setDefaultTimeout } from "bun:test";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { CSM_ENTRY, makeSandbox } from "../helpers/sandbox.ts";

// Real tmux, git and the stand-in claude: slower than bun's 5 s default on a loaded machine.
setDefaultTimeout(30_000);

// csm's own directories hold tokens, agent secrets and launch specs: only their owner may
// enter them, whatever the umask of the shell that ran csm.

function directoriesUnder(root: string): string[] {
  return [root, ...readdirSync(root, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? directoriesUnder(join(root, entry.name)) : []))];
}

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

test("under umask 022 every directory csm makes in its state, config and data dirs is 0700", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  // The umask is set for csm (and the hub it starts) only, never for the test process.
  const created = await sb.run(["sh", "-c", 'umask 022; exec "$@"', "sh", process.execPath, CSM_ENTRY, "create", "x", "--repo", repo]);
  expect(created).toMatchObject({ code: 0 });
  expect((await sb.run(["sh", "-c", 'umask 022; exec "$@"', "sh", process.execPath, CSM_ENTRY, "token"])).code).toBe(0);

  const ours = [...directoriesUnder(join(sb.paths.stateHome, "csm")), ...directoriesUnder(join(sb.paths.configHome, "csm")), join(sb.paths.dataHome, "csm")];
  expect(ours.length).toBeGreaterThan(4);
  expect(ours.map((dir) => [dir, modeOf(dir)])).toEqual(ours.map((dir) => [dir, "700"]));
});
