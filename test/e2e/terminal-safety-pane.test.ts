import { expect, test, setDefaultTimeout } from "bun:test";
import { bashReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// Real tmux, git and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(30_000);

// Any byte a terminal would obey, but the newline: C0, DEL, C1, bidi overrides and isolates.
const OBEYED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

// A tool's output and claude's reply both carry escape sequences: a title change, a clear
// screen, an 8-bit CSI. The bridge pane is a real terminal; none of them may act there, and
// `csm list` and `csm logs` show them as text too.
test("escape sequences from a tool and from claude are shown, never obeyed, in the pane, list and logs", async () => {
  await using live = await makeLiveSandbox();
  live.fake.reply(bashReply("printf 'out \\033]0;pwned\\007\\033[2J end\\n'"));
  live.fake.reply(textReply("reply \x1b]0;pwned\x07\x1b[2J\x9b31m\u202Eend"));
  await live.create("hostile", ["--prompt", "print something"]);
  await live.waitForSession("hostile", "idle", (s) => s.status === "idle" && s.turns === 1);

  const pane = "=csm-hostile:agent";
  await live.sb.waitFor(async () => (await live.sb.tmux(["capture-pane", "-p", "-t", pane])).stdout.includes("turn done"), { what: "the turn in the pane" });
  const text = (await live.sb.tmux(["capture-pane", "-p", "-J", "-t", pane])).stdout;
  expect(text).toContain("↳ out ␛]0;pwned␇␛[2J end");
  expect(text).toContain("claude reply ␛]0;pwned␇␛[2J\\x9b31m\\u202eend");
  // With -e the pane keeps csm's own colours (SGR), but nothing that came from claude.
  const coloured = (await live.sb.tmux(["capture-pane", "-e", "-p", "-t", pane])).stdout;
  expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).not.toMatch(OBEYED);
  expect((await live.sb.tmux(["display", "-p", "-t", pane, "#{pane_title}"])).stdout).not.toContain("pwned");

  const list = await live.sb.csm(["list"]);
  expect(list).toMatchObject({ code: 0 });
  expect(list.stdout).toContain("reply ␛]0;pwned␇␛[2J\\x9b31m\\u202eend");
  expect(list.stdout).not.toMatch(OBEYED);

  const logs = await live.sb.csm(["logs", "hostile"]);
  expect(logs).toMatchObject({ code: 0 });
  expect(logs.stdout).toContain("↳ out ␛]0;pwned␇␛[2J end");
  expect(logs.stdout).not.toMatch(OBEYED);

  // --json: JSON.stringify escapes ESC itself; C1 and bidi are escaped by csm. Same values.
  for (const argv of [["list", "--json"], ["logs", "hostile", "--json"]]) {
    const json = await live.sb.csm(argv);
    expect(json.stdout).not.toMatch(OBEYED);
    expect(json.stdout).toContain("\\u001b]0;pwned\\u0007");
    expect(json.stdout).toContain("\\u009b31m\\u202eend");
  }
  const sessions = JSON.parse((await live.sb.csm(["list", "--json"])).stdout) as { lastMessage: string }[];
  expect(sessions[0]!.lastMessage).toBe("reply \x1b]0;pwned\x07\x1b[2J\x9b31m\u202Eend");
});
