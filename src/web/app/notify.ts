import { SETTLE_MS } from "../../core/notify/decide.ts";
import { NotifyTracker, sessionKeyOf } from "../../core/notify/notify-tracker.ts";
import { primaryInputText } from "../../link/render.ts";
import type { SessionEntry } from "./store.ts";

// The browser's own notifications while the page is open: one when a session starts
// waiting for a person (tagged per session, so a burst of requests is one notification),
// decided as the hub decides its own: a muted session (`csm mute`) makes none.
// Permission is asked only from a click, as browsers require.

/** The browser's Notification API, typed here so the notifier also compiles (and is tested) outside the page. */
interface NotificationApi {
  readonly permission: "default" | "denied" | "granted";
  requestPermission(): Promise<"default" | "denied" | "granted">;
  new (title: string, options: { body?: string; tag?: string }): { onclick: (() => void) | null; close(): void };
}

const notificationApi = () => (globalThis as unknown as { Notification?: NotificationApi }).Notification;

export const notificationPermission = () => notificationApi()?.permission ?? "denied";

export async function askPermission(): Promise<"default" | "denied" | "granted"> {
  return notificationApi()?.requestPermission() ?? "denied";
}

/**
 * The page's notifier: views in, at most one notification per session per wait out, decided
 * by the hub's own tracker (core/notify): a request the rules answer at once makes a session
 * "waiting" for a moment, and nobody is called for that; a muted session makes none.
 */
export function pageNotifier(find: (key: string) => SessionEntry | undefined, open: (key: string) => void) {
  const tracker = new NotifyTracker({
    settleMs: SETTLE_MS,
    on: () => ["waiting"],
    schedule: (delayMs, work) => void setTimeout(work, delayMs),
    now: () => new Date(),
    emit: (_kind, facts) => show(find(sessionKeyOf(facts)), open),
  });
  // The tracker knows a session from the views it was given; the page may have met it first
  // in the list it loaded, so that earlier state is told first (a wait after it is news).
  const seen = new Set<string>();
  const observe = (entry: SessionEntry) => {
    seen.add(entry.key);
    tracker.observe({ ...entry.view, muted: entry.view.muted === true });
  };
  return (before: SessionEntry | undefined, after: SessionEntry | undefined): void => {
    if (!after) {
      if (!before) return;
      tracker.forget(before.view.host, before.view.name);
      seen.delete(before.key);
      return;
    }
    if (before && !seen.has(after.key)) observe(before);
    observe(after);
  };
}

function show(entry: SessionEntry | undefined, open: (key: string) => void): void {
  const api = notificationApi();
  if (!entry || !api || api.permission !== "granted") return;
  const request = entry.pending[0];
  const body = request ? `${request.toolName} ${primaryInputText(request.toolName, request.input)}` : (entry.view.statusReason ?? "waiting for you");
  const notification = new api(`${entry.view.name} is waiting`, { body: body.slice(0, 200), tag: `csm:${entry.key}` });
  notification.onclick = () => {
    // globalThis rather than window: the notifier is also unit-tested outside a browser.
    (globalThis as { focus?: () => void }).focus?.();
    open(entry.key);
    notification.close();
  };
}
