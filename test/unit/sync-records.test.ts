import { expect, test } from "bun:test";
import { completeLines, cwdOf, derivedId, relationOf, uuidsOf, withSessionId } from "../../src/core/carry/sync-records.ts";

const line = (uuid: string | null, extra: Record<string, unknown> = {}) => `${JSON.stringify({ type: uuid ? "user" : "custom-title", ...(uuid ? { uuid } : {}), sessionId: "s1", ...extra })}\n`;

test("only complete lines are taken: a line being written waits", () => {
  expect(completeLines(`${line("a")}{"type":"us`)).toBe(line("a"));
  expect(completeLines('{"half')).toBe("");
});

test("copies compare by their records' uuids: prefix fast-forwards, both-grew diverges", () => {
  const base = line("a") + line("b");
  expect(relationOf(base, base)).toBe("same");
  expect(relationOf(base + line("c"), base)).toBe("ahead");
  expect(relationOf(base, base + line("c"))).toBe("behind");
  expect(relationOf(base + line("c"), base + line("d"))).toBe("diverged");
  // A metadata line re-appended on one side only: the longer wins.
  expect(relationOf(base + line(null, { customTitle: "x" }), base)).toBe("ahead");
  // Different bytes, same records in a longer order (a timestamp rewritten): still by uuid.
  expect(relationOf(line("a", { t: 1 }) + line("b"), line("a", { t: 2 }) + line("b") + line("c"))).toBe("behind");
  expect(uuidsOf(`${line("a")}not json\n${line(null)}`)).toEqual(["a"]);
});

test("a fork id is a UUID made from its seed, the same on every machine; sessionId rewriting round-trips", () => {
  const id = derivedId("7b87@laptop");
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(derivedId("7b87@laptop")).toBe(id);
  expect(derivedId("7b87@devbox")).not.toBe(id);
  const text = line("a") + line(null);
  const forked = withSessionId(text, "s1", id);
  expect(forked).not.toContain('"sessionId":"s1"');
  expect(withSessionId(forked, id, "s1")).toBe(text);
});

test("the cwd a transcript names", () => {
  expect(cwdOf(`${line(null)}${line("a", { cwd: '/home/me/src/a "b"' })}`)).toBe('/home/me/src/a "b"');
  expect(cwdOf(line(null))).toBeNull();
});
