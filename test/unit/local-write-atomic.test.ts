import { afterEach, beforeEach, expect, test } from "bun:test";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../../src/core/carry/sync-state.ts";
import { LocalHost } from "../../src/host/local.ts";

// A person's file may be a symlink (~/.claude.json or a transcript kept in a dotfiles
// checkout): an atomic write replaces the file it names, and the link stays a link.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "csm-write-"));
  mkdirSync(join(dir, "dotfiles"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const linked = (name: string) => {
  const target = join(dir, "dotfiles", name);
  writeFileSync(target, "old\n");
  symlinkSync(target, join(dir, name));
  return { link: join(dir, name), target };
};

test("the host's atomic write follows a symlink: the file it names gets the content, the link stays", async () => {
  const { link, target } = linked(".claude.json");
  await new LocalHost().files.writeAtomic(link, "new\n", 0o600);
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  expect(readlinkSync(link)).toBe(target);
  expect(readFileSync(target, "utf8")).toBe("new\n");
});

test("sync's atomic write follows a symlink too, keeps a file's mode, and makes a new one private", () => {
  const { link, target } = linked("t.jsonl");
  writeFileAtomic(link, "more\n");
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  expect(readFileSync(target, "utf8")).toBe("more\n");
  expect(lstatSync(target).mode & 0o777).toBe(0o644 & ~process.umask());
  writeFileAtomic(join(dir, "new", "u.jsonl"), "x\n");
  expect(lstatSync(join(dir, "new", "u.jsonl")).mode & 0o777).toBe(0o600);
  expect(lstatSync(join(dir, "new")).mode & 0o777).toBe(0o700);
});
