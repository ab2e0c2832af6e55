import { expect, test, setDefaultTimeout } from "bun:test";
import { readFile, stat } from "node:fs/promises";
import { makeSandbox } from "../helpers/sandbox.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// A broken config is the user's file: csm names the file and the field, exits 78,
// and never "repairs" it with defaults.
const CASES = [
  { what: "bad JSON", text: '{ "defaultRepo": "~/src/app", ', field: null },
  { what: "apiPort of the wrong type", text: '{\n  "apiPort": "x"\n}\n', field: "apiPort" },
  { what: "an unknown field", text: '{ "worktreBase": "/tmp/wt" }', field: "worktreBase" },
  { what: "a bad project entry", text: '{ "projects": { "app": { "repo": "/r", "copyFiles": "not-a-list" } } }', field: "projects.app.copyFiles" },
];

for (const { what, text, field } of CASES) {
  test(`config with ${what} is reported with its path${field ? " and field" : ""} and left untouched`, async () => {
    await using sb = await makeSandbox();
    const repo = await sb.makeRepo("app");
    const path = await sb.writeConfig(text);
    const before = await stat(path);

    for (const args of [["list"], ["create", "fix-login", "--repo", repo]]) {
      const result = await sb.csm(args);
      expect({ args, code: result.code }).toEqual({ args, code: 78 });
      expect(result.stderr).toStartWith("csm: ");
      expect(result.stderr).toContain(path);
      if (field) expect(result.stderr).toContain(field);
    }

    expect(await readFile(path, "utf8")).toBe(text);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    const tmuxSessions = await sb.tmux(["list-sessions"]);
    expect(tmuxSessions.stdout).toBe("");
  });
}
