import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmod, mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RemoteCommandError, remoteCommand, shellQuote } from "../../src/host/remote-command.ts";
import { findCanaries } from "../helpers/canary.ts";

// remoteCommand is the only function whose output a shell parses, so its contract is
// checked by running real shells on it: whatever goes in as argv must come out of the
// other side as exactly that argv, and nothing in it may ever run.

let root: string;
beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "csm-remote-command-")));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const canary = () => join(root, "CANARY");

/** `printf '%s\0'` prints each argument followed by NUL, which no argument can contain. */
const ECHO_ARGS = ["printf", "%s\\0", "argv:"];
/** The arguments after the "argv:" marker (printf prints its format once even with no arguments). */
const splitNul = (text: string) => text.slice(0, -1).split("\0").slice(1);

async function runThrough(shell: string, command: string, cwd = root) {
  const child = Bun.spawn([shell, "-c", command], { cwd, stdout: "pipe", stderr: "pipe", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: root } });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

async function roundTrip(shell: string, args: string[]): Promise<string[]> {
  const result = await runThrough(shell, remoteCommand([...ECHO_ARGS, ...args]));
  expect({ args, stderr: result.stderr, code: result.code }).toEqual({ args, stderr: "", code: 0 });
  return splitNul(result.stdout);
}

const HOSTILE = [
  "",
  " ",
  "'",
  "''",
  "'\\''",
  '"',
  "\\",
  "\\'",
  "a b",
  "\t\n\r",
  "line1\nline2",
  "trailing\n",
  "\n",
  `$(touch ${"CANARY_PATH"})`,
  "`touch CANARY_PATH`",
  "$HOME",
  "${HOME}",
  "$((1+1))",
  "$'\\x41'",
  "; touch CANARY_PATH",
  "| touch CANARY_PATH",
  "& touch CANARY_PATH &",
  "&& touch CANARY_PATH",
  "|| touch CANARY_PATH",
  "> CANARY_PATH",
  "< /etc/passwd",
  "*",
  "?",
  "[a-z]*",
  "~",
  "~root",
  "{a,b}",
  "!",
  "!!",
  "#comment",
  "-",
  "--",
  "-rf",
  "--help",
  "-n",
  "-e",
  "%s%n%d",
  "a=b",
  "IFS= x",
  "\u00e9\u00fc\u00df",
  "\u202e\u200b\ufeff",
  "\u{1F600}",
  "\u0001\u0002\u001b[31m\u007f",
  "\u00ff\u0080",
  "x'$(touch CANARY_PATH)'y",
  "'; touch CANARY_PATH; echo '",
  "\"; touch CANARY_PATH; echo \"",
  "\\'; touch CANARY_PATH #",
].map((value) => value.replaceAll("CANARY_PATH", "CANARY"));

