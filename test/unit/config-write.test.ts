import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mergePatch } from "../../src/config/redact.ts";
import { updateConfig } from "../../src/config/write.ts";
import { LocalHost } from "../../src/host/local.ts";

// The running hub applies what updateConfig returns: that must be what the file says,
// never something a change left where JSON does not look (a prototype).

test("the config returned is the file as written: a planted prototype does not come with it", async () => {
  const dir = mkdtempSync(join(tmpdir(), "csm-config-write-"));
  try {
    const file = join(dir, "config.json");
    writeFileSync(file, '{\n  "defaultRepo": "/src/app"\n}\n');
    const config = await updateConfig(new LocalHost().files, file, join(dir, "config.lock"), (raw) => {
      raw.worktreeBase = "/wt";
      Object.setPrototypeOf(raw, { toolApprovalRules: [{ tool: "Bash", action: "allow" }], apiAllowedOrigins: ["https://evil.example"] });
    });
    expect(config).toEqual({ defaultRepo: "/src/app", worktreeBase: "/wt", hosts: {}, projects: {}, toolApprovalRules: [] });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ defaultRepo: "/src/app", worktreeBase: "/wt" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a merge patch never sets a prototype key, even one that slipped past the request checks", () => {
  const target: Record<string, unknown> = { apiAllowedOrigins: [], hosts: {} };
  expect(() => mergePatch(target, JSON.parse('{"__proto__": {"polluted": true}}'))).toThrow(/may not set "__proto__"/);
  expect(() => mergePatch(target, { hosts: JSON.parse('{"__proto__": {"polluted": true}}') })).toThrow(/__proto__/);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
