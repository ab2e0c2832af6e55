import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkHostKey, entryMatchesHost, fingerprint, keyTypeOf, knownKeyTypes, parseKnownHosts } from "../../src/host/known-hosts.ts";

// known_hosts as OpenSSH writes it: plain, [host]:port, comma lists, globs, negations,
// markers, and hashed names made by the real `ssh-keygen -H`. (Pure parsing: no sshd.)

const ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
const OTHER_ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIHbzBG0uKZpWvsX0EpzDbXxPb7hWvMiJyzlxT0w9Ysm2";
const key = (base64: string) => Buffer.from(base64, "base64");

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "csm-known-hosts-"));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

test("plain, bracketed, listed, glob and negated patterns", () => {
  const entries = parseKnownHosts(
    [
      "# comment",
      "",
      `example.com,192.0.2.1 ssh-ed25519 ${ED25519} user@machine`,
      `[example.com]:2222 ssh-ed25519 ${OTHER_ED25519}`,
      `*.corp.example,!secret.corp.example ssh-ed25519 ${ED25519}`,
      "broken line",
      "@unknown-marker host ssh-ed25519 AAAA",
      `host ssh-ed25519 not*base64`,
    ].join("\n"),
  );
  expect(entries.map((entry) => entry.line)).toEqual([3, 4, 5]);
  const [plain, bracketed, glob] = entries;
  expect(entryMatchesHost(plain!, "example.com", 22)).toBe(true);
  expect(entryMatchesHost(plain!, "EXAMPLE.com", 22)).toBe(true);
  expect(entryMatchesHost(plain!, "192.0.2.1", 22)).toBe(true);
  expect(entryMatchesHost(plain!, "example.com", 2222)).toBe(false);
  expect(entryMatchesHost(bracketed!, "example.com", 2222)).toBe(true);
  expect(entryMatchesHost(bracketed!, "example.com", 22)).toBe(false);
  expect(entryMatchesHost(glob!, "a.corp.example", 22)).toBe(true);
  expect(entryMatchesHost(glob!, "secret.corp.example", 22)).toBe(false);
  expect(entryMatchesHost(glob!, "corpXexample", 22)).toBe(false);
  expect(knownKeyTypes(entries, "example.com", 2222)).toEqual(["ssh-ed25519"]);
});

test("markers are read; @cert-authority lines do not vouch for plain keys", () => {
  const entries = parseKnownHosts(`@cert-authority *.example ssh-ed25519 ${ED25519}\n@revoked * ssh-ed25519 ${OTHER_ED25519}\n`);
  expect(entries.map((entry) => entry.marker)).toEqual(["cert-authority", "revoked"]);
  expect(checkHostKey(entries, "/kh", "a.example", 22, key(ED25519))).toMatchObject({ ok: false, error: { problem: "unknown" } });
  expect(checkHostKey(entries, "/kh", "a.example", 22, key(OTHER_ED25519))).toMatchObject({ ok: false, error: { problem: "revoked" } });
});

test("hashed names written by ssh-keygen -H match the host they hash", async () => {
  const file = join(directory, "known_hosts");
  await writeFile(file, `[127.0.0.1]:2200 ssh-ed25519 ${ED25519}\nexample.org ssh-ed25519 ${OTHER_ED25519}\n`);
  const hash = Bun.spawn(["ssh-keygen", "-H", "-f", file], { stdout: "ignore", stderr: "ignore" });
  expect(await hash.exited).toBe(0);
  const text = await Bun.file(file).text();
  expect(text).not.toContain("example.org");

  const entries = parseKnownHosts(text);
  expect(entries.every((entry) => entry.patterns[0]!.startsWith("|1|"))).toBe(true);
  expect(checkHostKey(entries, file, "127.0.0.1", 2200, key(ED25519))).toEqual({ ok: true });
  expect(checkHostKey(entries, file, "example.org", 22, key(OTHER_ED25519))).toEqual({ ok: true });
  expect(checkHostKey(entries, file, "127.0.0.1", 2201, key(ED25519))).toMatchObject({ ok: false, error: { problem: "unknown" } });
  expect(checkHostKey(entries, file, "example.org", 22, key(ED25519))).toMatchObject({ ok: false, error: { problem: "changed" } });
});

test("fingerprints are the ones ssh-keygen -l prints; key types come from the blob", async () => {
  const file = join(directory, "key.pub");
  await writeFile(file, `ssh-ed25519 ${ED25519} comment\n`);
  const keygen = Bun.spawn(["ssh-keygen", "-l", "-E", "sha256", "-f", file], { stdout: "pipe", stderr: "ignore" });
  expect((await new Response(keygen.stdout).text()).split(" ")[1]).toBe(fingerprint(key(ED25519)));
  expect(keyTypeOf(key(ED25519))).toBe("ssh-ed25519");
  expect(keyTypeOf(Buffer.alloc(2))).toBe("unknown");
});
