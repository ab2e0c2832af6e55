import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { Sandbox } from "./sandbox.ts";

// A real browser for the web dashboard's tests: Debian's chromium (`apt-get install
// chromium`; .ci/run installs it), driven by playwright-core, which never downloads one.
// Each test gets a fresh profile (no cookies, no permissions), removed on dispose. What
// would show a bug without failing a step is recorded: dialogs (an alert from injected
// script), page errors and console errors (a CSP refusal is one).

export const CHROMIUM = process.env.CSM_TEST_CHROMIUM ?? "/usr/bin/chromium";

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export interface TestBrowser extends AsyncDisposable {
  context: BrowserContext;
  page: Page;
  /** Messages of every dialog (alert, confirm, prompt) any page opened; each was dismissed. */
  dialogs: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
  /** The profile directory; screenshots may go beside it. */
  dir: string;
}

export async function launchBrowser(options: { viewport?: { width: number; height: number }; isMobile?: boolean } = {}): Promise<TestBrowser> {
  const dir = await mkdtemp(join(tmpdir(), "csm-browser-"));
  const context = await chromium.launchPersistentContext(join(dir, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? DESKTOP,
    isMobile: options.isMobile ?? false,
    hasTouch: options.isMobile ?? false,
    // Root in CI has no user namespace for chromium's sandbox.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
    timeout: 30_000,
  });
  const dialogs: string[] = [];
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss().catch(() => undefined);
    });
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
  };
  context.on("page", watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    dialogs,
    errors,
    dir,
    async [Symbol.asyncDispose]() {
      await context.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A one-time login link from the hub (what `csm web` prints), made with the API token. */
export async function loginUrl(port: number, token: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/web/codes`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`POST /api/web/codes: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { url: string }).url;
}

/** The login link for the sandbox's running hub. */
export function sandboxLoginUrl(sb: Sandbox): Promise<string> {
  const token = readFileSync(join(sb.paths.configHome, "csm", "token"), "utf8").trim();
  const { port } = JSON.parse(readFileSync(join(sb.paths.stateHome, "csm", "hub.json"), "utf8")) as { port: number };
  return loginUrl(port, token);
}

/** Opens the link and waits for the first session list. */
export async function openDashboard(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector("body[data-ready=list]", { timeout: 15_000 });
}

/** The row of a session in the list. */
export const sessionRow = (page: Page, name: string) => page.locator(`li.session[data-session="${name}"]`);

/** Opens the create dialog as a person does (`c`), and returns its form once it shows. */
export async function openCreateForm(page: Page) {
  await page.keyboard.press("c");
  const form = page.locator("form.create");
  await form.waitFor();
  return form;
}

/** A notification the page showed: what `new Notification(title, {body, tag})` was given. */
export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
}

// Wraps the page's Notification so each one it shows is recorded. An init script comes in
// over CDP, so the page's Content-Security-Policy (no inline script) does not block it.
const RECORD_NOTIFICATIONS = `(() => {
  const Native = window.Notification;
  if (!Native) return;
  const shown = (window.__csmShownNotifications = []);
  window.Notification = class extends Native {
    constructor(title, options) {
      shown.push({ title, body: (options && options.body) || "", tag: (options && options.tag) || "" });
      super(title, options);
    }
  };
})();`;

/** Records the notifications pages of this page show from now on; call before it loads. */
export async function recordNotifications(page: Page): Promise<() => Promise<ShownNotification[]>> {
  await page.addInitScript({ content: RECORD_NOTIFICATIONS });
  return () => page.evaluate("window.__csmShownNotifications ?? []") as Promise<ShownNotification[]>;
}
