import { expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, openDashboard, sandboxLoginUrl, sessionRow } from "../helpers/browser.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// Kill from the page meets the CLI's refusal: uncommitted work is a 409 whose message the
// dialog shows; ticking force kills it, and the row leaves the list live.

setDefaultTimeout(60_000);

test("kill with uncommitted work is refused with the hub's message, then forced", async () => {
  await using live = await makeLiveSandbox();
  await live.create("dirty", []);
  const session = await live.api<{ worktree: string }>("GET", "/api/sessions/dirty");
  writeFileSync(join(session.body.worktree, "unsaved.txt"), "work\n");

  await using browser = await launchBrowser();
  const { page } = browser;
  await openDashboard(page, await sandboxLoginUrl(live.sb));
  await sessionRow(page, "dirty").click();
  await page.locator("article.detail").waitFor();
  await page.keyboard.press("k");
  const dialog = page.locator(".dialog");
  await dialog.locator("button.danger").click();
  await dialog.locator("pre.error").waitFor();
  expect(await dialog.locator("pre.error").textContent()).toContain("refusing to kill dirty");
  expect(await dialog.locator("pre.error").textContent()).toContain("unsaved.txt");
  await dialog.locator("input[name=force]").check();
  await dialog.locator("button.danger", { hasText: "Kill anyway" }).click();
  await sessionRow(page, "dirty").waitFor({ state: "detached" });
  expect((await live.api("GET", "/api/sessions/dirty")).status).toBe(404);
});