describe("remoteCommand", () => {
  test("quotes every argument and execs the program", () => {
    expect(remoteCommand(["git", "status", "--short"])).toBe("exec 'git' 'status' '--short'");
    expect(remoteCommand(["echo", "it's"])).toBe(`exec 'echo' 'it'\\''s'`);
  });

  test("exports env and changes directory before exec", () => {
    expect(remoteCommand(["ls"], { cwd: "/srv/app", env: { A: "1", B_2: "x y" } })).toBe("export A='1' B_2='x y'; cd -- '/srv/app' && exec 'ls'");
    expect(remoteCommand(["ls"], { cwd: "-" })).toBe("cd -- './-' && exec 'ls'");
  });

  test("refuses what a shell string cannot carry", () => {
    expect(() => remoteCommand([])).toThrow(RemoteCommandError);
    expect(() => remoteCommand([""])).toThrow(/empty/);
    expect(() => remoteCommand(["-rf"])).toThrow(/starts with "-"/);
    expect(() => remoteCommand(["echo", "a\0b"])).toThrow(/NUL/);
    expect(() => remoteCommand(["echo"], { cwd: "a\0b" })).toThrow(/NUL/);
    expect(() => remoteCommand(["echo"], { cwd: "" })).toThrow(/empty/);
    expect(() => remoteCommand(["echo"], { env: { A: "\0" } })).toThrow(/NUL/);
    for (const name of ["", "1A", "A-B", "A B", "A=B", "$(x)", "A;B", "Ä"]) {
      expect(() => remoteCommand(["echo"], { env: { [name]: "x" } })).toThrow(/not valid/);
    }
  });

  for (const shell of ["sh", "bash"]) {
    test(`${shell}: the hostile table round-trips exactly and runs nothing`, async () => {
      expect(await roundTrip(shell, HOSTILE)).toEqual(HOSTILE);
      for (const value of HOSTILE) expect(await roundTrip(shell, [value])).toEqual([value]);
      expect(await findCanaries(root, "CANARY")).toEqual([]);
    });

    test(`${shell}: hostile env values and directory names are applied exactly`, async () => {
      // Written so that a shell running it would make CANARY, while the name itself does not say CANARY.
      const directory = join(root, `${shell} dir '$(touch CANA""RY)' \`touch CANA''RY\` ; & \n*`);
      await mkdir(directory);
      const env = Object.fromEntries(HOSTILE.map((value, index) => [`V_${index}`, value]));
      const script = `printf '%s\\0' argv: "$PWD" ${HOSTILE.map((_, index) => `"$V_${index}"`).join(" ")}`;
      const result = await runThrough(shell, remoteCommand(["sh", "-c", script], { cwd: directory, env }));
      expect(result.stderr).toBe("");
      expect(splitNul(result.stdout)).toEqual([directory, ...HOSTILE]);
      expect(await findCanaries(root, "CANARY")).toEqual([]);
      await rm(directory, { recursive: true });
    });
  }

  test("a program under ~/ runs from the remote home; the rest of its path and every argument stay literal", async () => {
    expect(remoteCommand(["~/bin/csm", "~/x"])).toBe(`exec "$HOME"/'bin/csm' '~/x'`);
    expect(remoteCommand(["~root/csm"])).toBe("exec '~root/csm'");
    const home = join(root, "remote home");
    // A shell running this name would make CANARY, while the name itself does not say CANARY.
    const hostile = "bin $(touch CANA''RY) `touch CANA\"\"RY` ;'";
    await mkdir(join(home, hostile), { recursive: true });
    await Bun.write(join(home, hostile, "prog"), "#!/bin/sh\nprintf '%s|' \"$0\" \"$@\"\n");
    await chmod(join(home, hostile, "prog"), 0o755);
    const result = await runThrough("sh", `HOME=${shellQuote(home)}; ${remoteCommand([`~/${hostile}/prog`, "~/arg"], { cwd: "/" })}`);
    expect(result).toEqual({ code: 0, stdout: `${join(home, hostile, "prog")}|~/arg|`, stderr: "" });
    expect(await findCanaries(root, "CANARY")).toEqual([]);
  });

  test("a relative directory is taken literally, not from CDPATH", async () => {
    await mkdir(join(root, "-"), { recursive: true });
    const result = await runThrough("sh", `CDPATH=/tmp; ${remoteCommand(["pwd"], { cwd: "-" })}`);
    expect(result).toEqual({ code: 0, stdout: `${join(root, "-")}\n`, stderr: "" });
  });

  test("the exit status is the program's own", async () => {
    expect((await runThrough("sh", remoteCommand(["sh", "-c", "exit 42"]))).code).toBe(42);
    expect((await runThrough("sh", remoteCommand(["true"], { cwd: join(root, "missing") }))).code).not.toBe(0);
  });
});

// A small seeded generator, so a failure prints a seed that reproduces it.
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ["'", '"', "\\", "$", "(", ")", "`", "$(touch CANARY)", "`touch CANARY`", ";", "|", "&", "<", ">", "*", "?", "[", "]", "{", "}", "~", "#", "!", "-", "--", " ", "\t", "\n", "\r", "=", "%", "'\\''", "\u00e9", "\u{1F4A9}", "\u2028"];

/** A random argument: hostile pieces, control characters and any non-surrogate code point but NUL. */
function hostileArgument(next: () => number): string {
  let text = "";
  const length = Math.floor(next() * 12);
  for (let i = 0; i < length; i++) {
    const roll = next();
    if (roll < 0.5) text += PIECES[Math.floor(next() * PIECES.length)];
    else if (roll < 0.7) text += String.fromCharCode(1 + Math.floor(next() * 0x7f));
    else if (roll < 0.85) text += String.fromCharCode(0x80 + Math.floor(next() * 0x780));
    else {
      // Lone surrogates cannot be encoded as UTF-8, so they cannot reach any process intact.
      const codePoint = Math.floor(next() * 0x10ffff) + 1;
      text += codePoint >= 0xd800 && codePoint <= 0xdfff ? "x" : String.fromCodePoint(codePoint);
    }
  }
  return text;
}

test("fuzz: random hostile argv round-trips through sh -c exactly", async () => {
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  const next = random(seed);
  for (let iteration = 0; iteration < 300; iteration++) {
    const args = Array.from({ length: Math.floor(next() * 6) }, () => hostileArgument(next));
    const shell = iteration % 2 === 0 ? "sh" : "bash";
    const result = await runThrough(shell, remoteCommand([...ECHO_ARGS, ...args]));
    expect({ seed, shell, args: splitNul(result.stdout), stderr: result.stderr }).toEqual({ seed, shell, args, stderr: "" });
  }
  expect(await findCanaries(root, "CANARY")).toEqual([]);
});
