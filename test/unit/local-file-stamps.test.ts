import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalHost } from "../../src/host/local.ts";

// What a file is on disk now, for caches that must see every change (core/sessions/working-tree-changes.ts).

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "csm-stamps-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const files = new LocalHost().files;

test("a file written again, even to the same size, gets another key; a gone path, or one under a file, has none", async () => {
  const file = join(dir, "a.txt");
  writeFileSync(file, "one\n");
  const [before] = await files.stamps([file]);
  expect(before!.changedMs).toBeGreaterThan(Date.now() - 60_000);
  // A clock tick apart: within one tick a stamp may not change, which is why a recent stamp is never trusted (working-tree-plan.ts).
  await Bun.sleep(20);
  writeFileSync(file, "two\n");
  const [after] = await files.stamps([file]);
  expect(after!.key).not.toBe(before!.key);
  expect(await files.stamps([join(dir, "missing"), join(file, "below-a-file")])).toEqual([null, null]);
});

test("a symlink is stamped itself, not what it points to", async () => {
  const target = join(dir, "target.txt");
  writeFileSync(target, "x\n");
  symlinkSync(target, join(dir, "link"));
  const [link] = await files.stamps([join(dir, "link")]);
  const [before] = await files.stamps([target]);
  expect([link!.kind, before!.kind, (await files.stamps([dir]))[0]!.kind]).toEqual(["symlink", "file", "directory"]);
  expect(link!.key).not.toBe(before!.key);
  await Bun.sleep(20);
  writeFileSync(target, "changed\n");
  expect((await files.stamps([join(dir, "link")]))[0]!.key).toBe(link!.key);
});
