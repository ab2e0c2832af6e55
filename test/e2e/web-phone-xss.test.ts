import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { bashReply, textReply } from "../fixtures/fake-anthropic.ts";
import { launchBrowser, openDashboard, PHONE, sandboxLoginUrl, sessionRow, openCreateForm } from "../helpers/browser.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// On a phone-sized screen (390×844): the list, then a session with a pending request whose
// command and claude's reply carry markup and script. Everything shows as text: no dialog
// fires, no element is made from it, nothing overflows the screen sideways. Screenshots are
// kept in the test's temp dir (CSM_WEB_SCREENSHOTS=DIR keeps them somewhere else).

setDefaultTimeout(60_000);

const SCRIPT = `<script>alert("xss-script")</script>`;
const IMG = `<img src=x onerror="alert('xss-img')">`;

test("a phone viewport shows the list and a session; hostile text stays text", async () => {
  await using live = await makeLiveSandbox();
  const shots = process.env.CSM_WEB_SCREENSHOTS ?? live.sb.paths.root;
  live.fake.reply(textReply(`first ${SCRIPT} reply ${IMG} <b>bold?</b>`));
  await live.create("phone-xss", ["--prompt", `hello ${IMG}`]);
  await live.waitForSession("phone-xss", "first turn", (s) => s.status === "idle" && s.turns === 1);
  const command = `touch ${join(live.sb.paths.root, "phone-touched")} && echo '${SCRIPT}'`;
  live.fake.reply(bashReply(command));
  live.fake.reply(textReply("echoed"));
  expect(await live.sb.csm(["send", "phone-xss", `now ${SCRIPT}`])).toMatchObject({ code: 0 });
  await live.waitForSession("phone-xss", "waiting", (s) => s.status === "waiting");
  await live.create("second-one", []);

  await using browser = await launchBrowser({ viewport: PHONE, isMobile: true });
  const { page } = browser;
  await openDashboard(page, await sandboxLoginUrl(live.sb));
  await sessionRow(page, "second-one").waitFor();
  await page.screenshot({ path: join(shots, "phone-list.png") });
  expect(await page.evaluate("document.scrollingElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);

  await sessionRow(page, "phone-xss").click();
  await page.locator("section.pending").waitFor();
  await page.locator(".log .line", { hasText: "bold?" }).waitFor();
  expect(await page.locator("section.pending pre.input").textContent()).toBe(command);
  expect(await page.locator(".log").textContent()).toContain(`first ${SCRIPT} reply ${IMG} <b>bold?</b>`);
  expect(await page.locator(".log").textContent()).toContain(`hello ${IMG}`);
  // Nothing was parsed as markup: no img, script or b element came from session text.
  expect(await page.locator(".detail img, .detail script, .detail b").count()).toBe(0);
  // On a phone the list gives way to the session.
  expect(await page.locator(".list-pane").isVisible()).toBe(false);
  expect(await page.evaluate("document.scrollingElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);
  await page.screenshot({ path: join(shots, "phone-session.png") });

  await page.locator("section.pending button.allow").tap();
  await page.locator(".log .line", { hasText: "echoed" }).waitFor();
  await page.locator("button.back").tap();
  await sessionRow(page, "phone-xss").waitFor();

  expect(browser.dialogs).toEqual([]);
  expect(browser.errors).toEqual([]);
});

test("a session name with markup is refused by the create form with the hub's message, shown as text", async () => {
  await using live = await makeLiveSandbox();
  await live.create("plain", []);
  await using browser = await launchBrowser();
  const { page } = browser;
  await openDashboard(page, await sandboxLoginUrl(live.sb));
  await sessionRow(page, "plain").waitFor();
  const form = await openCreateForm(page);
  // The browser's own pattern check would stop it first; the hub's refusal is the one that counts.
  await page.evaluate(`document.querySelector("form.create input[name=name]").removeAttribute("pattern")`);
  await form.locator("input[name=name]").fill(`x${IMG}`);
  await form.locator("button[type=submit]").click();
  const error = form.locator("pre.error");
  await error.waitFor();
  expect(await error.textContent()).toContain("invalid session name \"x<img src=x onerror=");
  expect(await page.locator(".dialog img").count()).toBe(0);
  expect(browser.dialogs).toEqual([]);
});
