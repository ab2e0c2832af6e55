import { expect, setDefaultTimeout, test } from "bun:test";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { SshHost } from "../../src/host/ssh.ts";
import { startSshd } from "../helpers/sshd.ts";

// HostFiles on the SSH host (small sh scripts through remoteCommand). The remote host is
// this machine, so results are checked with local fs calls.
setDefaultTimeout(30_000);

test("files: create, read, write atomically, copy, resolve and remove", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  using host = new SshHost("box", config, options);
  const { files } = host;
  // Hostile, but harmless if it ever ran: a broken quote would run it in the remote home,
  // which is the real one (sshd logs in as the current user), so it must not write there.
  const base = join(sshd.root, "files $(exit 9) `false` 'q' ; exit 7 \"");
  const file = join(base, "deep", "state.json");

  expect(await files.exists(file)).toBe(false);
  expect(await files.read(file)).toBeNull();
  expect(await files.realpath(file)).toBeNull();

  await files.writeAtomic(file, "first\n", 0o640);
  expect(await files.read(file)).toBe("first\n");
  expect((await stat(file)).mode & 0o777).toBe(0o640);
  await files.writeAtomic(file, "second ünïcode\n");
  expect(await files.read(file)).toBe("second ünïcode\n");
  expect((await stat(file)).mode & 0o777).toBe(0o644);

  const lock = join(base, "locks", "a.lock");
  expect(await files.createExclusive(lock, "mine")).toBe(true);
  expect(await files.createExclusive(lock, "theirs")).toBe(false);
  expect(await files.read(lock)).toBe("mine");
  expect((await stat(lock)).mode & 0o777).toBe(0o600);

  // A lock taken by mkdir (claude's own config lock): once; a missing parent is an error.
  const lockDir = join(base, "locks", "b.lock");
  expect(await files.makeDirectoryExclusive(lockDir)).toBe(true);
  expect(await files.makeDirectoryExclusive(lockDir)).toBe(false);
  expect((await stat(lockDir)).isDirectory()).toBe(true);
  await expect(files.makeDirectoryExclusive(join(base, "nowhere", "c.lock"))).rejects.toThrow(/making directory .* on box failed/);

  await files.mkdirp(join(base, "private", "dir"), 0o700);
  expect((await stat(join(base, "private", "dir"))).mode & 0o777).toBe(0o700);
  const copy = join(base, "copied", "state.json");
  await files.copy(file, copy);
  expect(await files.read(copy)).toBe("second ünïcode\n");
  expect(await files.realpath(join(base, "deep", "..", "copied", "state.json"))).toBe(copy);

  await expect(files.copy(join(base, "missing"), copy)).rejects.toThrow(/copying .* on box failed/);
  await files.remove(base);
  expect(await files.exists(base)).toBe(false);
  await files.remove(base);
});
