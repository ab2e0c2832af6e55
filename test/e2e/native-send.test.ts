import { expect, setDefaultTimeout, test } from "bun:test";
import { lastUserText, textReply, type MessagesRequest } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox, type LiveSandbox } from "../helpers/live.ts";
import { createNative } from "../helpers/native.ts";

// A message to a native session is typed into claude's own input as one paste: every line
// and every byte of it is text, one prompt, however long.

setDefaultTimeout(60_000);

const streamed = (requests: MessagesRequest[]) => requests.filter((request) => request.stream === true);

/** A native session that has finished its first turn. */
async function readySession(live: LiveSandbox, name: string): Promise<void> {
  live.fake.reply(textReply("ready"));
  await createNative(live, name, "get ready");
  await live.waitForSession(name, "idle after the first turn", (s) => s.status === "idle" && s.turns === 1, 30_000);
}

test("native: csm send with two lines and escape sequences is one prompt of plain text", async () => {
  await using live = await makeLiveSandbox();
  await readySession(live, "typist");
  const before = live.fake.requests.length;

  live.fake.reply(textReply("read it"));
  const text = "first line of it\nsecond line \u001b[201~ after the paste end \u001b[2J after the clear\u0003 and the rest";
  expect(await live.sb.csm(["send", "typist", text])).toMatchObject({ code: 0, stdout: "sent to typist\n" });
  const idle = await live.waitForSession("typist", "idle after the message", (s) => s.status === "idle" && s.turns === 2);
  expect(idle.lastMessage).toBe("read it");

  const asked = streamed(live.fake.requests.slice(before));
  expect(asked).toHaveLength(1);
  const received = lastUserText(asked[0]!);
  // Both lines in one prompt; the escapes (and ^C) arrive as visible symbols, never as keys.
  expect(received).toContain("first line of it\nsecond line ␛[201~ after the paste end ␛[2J after the clear␃ and the rest");
  expect(received).not.toContain("\u001b");
});

test("native: a 1 MB message reaches the model whole", async () => {
  await using live = await makeLiveSandbox();
  await readySession(live, "bulk");
  const before = live.fake.requests.length;

  live.fake.reply(textReply("that was long"));
  const filler = "lorem ipsum dolor sit amet ".repeat(Math.ceil(1_000_000 / 27));
  const text = `BEGIN-OF-BULK ${filler}END-OF-BULK`;
  expect(text.length).toBeGreaterThan(1_000_000);
  // Longer than one argv string may be (128 KiB on Linux): the API `csm send` calls.
  const sent = await live.api<{ delivered?: string }>("POST", "/api/sessions/bulk/message", { text });
  expect(sent).toEqual({ status: 200, body: { delivered: "link" } });
  const idle = await live.waitForSession("bulk", "idle after the long message", (s) => s.status === "idle" && s.turns === 2, 30_000);
  expect(idle.lastMessage).toBe("that was long");

  const asked = streamed(live.fake.requests.slice(before));
  expect(asked).toHaveLength(1);
  const received = lastUserText(asked[0]!);
  expect(received).toContain("BEGIN-OF-BULK lorem ipsum");
  expect(received).toContain("dolor sit amet END-OF-BULK");
  expect(received.length).toBeGreaterThanOrEqual(text.length);
});
