import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { bashReply, lastToolResultText, lastUserText, textReply, type MessagesRequest } from "../fixtures/fake-anthropic.ts";
import { launchBrowser, openDashboard, recordNotifications, sandboxLoginUrl, sessionRow } from "../helpers/browser.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { agentEndpoint, connectPeer, toolRequest } from "../helpers/sdk-peer.ts";

// The page's own notifications in a real browser: permission asked from the Notify button
// (the browser grants it for the hub's origin, as a person clicking "Allow" would), then
// one notification when a session starts waiting, none more in the same wait, none for a
// muted session. What the page shows is recorded by browser.ts's recordNotifications.

setDefaultTimeout(90_000);

test("one browser notification per wait, naming the session and the tool; none more in the same wait, none when muted", async () => {
  await using live = await makeLiveSandbox();
  const file = (name: string) => join(live.sb.paths.root, `file-${name}`);
  // Each claude asks to touch its own file; whichever asks first gets its own request.
  const script = (request: MessagesRequest) => {
    if (lastToolResultText(request) !== undefined) return textReply("done");
    return bashReply(`touch ${file(lastUserText(request).includes("hushed") ? "hushed" : "asks")}`);
  };
  for (let i = 0; i < 4; i++) live.fake.reply(script);
  await live.create("hushed", []);
  expect(await live.sb.csm(["mute", "hushed"])).toMatchObject({ code: 0 });
  // A session over --sdk-url with a stand-in claude: it can ask twice in one wait.
  expect(await live.sb.csm(["create", "multi", "--repo", live.repo, "--transport", "sdk-url"])).toMatchObject({ code: 0 });

  await using browser = await launchBrowser();
  const { page, context } = browser;
  const shown = await recordNotifications(page);
  const url = await sandboxLoginUrl(live.sb);
  await openDashboard(page, url);

  const notify = page.locator("header nav button", { hasText: "Notify" });
  await notify.waitFor();
  await context.grantPermissions(["notifications"], { origin: new URL(url).origin });
  await notify.click();
  await notify.waitFor({ state: "detached" });

  // A real pending request from the real claude.
  await live.create("asks", ["--prompt", "asks: touch your file"]);
  await live.waitForSession("asks", "waiting", (s) => s.status === "waiting");
  await live.sb.waitFor(async () => (await shown()).length === 1, { what: "the notification for asks" });
  expect((await shown())[0]).toEqual({ title: "asks is waiting", body: `Bash touch ${file("asks")}`, tag: "csm:local/asks" });

  // Two requests in one wait: the second is shown in the list, and makes no notification.
  const { url: agentUrl, secret } = await agentEndpoint(live.sb, "multi");
  const claude = connectPeer(agentUrl, secret);
  expect(await claude.opened).toBe(true);
  claude.send(toolRequest("req-1", "touch one"));
  await live.sb.waitFor(async () => (await shown()).length === 2, { what: "the notification for multi" });
  claude.send(toolRequest("req-2", "touch two"));
  await sessionRow(page, "multi").locator(".badge", { hasText: "2 waiting" }).waitFor();

  // A muted session that starts waiting: the page shows it waiting, and says nothing.
  expect(await live.sb.csm(["send", "hushed", "hushed: touch your file"])).toMatchObject({ code: 0 });
  await live.waitForSession("hushed", "waiting", (s) => s.status === "waiting");
  await sessionRow(page, "hushed").locator(".badge", { hasText: "1 waiting" }).waitFor();

  expect(await shown()).toEqual([
    { title: "asks is waiting", body: `Bash touch ${file("asks")}`, tag: "csm:local/asks" },
    { title: "multi is waiting", body: "Bash touch one", tag: "csm:local/multi" },
  ]);
  expect(browser.dialogs).toEqual([]);
  expect(browser.errors).toEqual([]);
});
