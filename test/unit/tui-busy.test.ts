import { expect, test } from "bun:test";
import { initialModel, setBusy, setConnection, spin } from "../../src/tui/model.ts";
import { headerView } from "../../src/tui/views/header.ts";
import { plainText } from "../../src/tui/views/markup.ts";

test("the header shows a turning spinner only while hub calls are under way", () => {
  const idle = setConnection(initialModel(), { state: "connected" });
  expect(plainText(headerView(idle, 80)[0]!)).not.toMatch(/[⠋⠙⠹]/);
  const working = setBusy(idle, 1);
  const first = plainText(headerView(working, 80)[0]!);
  const second = plainText(headerView(spin(working), 80)[0]!);
  expect(first).toContain("⠋ hub ✓");
  expect(second).toContain("⠙ hub ✓");
  expect(plainText(headerView(setBusy(working, -1), 80)[0]!)).not.toContain("⠋");
});
