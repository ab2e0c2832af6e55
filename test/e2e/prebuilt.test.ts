import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../helpers/sandbox.ts";

// bin/csm runs a command from its prebuilt bundle only while the bundle matches the
// sources exactly, and from the sources otherwise. Each test works on its own copy of
// the checkout (src, bin, package.json; node_modules linked), built there.

setDefaultTimeout(60_000);

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "csm-prebuilt-"));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

let copies = 0;
function copyCheckout(from = PROJECT_ROOT): string {
  const root = join(scratch, `checkout-${++copies}`);
  for (const part of ["src", "bin", "package.json"]) cpSync(join(from, part), join(root, part), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(root, "node_modules"));
  return root;
}

function run(root: string, args: string[], env: Record<string, string> = {}) {
  const home = join(scratch, "home");
  const result = Bun.spawnSync([process.execPath, join(root, "bin", "csm"), ...args], {
    env: {
      PATH: process.env.PATH!,
      HOME: home,
      XDG_CONFIG_HOME: join(home, "config"),
      XDG_STATE_HOME: join(home, "state"),
      XDG_DATA_HOME: join(home, "data"),
      // `list` asks tmux: a server of its own that is never started.
      TMUX_TMPDIR: scratch,
      CSM_TMUX_SOCKET: "csm-prebuilt-test",
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: result.exitCode, stdout: result.stdout.toString().trim(), stderr: result.stderr.toString().trim() };
}

function build(root: string) {
  const result = Bun.spawnSync([process.execPath, join(root, "src", "prebuilt", "build.ts")], { stdout: "pipe", stderr: "pipe" });
  expect(result.stderr.toString()).toBe("");
  expect(result.exitCode).toBe(0);
}

/** Changes package.json's version; with `keepMtime` the file looks untouched to a check by time. */
function setVersion(root: string, version: string, keepMtime: boolean): void {
  const path = join(root, "package.json");
  const before = statSync(path);
  writeFileSync(path, readFileSync(path, "utf8").replace(/"version": "[^"]*"/, `"version": "${version}"`));
  if (keepMtime) utimesSync(path, before.atime, before.mtime);
}

const packageVersion = () => (JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version: string }).version;

test("a fresh bundle runs; once a file it was built from changes, the sources run instead", () => {
  const root = copyCheckout();
  build(root);
  expect(existsSync(join(root, "dist", "prebuilt", "list.js"))).toBe(true);
  expect(run(root, ["--version"]).stdout).toBe(`csm ${packageVersion()}`);

  // Same mtime, new content: only the bundle still says the old version, which shows the
  // bundle is what runs while it looks fresh.
  setVersion(root, "9.9.9-bundle-test", true);
  expect(run(root, ["--version"]).stdout).toBe(`csm ${packageVersion()}`);
  expect(run(root, ["--version"], { CSM_NO_PREBUILT: "1" }).stdout).toBe("csm 9.9.9-bundle-test");

  // A real edit (new mtime): stale, so the sources answer.
  setVersion(root, "9.9.10-bundle-test", false);
  expect(run(root, ["--version"]).stdout).toBe("csm 9.9.10-bundle-test");
  build(root);
  setVersion(root, "9.9.11-bundle-test", true);
  expect(run(root, ["--version"]).stdout).toBe("csm 9.9.10-bundle-test");
});

test("a deleted input makes the bundle stale", () => {
  const root = copyCheckout();
  build(root);
  expect(run(root, ["list"])).toMatchObject({ code: 0, stdout: expect.stringContaining("no sessions") });
  // The bundle still holds the table code; from source, the import fails. So a failure
  // here shows the sources ran.
  rmSync(join(root, "src", "cli", "session-table.ts"));
  const result = run(root, ["list"]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("session-table");
});

test("bundles built in another checkout are not used (they point into it)", () => {
  const first = copyCheckout();
  build(first);
  const moved = join(scratch, "moved");
  cpSync(first, moved, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  setVersion(moved, "9.9.13-bundle-test", true);
  expect(run(moved, ["--version"]).stdout).toBe("csm 9.9.13-bundle-test");
});

test("each command word runs its own bundle: every command and alias has one", () => {
  const root = copyCheckout();
  build(root);
  for (const word of ["list", "ls", "create", "kill", "k", "attach", "a", "pending", "approve", "deny", "rules", "server", "token", "hosts", "doctor", "help", "--help", "-h", "--version", "-V", "bridge", "run-agent", "dashboard"]) {
    const entry = JSON.parse(readFileSync(join(root, "dist", "prebuilt", `${word}.json`), "utf8")) as { bundle: string };
    expect(existsSync(join(root, "dist", "prebuilt", entry.bundle))).toBe(true);
  }
  // A command carries `--help` and the version, the two things main runs for any command.
  setVersion(root, "9.9.14-bundle-test", true);
  expect(run(root, ["ls", "--help"]).stdout).toContain("usage: csm list");
  expect(run(root, ["help"]).stdout).toContain("csm: a terminal manager");
});

test("a command word that is a path is never looked up: no file outside the bundles is read or run", () => {
  const root = copyCheckout();
  build(root);
  const canary = join(scratch, "canary-prebuilt");
  // What the launcher would find if it followed the word out of dist/prebuilt/.
  writeFileSync(join(root, "evil.json"), JSON.stringify({ root, bun: Bun.version, bundle: "../../evil.js", inputs: {} }));
  writeFileSync(join(root, "evil.js"), `require("node:fs").writeFileSync(${JSON.stringify(canary)}, "x"); exports.main = async () => 0;`);
  for (const word of ["../../evil", "../../evil.json", "/etc/passwd", "list/../../../evil"]) {
    const result = run(root, [word]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command");
  }
  expect(existsSync(canary)).toBe(false);
});
