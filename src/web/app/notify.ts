import { shouldNotify, transitionOf } from "../../core/notify/decide.ts";
import { primaryInputText } from "../../link/render.ts";
import type { SessionEntry } from "./store.ts";

// The browser's own notifications while the page is open: one when a session starts
// waiting for a person (tagged per session, so a burst of requests is one notification),
// decided as the hub decides its own: a muted session (`csm mute`) makes none.
// Permission is asked only from a click, as browsers require.

export const notificationsSupported = () => typeof Notification !== "undefined";

export async function askPermission(): Promise<NotificationPermission> {
  return notificationsSupported() ? Notification.requestPermission() : "denied";
}

export function notifyIfWaiting(before: SessionEntry | undefined, after: SessionEntry | undefined, open: (key: string) => void): void {
  if (!after || !shouldNotify(transitionOf(before?.view.status, after.view.status), after.view.muted, ["waiting"])) return;
  if (!notificationsSupported() || Notification.permission !== "granted") return;
  const request = after.pending[0];
  const body = request ? `${request.toolName} ${primaryInputText(request.toolName, request.input)}` : (after.view.statusReason ?? "waiting for you");
  const notification = new Notification(`${after.view.name} is waiting`, { body: body.slice(0, 200), tag: `csm:${after.key}` });
  notification.onclick = () => {
    window.focus();
    open(after.key);
    notification.close();
  };
}
