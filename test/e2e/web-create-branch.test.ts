import { expect, setDefaultTimeout, test } from "bun:test";
import { launchBrowser, openDashboard, sandboxLoginUrl, sessionRow, openCreateForm } from "../helpers/browser.ts";
import { makeLiveSandbox } from "../helpers/live.ts";

// The page's create dialog takes an existing branch, as `csm create --branch` does; a form
// that fills both base and branch is stopped in the dialog, saying which to keep.

setDefaultTimeout(60_000);

test("the create dialog starts a session on an existing branch", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.git(live.repo, ["branch", "feature/x"]);
  await live.create("plain", []);
  await using browser = await launchBrowser();
  const { page } = browser;
  await openDashboard(page, await sandboxLoginUrl(live.sb));
  await sessionRow(page, "plain").waitFor();
  const form = await openCreateForm(page);
  expect(await form.locator("legend").textContent()).toContain("fill one at most");

  await form.locator("input[name=name]").fill("on-branch");
  await form.locator("input[name=repo]").fill(live.repo);
  await form.locator("input[name=base]").fill("main");
  await form.locator("input[name=branch]").fill("feature/x");
  await form.locator("button[type=submit]").click();
  await form.locator("pre.error").waitFor();
  expect(await form.locator("pre.error").textContent()).toContain("not base and branch");

  await form.locator("input[name=base]").fill("");
  await form.locator("button[type=submit]").click();
  await sessionRow(page, "on-branch").waitFor();
  expect((await live.api<{ branch: string }>("GET", "/api/sessions/on-branch")).body.branch).toBe("feature/x");
  expect(browser.errors).toEqual([]);
});
