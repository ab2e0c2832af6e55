import { expect, setDefaultTimeout, test } from "bun:test";
import { launchBrowser, loginUrl, openDashboard, sessionRow, openCreateForm } from "../helpers/browser.ts";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// The page's create dialog offers the mode; left alone it is the hub's sessionMode.

setDefaultTimeout(60_000);

test("the create dialog's mode makes a headless session where the hub's default is native", async () => {
  await using sb = await makeSandbox();
  const repo = await sb.makeRepo("app");
  // Native by the hub's setting: only the dialog's choice makes the session headless (the
  // stand-in claude speaks stream-json only).
  await using hub = await startTestHub({ ...sb, env: { ...sb.env, CSM_SESSION_MODE: "native" } });
  await using browser = await launchBrowser();
  const { page } = browser;
  await openDashboard(page, await loginUrl(hub.port, hub.token()));
  const form = await openCreateForm(page);
  const mode = form.locator("select[name=mode]");
  expect(await mode.inputValue()).toBe("");
  expect(await mode.locator("option").allTextContents()).toEqual(["the hub's default (its sessionMode)", "native", "headless"]);

  await form.locator("input[name=name]").fill("quiet");
  await form.locator("input[name=repo]").fill(repo);
  await mode.selectOption("headless");
  await form.locator("button[type=submit]").click();
  await sessionRow(page, "quiet").waitFor();
  expect(await (await hub.fetch("/api/sessions/quiet")).json()).toMatchObject({ name: "quiet", mode: "headless" });
  expect(browser.errors).toEqual([]);
});
