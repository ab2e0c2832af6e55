import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

// The API token: 32 random bytes, hex, in a 0600 file in the config dir. Made on the
// hub's first start; every route but /api/health needs it.

/** The config dir, made 0700 whatever the umask (mkdir's mode passes through it). */
function makePrivateDirectory(path: string): void {
  const first = mkdirSync(path, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  for (let dir = path; ; dir = dirname(dir)) {
    chmodSync(dir, 0o700);
    if (dir === first || dir === dirname(dir)) return;
  }
}

export function readToken(path: string): string | null {
  try {
    const token = readFileSync(path, "utf8").trim();
    return token === "" ? null : token;
  } catch {
    return null;
  }
}

/** The token, made if there is none. Exclusive create: two hubs starting at once agree on one. */
export function ensureToken(path: string): string {
  const existing = readToken(path);
  if (existing) return existing;
  makePrivateDirectory(dirname(path));
  try {
    writeFileSync(path, `${newToken()}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // The winner may still be writing it.
  for (let tries = 0; tries < 100; tries++) {
    const token = readToken(path);
    if (token) return token;
    Bun.sleepSync(10);
  }
  throw new Error(`the token file ${path} stays empty; remove it and start the hub again`);
}

const newToken = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("hex");

export function writeNewToken(path: string): string {
  const token = newToken();
  makePrivateDirectory(dirname(path));
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return token;
}
