import type { Notification } from "./notification.ts";

// The webhook's request for each format: a small JSON body either way.
// - json:  the notification itself, to the URL as given.
// - ntfy:  ntfy's JSON publishing, which goes to the server's root with the topic in the
//          body: `https://ntfy.sh/csm` posts {"topic":"csm",…} to https://ntfy.sh/.
// - slack: an incoming webhook's {"text"}, with Slack's three escapes (& < >).

export type WebhookFormat = "json" | "ntfy" | "slack";

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The ntfy server's root and the topic a topic URL names; null when the URL names no topic. */
export function ntfyTarget(url: string): { root: string; topic: string } | null {
  const parsed = new URL(url);
  const parts = parsed.pathname.split("/").filter(Boolean);
  const topic = parts.pop();
  if (!topic) return null;
  parsed.pathname = `/${parts.map((part) => `${part}/`).join("")}`;
  parsed.search = "";
  parsed.hash = "";
  return { root: parsed.toString(), topic: decodeURIComponent(topic) };
}

const slackEscape = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

export function webhookRequest(url: string, format: WebhookFormat, notification: Notification): WebhookRequest {
  const headers = { "content-type": "application/json" };
  if (format === "slack") return { url, headers, body: JSON.stringify({ text: `*${slackEscape(notification.title)}*\n${slackEscape(notification.message)}` }) };
  if (format === "ntfy") {
    const target = ntfyTarget(url);
    if (!target) throw new Error(`an ntfy webhook URL names its topic, like https://ntfy.sh/my-topic (got ${url})`);
    const body = {
      topic: target.topic,
      title: notification.title,
      message: notification.message,
      tags: [notification.kind === "waiting" ? "bell" : notification.kind === "dead" ? "skull" : "white_check_mark"],
      priority: notification.kind === "waiting" ? 4 : 3,
    };
    return { url: target.root, headers, body: JSON.stringify(body) };
  }
  return { url, headers, body: JSON.stringify(notification) };
}
