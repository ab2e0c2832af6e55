import { expect, setDefaultTimeout, test } from "bun:test";
import { lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// What writes the config (the CLI's rules, the API) never loses what is in it, never
// acts on a copy read before its lock, and blames the right thing when it refuses.

setDefaultTimeout(30_000);

const rulesOf = (file: string) => (JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, "")) as { toolApprovalRules?: { pattern?: string }[] }).toolApprovalRules ?? [];

test("a config that is a symlink to nothing is refused by readers and writers, and the link is kept", async () => {
  await using sb = await makeSandbox();
  mkdirSync(join(sb.paths.configHome, "csm"), { recursive: true });
  const target = join(sb.paths.root, "dotfiles", "csm.json");
  symlinkSync(target, sb.paths.configFile);
  const listed = await sb.csm(["rules", "list"]);
  expect(listed.code).toBe(78);
  expect(listed.stderr).toContain(`config ${sb.paths.configFile}: (file): is a symlink to ${JSON.stringify(target)}, which does not exist`);
  const added = await sb.csm(["rules", "add", "--tool", "Bash", "--pattern", "rm *", "--action", "deny"]);
  expect(added.code).toBe(78);
  expect(added.stderr).toContain("which does not exist");
  expect(lstatSync(sb.paths.configFile).isSymbolicLink()).toBe(true);
});

test("a config with a byte-order mark is changed like any other, and keeps its mark", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig('\uFEFF{\n  "toolApprovalRules": [{ "tool": "Bash", "pattern": "git *", "action": "allow" }]\n}\n');
  const added = await sb.csm(["rules", "add", "--tool", "Bash", "--pattern", "rm *", "--action", "deny"]);
  expect(added).toMatchObject({ code: 0 });
  const text = readFileSync(sb.paths.configFile, "utf8");
  expect(text.startsWith("\uFEFF{")).toBe(true);
  expect(rulesOf(sb.paths.configFile).map((r) => r.pattern)).toEqual(["git *", "rm *"]);
});

test("rules add, remove and move act on the rules as they are under the lock, and say what they did", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "rm *", action: "deny" }, { tool: "Bash", pattern: "git *", action: "allow" }] });
  // The lock held by a live process (this test): the command waits for it, and meanwhile
  // another writer changes the rules.
  const lock = join(sb.paths.stateHome, "csm", "locks", "config.lock");
  mkdirSync(join(sb.paths.stateHome, "csm", "locks"), { recursive: true });
  const whileWaiting = async (args: string[], change: (rules: object[]) => void) => {
    writeFileSync(lock, String(process.pid));
    const running = sb.csm(["rules", ...args]);
    await Bun.sleep(400);
    const config = JSON.parse(readFileSync(sb.paths.configFile, "utf8")) as { toolApprovalRules: object[] };
    change(config.toolApprovalRules);
    writeFileSync(sb.paths.configFile, JSON.stringify(config, null, 2));
    rmSync(lock);
    return running;
  };
  // A rule put in front, as the always-deny key does.
  const removed = await whileWaiting(["remove", "0"], (rules) => rules.unshift({ tool: "Bash", pattern: "sudo *", action: "deny" }));
  expect(removed).toMatchObject({ code: 0 });
  expect(removed.stdout).toContain('"sudo *"');
  expect(rulesOf(sb.paths.configFile).map((r) => r.pattern)).toEqual(["rm *", "git *"]);

  const adding = whileWaiting(["add", "--tool", "Bash", "--pattern", "curl *", "--action", "deny"], (rules) => rules.push({ tool: "Bash", pattern: "npm *", action: "allow" }));
  const added = await adding;
  expect(added).toMatchObject({ code: 0 });
  // Appended to the rules as they were when it wrote: last, and said so.
  expect(rulesOf(sb.paths.configFile).map((r) => r.pattern)).toEqual(["rm *", "git *", "npm *", "curl *"]);
  expect(added.stdout).toContain("[3]");
});

test("a bad new rule is bad input (exit 2), and a bad change through the API blames the change, not the file", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig({ hosts: { dev: { host: "d", env: { TOK: "s3cret" } } } });
  const before = readFileSync(sb.paths.configFile, "utf8");
  const bad = await sb.csm(["rules", "add", "--tool", "Bash", "--action", "maybe"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("the new rule's action: must be allow, deny or ask");

  await using hub = await startTestHub(sb);
  const patch = (body: object) => hub.fetch("/api/config", { method: "PATCH", body: JSON.stringify(body) });
  const port = await patch({ apiPort: "x" });
  expect(port.status).toBe(400);
  const portError = ((await port.json()) as { error: { message: string } }).error.message;
  expect(portError).toStartWith("apiPort: ");
  expect(portError).toContain(`(nothing was written to ${sb.paths.configFile})`);
  expect(portError).not.toContain("fix the file");
  // A host renamed in one patch, sent back as it was shown: the secret is not there to keep.
  const renamed = await patch({ hosts: { dev: null, prod: { host: "d", env: { TOK: "<redacted>" } } } });
  expect(renamed.status).toBe(400);
  expect(((await renamed.json()) as { error: { message: string } }).error.message).toContain('hosts.prod.env.TOK is "<redacted>"');
  expect(readFileSync(sb.paths.configFile, "utf8")).toBe(before);
});
