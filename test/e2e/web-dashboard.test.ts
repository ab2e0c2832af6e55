import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bashReply, textReply } from "../fixtures/fake-anthropic.ts";
import { launchBrowser, openDashboard, sandboxLoginUrl, sessionRow } from "../helpers/browser.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// The web dashboard in a real browser against a real hub and the real claude: log in with a
// code, see the list, answer a real pending request from the page (the tool runs), watch
// the reply arrive live, and send a message whose answer streams in.

setDefaultTimeout(60_000);

test("log in with a code, allow a real request from the page, see the reply arrive live", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "allowed-from-web");
  live.fake.reply(bashReply(`touch ${target}`));
  live.fake.reply(textReply("touched it"));
  await live.create("web-ask", ["--prompt", "touch it"]);
  await live.waitForSession("web-ask", "waiting", (s) => s.status === "waiting");

  await using browser = await launchBrowser();
  const { page } = browser;
  const url = await sandboxLoginUrl(live.sb);
  expect(url).toContain("#login=");
  await openDashboard(page, url);
  // The code is gone from the address bar (and history) at once.
  expect(page.url()).not.toContain("login=");
  await expect(sessionRow(page, "web-ask").textContent()).resolves.toContain("waiting");

  await sessionRow(page, "web-ask").click();
  const card = page.locator("section.pending");
  await card.waitFor();
  expect(await card.locator("pre.input").textContent()).toBe(`touch ${target}`);
  expect(existsSync(target)).toBe(false);
  await page.screenshot({ path: join(process.env.CSM_WEB_SCREENSHOTS ?? live.sb.paths.root, "desktop-session.png") });
  await card.locator("button.allow").click();

  await page.locator(".log .line", { hasText: "touched it" }).waitFor();
  expect(existsSync(target)).toBe(true);
  await page.locator(".detail .facts .status", { hasText: "idle" }).waitFor();
  expect(await page.locator("section.pending").count()).toBe(0);

  // A message from the page; claude's answer arrives over the event stream.
  live.fake.reply(textReply("pong from claude"));
  await page.locator("form.message textarea").fill("ping");
  await page.locator("form.message button[type=submit]").click();
  await page.locator(".log .line.kind-sent", { hasText: "ping" }).waitFor();
  await page.locator(".log .line", { hasText: "pong from claude" }).waitFor();
  await live.waitForSession("web-ask", "second turn", (s) => s.status === "idle" && s.turns === 2);

  // A reload keeps the browser session (the cookie), without a code.
  await page.reload();
  await page.waitForSelector("body[data-ready=list]");
  expect(browser.dialogs).toEqual([]);
  expect(browser.errors).toEqual([]);
});

test("without a login the page says how to get one, and a used code does not work twice", async () => {
  await using live = await makeLiveSandbox();
  await live.create("idle-one", []);
  await using browser = await launchBrowser();
  const { page } = browser;
  const url = await sandboxLoginUrl(live.sb);
  await page.goto(url.slice(0, url.indexOf("#")));
  await page.waitForSelector("body[data-auth=out]");
  expect(await page.locator("main.login").textContent()).toContain("csm web");

  await openDashboard(page, url);
  await sessionRow(page, "idle-one").waitFor();

  await using other = await launchBrowser();
  await other.page.goto(url);
  await other.page.waitForSelector("body[data-auth=out]");
  expect(await other.page.locator("main.login .error").textContent()).toContain("login link did not work");
});
