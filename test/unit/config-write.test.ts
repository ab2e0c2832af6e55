import { expect, test } from "bun:test";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mergePatch } from "../../src/config/redact.ts";
import { updateConfig } from "../../src/config/write.ts";
import { LocalHost } from "../../src/host/local.ts";
import { RuleSource } from "../../src/core/rules/rule-source.ts";

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

test("the redacted placeholder keeps a stored secret, and is refused where none is stored: never written as the value", () => {
  const target: Record<string, unknown> = { hosts: { dev: { host: "d", env: { TOK: "s3cret" } } } };
  mergePatch(target, { hosts: { dev: { env: { TOK: "<redacted>", OTHER: "new" } } } });
  expect(target).toEqual({ hosts: { dev: { host: "d", env: { TOK: "s3cret", OTHER: "new" } } } });
  // The host renamed in one patch: the new entry has nothing stored to keep.
  expect(() => mergePatch(target, { hosts: { dev: null, prod: { host: "d", env: { TOK: "<redacted>" } } } })).toThrow(
    'hosts.prod.env.TOK is "<redacted>", but no value is stored there to keep; send the value itself',
  );
  expect(() => mergePatch({}, { apiToken: "<redacted>" })).toThrow(/apiToken is "<redacted>"/);
  // Null members of a new object are dropped, as RFC 7396 merges it into an empty one.
  const fresh: Record<string, unknown> = {};
  mergePatch(fresh, { hosts: { box: { host: "b", user: null } } });
  expect(fresh).toEqual({ hosts: { box: { host: "b" } } });
});

test("a config that is a symlink to nothing is refused, and the link kept: never replaced by a file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "csm-config-write-"));
  try {
    const file = join(dir, "config.json");
    symlinkSync(join(dir, "dotfiles", "csm.json"), file);
    const writing = updateConfig(new LocalHost().files, file, join(dir, "config.lock"), (raw) => void (raw.defaultRepo = "/x"));
    await expect(writing).rejects.toThrow(`config ${file}: (file): is a symlink to a file, which does not exist`);
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a config that cannot be read (a directory) is named with its path, not a bare error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "csm-config-write-"));
  try {
    const file = join(dir, "config.json");
    mkdirSync(file);
    await expect(updateConfig(new LocalHost().files, file, join(dir, "config.lock"), () => {})).rejects.toThrow(`config ${file}: (file): cannot be read: `);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the rules read from a config symlink to nothing are none, with the error said: never a silent empty list", async () => {
  const dir = mkdtempSync(join(tmpdir(), "csm-config-write-"));
  try {
    const file = join(dir, "config.json");
    symlinkSync(join(dir, "dotfiles", "csm.json"), file);
    const current = await new RuleSource(file).get();
    expect(current.rules).toEqual([]);
    expect(current.error).toBe(`config ${file}: (file): is a symlink to ${JSON.stringify(join(dir, "dotfiles", "csm.json"))}, which does not exist (fix the file; csm never rewrites it)`);
    // Without a file at all, there simply are no rules.
    expect(await new RuleSource(join(dir, "none.json")).get()).toEqual({ rules: [], error: null });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
