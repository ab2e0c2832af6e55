import { expect, test, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { textReply, toolUseReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Any byte a terminal would obey, but the newline: C0, DEL, C1, bidi overrides and isolates.
const OBEYED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

// What claude asks to use is foreign text in `csm pending`, in what `csm approve` says, and
// in the error that lists the pending requests. (claude itself refuses a Bash command with
// control characters; a file path it lets through.)
test("a pending request with escape sequences is shown, never obeyed, by pending, approve and its errors", async () => {
  await using live = await makeLiveSandbox();
  const path = join(live.sb.paths.root, "a\x1b]0;pwned\x07\x1b[2J\u202Eb.txt");
  live.fake.reply(toolUseReply([{ name: "Write", input: { file_path: path, content: "x" } }]));
  live.fake.reply(textReply("done"));
  await live.create("asks", ["--prompt", "write it"]);
  await live.waitForSession("asks", "waiting", (s) => s.status === "waiting");
  const shown = join(live.sb.paths.root, "a␛]0;pwned␇␛[2J\\u202eb.txt");

  const pending = await live.sb.csm(["pending"]);
  expect(pending.stdout).toContain(shown);
  expect(pending.stdout).not.toMatch(OBEYED);

  // No such id: the error lists what is pending, command and all.
  const wrong = await live.sb.csm(["approve", "asks", "no-such-id"]);
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain(shown);
  expect(wrong.stderr).not.toMatch(OBEYED);

  const approved = await live.sb.csm(["approve", "asks"]);
  expect(approved).toMatchObject({ code: 0 });
  expect(approved.stdout).toBe(`allowed Write ${shown}\n`);
  await live.waitForSession("asks", "idle", (s) => s.status === "idle" && s.turns === 1);
});
