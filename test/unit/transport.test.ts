import { expect, test } from "bun:test";
import { parseClaudeVersion, transportForVersion } from "../../src/link/transport.ts";

test.each([
  ["2.1.330 (Claude Code)", "bridge"],
  ["2.1.121 (Claude Code)", "bridge"],
  ["2.1.120 (Claude Code)", "sdk-url"],
  ["2.0.5 (Claude Code)", "sdk-url"],
  ["1.0.124 (Claude Code)", "sdk-url"],
  ["3.0.0", "bridge"],
  ["garbage", "bridge"],
])("claude %p → %p", (output, transport) => {
  expect(transportForVersion(parseClaudeVersion(output))).toBe(transport as "bridge" | "sdk-url");
});
