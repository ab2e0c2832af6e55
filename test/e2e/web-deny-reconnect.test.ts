import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bashReply, lastToolResultText, textReply } from "../fixtures/fake-anthropic.ts";
import { launchBrowser, openDashboard, sandboxLoginUrl, sessionRow } from "../helpers/browser.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// A deny with a message typed in the page reaches the model; then the hub dies (kill -9),
// a bridge brings it back, and the page's event stream reconnects by itself: what happens
// after shows up live without a reload.

setDefaultTimeout(60_000);

test("deny with a message from the keyboard; the stream reconnects after a hub restart", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "refused-from-web");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply((request) => textReply(`model saw: ${lastToolResultText(request)}`));
  await live.create("web-deny", ["--prompt", "touch it"]);
  await live.waitForSession("web-deny", "waiting", (s) => s.status === "waiting");

  await using browser = await launchBrowser();
  const { page } = browser;
  await openDashboard(page, await sandboxLoginUrl(live.sb));
  await sessionRow(page, "web-deny").waitFor();
  // The TUI's keys: Enter opens the selected session, n denies its request.
  await page.keyboard.press("Enter");
  await page.locator("section.pending").waitFor();
  await page.locator("section.pending input.deny-text").fill("use the sandbox dir instead");
  await page.locator("section.pending input.deny-text").blur();
  await page.keyboard.press("n");
  await page.locator(".log .line", { hasText: "model saw: use the sandbox dir instead" }).waitFor();
  expect(existsSync(target)).toBe(false);
  await live.waitForSession("web-deny", "idle", (s) => s.status === "idle" && s.turns === 1);

  expect(await page.getAttribute("body", "data-stream-opens")).toBe("1");
  await live.killHub();
  // The session's bridge starts a new hub; the page finds it.
  await page.waitForSelector("body[data-stream-opens='2'][data-connection=live]", { state: "attached", timeout: 30_000 });
  live.fake.reply(textReply("after the restart"));
  expect(await live.sb.csm(["send", "web-deny", "still there?"])).toMatchObject({ code: 0 });
  await page.locator(".log .line", { hasText: "after the restart" }).waitFor({ timeout: 20_000 });
  expect(browser.dialogs).toEqual([]);
});
