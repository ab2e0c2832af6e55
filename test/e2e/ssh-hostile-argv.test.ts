import { expect, setDefaultTimeout, test } from "bun:test";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SshHost } from "../../src/host/ssh.ts";
import { findCanaries } from "../helpers/canary.ts";
import { startSshd } from "../helpers/sshd.ts";

// The same contract as the remoteCommand unit test, across a real SSH hop: sshd hands
// the string to the login shell, and the program must receive exactly the argv sent.
setDefaultTimeout(60_000);

const HOSTILE = [
  "",
  " ",
  "'",
  "'\\''",
  '"',
  "\\",
  "a b\tc",
  "line1\nline2\n",
  "$(touch CANARY)",
  "`touch CANARY`",
  "; touch CANARY",
  "| touch CANARY",
  "&& touch CANARY &",
  "> CANARY",
  "*",
  "?[a-z]",
  "~",
  "{a,b}",
  "!!",
  "#",
  "-",
  "--",
  "-rf",
  "$HOME ${PATH}",
  "\u00e9\u{1F600}\u202e",
  "\u0001\u001b[31m\u007f",
  "'; touch CANARY; echo '",
];

const PIECES = ["'", '"', "\\", "$", "(", ")", "`", "$(touch CANARY)", ";", "|", "&", ">", "*", "?", "~", "#", "!", "-", " ", "\n", "\t", "\u00e9", "\u{1F4A9}"];

function randomArgument(): string {
  let text = "";
  for (let i = Math.floor(Math.random() * 10); i > 0; i--) {
    text += Math.random() < 0.7 ? PIECES[Math.floor(Math.random() * PIECES.length)] : String.fromCharCode(1 + Math.floor(Math.random() * 0x24f));
  }
  return text;
}

/** printf prints each argument NUL-terminated after a marker, so the received argv can be compared exactly. */
const echoArgs = (args: string[]) => ["printf", "%s\\0", "argv:", ...args];
const received = (stdout: string) => stdout.slice(0, -1).split("\0").slice(1);

test("hostile argv, cwd and env reach the remote program exactly, and nothing runs", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  using host = new SshHost("box", config, options);
  // Commands start in the remote home, which is the real one here (sshd logs in as the
  // current user): canary payloads only run in this temp cwd, whose own hostile name
  // would write nothing if it ever ran.
  const cwd = join(sshd.root, "work dir '$(exit 9)' ;false `false`");
  await mkdir(cwd);

  const table = await host.run(echoArgs(HOSTILE), { cwd });
  expect({ stderr: table.stderr, argv: received(table.stdout) }).toEqual({ stderr: "", argv: HOSTILE });

  // Each remote command costs a login shell (~85 ms here), so the fuzz runs them side by side.
  const cases = Array.from({ length: 40 }, () => Array.from({ length: 1 + Math.floor(Math.random() * 5) }, randomArgument));
  const results = await Promise.all(cases.map((args) => host.run(echoArgs(args), { cwd })));
  expect(results.map((result) => received(result.stdout))).toEqual(cases);

  const env = Object.fromEntries(HOSTILE.map((value, index) => [`HOSTILE_${index}`, value]));
  const script = `printf '%s\\0' argv: "$PWD" ${HOSTILE.map((_, index) => `"$HOSTILE_${index}"`).join(" ")}`;
  const applied = await host.run(["sh", "-c", script], { cwd, env });
  expect(received(applied.stdout)).toEqual([cwd, ...HOSTILE]);

  expect(await findCanaries(sshd.root, "CANARY")).toEqual([]);
});

test("a program whose path is hostile runs with its arguments intact", async () => {
  await using sshd = await startSshd();
  const { config, options } = sshd.client();
  using host = new SshHost("box", config, options);
  // which() runs in the remote home (the real one here), so this payload writes nothing if it ever ran.
  const directory = join(sshd.root, "bin $(exit 9) `false` ;&| 'q'");
  await mkdir(directory);
  const program = join(directory, "it's a \"program\"");
  await writeFile(program, "#!/bin/sh\nprintf '%s\\0' argv: \"$@\"\n");
  await chmod(program, 0o755);

  const result = await host.run([program, ...HOSTILE], { cwd: sshd.root });
  expect({ code: result.code, argv: received(result.stdout) }).toEqual({ code: 0, argv: HOSTILE });
  expect(await host.which(program)).toBe(program);
  expect(await findCanaries(sshd.root, "CANARY")).toEqual([]);
});
