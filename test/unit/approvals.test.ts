import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { updateConfig } from "../../src/config/write.ts";
import { pickRequest } from "../../src/core/live/pick-request.ts";
import { LocalHost } from "../../src/host/local.ts";
import { RuleSource } from "../../src/core/rules/rule-source.ts";

const req = (requestId: string) => ({ requestId, toolName: "Bash", summary: `touch ${requestId}` });

test("no id and one pending: that one; several: an error listing them; none: an error", () => {
  expect(pickRequest("s", [req("a1")]).requestId).toBe("a1");
  expect(() => pickRequest("s", [req("a1"), req("b2")])).toThrow("s has 2 pending requests; name one:\n  a1  Bash touch a1\n  b2  Bash touch b2");
  expect(() => pickRequest("s", [])).toThrow("s has no pending requests");
});

test("an id or a unique prefix picks; an ambiguous or unknown one does not", () => {
  const pending = [req("abc-1"), req("abd-2")];
  expect(pickRequest("s", pending, "abd-2").requestId).toBe("abd-2");
  expect(pickRequest("s", pending, "abc").requestId).toBe("abc-1");
  expect(() => pickRequest("s", pending, "ab")).toThrow('"ab" matches 2 requests');
  expect(() => pickRequest("s", pending, "zzz")).toThrow('s has no pending request "zzz"');
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "csm-approvals-"));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

test("updateConfig changes one field and keeps the rest and the indentation", async () => {
  using temp = tempDir();
  const path = join(temp.dir, "config.json");
  writeFileSync(path, '{\n\t"defaultRepo": "~/src/app",\n\t"hosts": {"dev": {"host": "d"}}\n}\n');
  await updateConfig(new LocalHost().files, path, join(temp.dir, "lock"), (raw) => {
    raw.toolApprovalRules = [{ tool: "Read", action: "allow" }];
  });
  const text = readFileSync(path, "utf8");
  expect(text).toContain('\n\t"defaultRepo": "~/src/app"');
  expect(JSON.parse(text)).toEqual({ defaultRepo: "~/src/app", hosts: { dev: { host: "d" } }, toolApprovalRules: [{ tool: "Read", action: "allow" }] });
});

test("updateConfig leaves a broken file as it was, and refuses a change that breaks the schema", async () => {
  using temp = tempDir();
  const path = join(temp.dir, "config.json");
  writeFileSync(path, "{ not json");
  await expect(updateConfig(new LocalHost().files, path, join(temp.dir, "lock"), () => {})).rejects.toThrow(`config ${path}: (file): is not valid JSON`);
  expect(readFileSync(path, "utf8")).toBe("{ not json");

  writeFileSync(path, '{"apiPort": 7000}');
  await expect(
    updateConfig(new LocalHost().files, path, join(temp.dir, "lock"), (raw) => {
      raw.toolApprovalRules = [{ tool: "Bash", action: "perhaps" }];
    }),
  ).rejects.toThrow("toolApprovalRules[0].action");
  expect(readFileSync(path, "utf8")).toBe('{"apiPort": 7000}');
});

test("the hub's rule source follows the file, and a broken rule list yields no rules and the error", async () => {
  using temp = tempDir();
  const path = join(temp.dir, "config.json");
  const source = new RuleSource(path);
  expect(await source.get()).toEqual({ rules: [], error: null });
  writeFileSync(path, JSON.stringify({ toolApprovalRules: [{ tool: "Bash", pattern: "git *", action: "allow" }] }));
  expect((await source.get()).rules).toEqual([{ tool: "Bash", pattern: "git *", action: "allow" }]);
  writeFileSync(path, JSON.stringify({ toolApprovalRules: [{ tool: "Bash", pattern: "git *", action: "allow" }, { tool: "bash", action: "deny" }] }));
  utimesSync(path, new Date(), new Date(Date.now() + 5000));
  const broken = await source.get();
  expect(broken.rules).toEqual([]);
  expect(broken.error).toContain('toolApprovalRules[1].tool: tool names are case-sensitive: did you mean "Bash"?');
});
