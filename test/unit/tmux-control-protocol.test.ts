import { expect, test } from "bun:test";
import { ControlReader, controlCommandLine } from "../../src/adapters/tmux-control-protocol.ts";

// The start of a real session (tmux 3.3a, `tmux -C attach-session -t =csm-bench-0 -f
// ignore-size,no-output`, then one list-panes): the attach's own block has flags 0.
const ATTACH = "%begin 1795264687 1465 0\n%end 1795264687 1465 0\n%session-changed $0 csm-bench-0\n";

test("the attach's own block is not a reply; our command's block is", () => {
  const reader = new ControlReader();
  expect(reader.push(ATTACH)).toEqual([{ kind: "notification", line: "%session-changed $0 csm-bench-0" }]);
  const events = reader.push("%begin 1795264687 1466 1\ncsm-a␟agent\ncsm-b␟agent\n%end 1795264687 1466 1\n");
  expect(events).toEqual([{ kind: "reply", ok: true, lines: ["csm-a␟agent", "csm-b␟agent"] }]);
});

test("replies split across chunks anywhere, even inside a line", () => {
  const reader = new ControlReader();
  const text = "%begin 1 7 1\nline one\nline two\n%end 1 7 1\n%sessions-changed\n";
  const events = [];
  for (let i = 0; i < text.length; i += 3) events.push(...reader.push(text.slice(i, i + 3)));
  expect(events).toEqual([
    { kind: "reply", ok: true, lines: ["line one", "line two"] },
    { kind: "notification", line: "%sessions-changed" },
  ]);
});

test("%error ends a reply that failed", () => {
  const reader = new ControlReader();
  expect(reader.push("%begin 1 8 1\nparse error: unknown command: nope\n%error 1 8 1\n")).toEqual([
    { kind: "reply", ok: false, lines: ["parse error: unknown command: nope"] },
  ]);
});

test("an output line that looks like a guard but does not match the %begin stays output", () => {
  const reader = new ControlReader();
  const events = reader.push("%begin 5 9 1\n%end 5 8 1\n%exit\n%end 5 9 1\n");
  expect(events).toEqual([{ kind: "reply", ok: true, lines: ["%end 5 8 1", "%exit"] }]);
});

test("a block tmux ran for the client on its own (a hook, flags 0) between ours is skipped", () => {
  const reader = new ControlReader();
  const events = reader.push("%begin 1 2 0\nhook output\n%end 1 2 0\n%begin 1 3 1\nours\n%end 1 3 1\n");
  expect(events).toEqual([{ kind: "reply", ok: true, lines: ["ours"] }]);
});

test("%exit outside a block is a notification", () => {
  expect(new ControlReader().push("%exit\n")).toEqual([{ kind: "notification", line: "%exit" }]);
});

test("command lines quote every argument", () => {
  expect(controlCommandLine(["list-panes", "-a", "-F", "#{session_name}␟#{pane_pid} $HOME ~ ; \\ {x}"])).toBe(
    "'list-panes' '-a' '-F' '#{session_name}␟#{pane_pid} $HOME ~ ; \\ {x}'\n",
  );
});

test("an argument that could end the quote or the line is refused, not sent", () => {
  for (const hostile of ["x'; kill-server; '", "a\nkill-server", "a\rb", "\u0000", "tab\there", "\u001b[0m"]) {
    expect(() => controlCommandLine(["display-message", hostile])).toThrow(/refusing/);
  }
  expect(() => controlCommandLine([])).toThrow(/empty/);
});
