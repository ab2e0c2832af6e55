import type { Context } from "../core/context.ts";
import type { HubEvent } from "../core/live/hub-event.ts";
import type { NotifyConfig } from "../config/schema.ts";
import { NotifyTracker } from "../core/notify/notify-tracker.ts";
import { notificationFor, type Notification, type NotifyKind } from "../core/notify/notification.ts";
import { SETTLE_MS } from "../core/notify/decide.ts";
import { webhookRequest } from "../core/notify/webhook-request.ts";
import type { LiveSessions } from "./live-sessions.ts";

// The hub's notifications (config `notify`): fed by the views the one fold publishes, the
// decision is core/notify's; here it is delivered. Nothing here may hold the hub up or
// stop it: every delivery runs on its own, bounded in time (a webhook 5 s, a command
// 10 s), and a failure is one line in the hub's log.

export const WEBHOOK_TIMEOUT_MS = 5000;
export const COMMAND_TIMEOUT_MS = 10_000;
const DEFAULT_ON: readonly NotifyKind[] = ["waiting"];

export class Notifier {
  private readonly tracker: NotifyTracker;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private unsubscribe: (() => void) | null = null;
  private notifySend: Promise<string | null> | null = null;

  constructor(
    private readonly ctx: Context,
    private readonly live: LiveSessions,
    private readonly log: (line: string) => void = (line) => process.stderr.write(`csm hub: ${new Date().toISOString()} ${line}\n`),
  ) {
    this.tracker = new NotifyTracker({
      settleMs: SETTLE_MS,
      on: () => this.config()?.on ?? DEFAULT_ON,
      schedule: (delayMs, work) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          work();
        }, delayMs);
        this.timers.add(timer);
      },
      now: () => new Date(),
      emit: (kind, facts, at) => this.deliver(notificationFor(kind, facts, at)),
    });
  }

  private config(): NotifyConfig | undefined {
    return this.ctx.settings.config.notify;
  }

  start(): void {
    this.unsubscribe = this.live.subscribe((event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** This machine's sessions only: a remote host's hub tells about its own. */
  private onEvent(event: HubEvent): void {
    if (event.host !== undefined) return;
    if (event.kind === "removed") return this.tracker.forget("local", event.session);
    if (event.kind !== "view") return;
    const { view, pending } = event.data;
    this.tracker.observe({ ...view, host: "local", firstRequest: pending[0] ?? null });
  }

  private deliver(notification: Notification): void {
    const config = this.config();
    if (!config) return;
    const failed = (what: string) => (error: unknown) => this.log(`notify ${what} for ${notification.session} (${notification.kind}) failed: ${(error as Error).message ?? String(error)}`);
    if (config.command) void this.runCommand(config.command, notification).catch(failed(`command ${JSON.stringify(config.command[0])}`));
    if (config.webhook) void this.post(config.webhook, notification).catch(failed(`webhook ${config.webhook.url}`));
    if (config.desktop) void this.desktop(notification).catch(failed("notify-send"));
  }

  private async runCommand(argv: string[], notification: Notification): Promise<void> {
    const result = await this.ctx.host.run(argv, { input: `${JSON.stringify(notification)}\n`, timeoutMs: COMMAND_TIMEOUT_MS });
    if (result.code !== 0) throw new Error(`exited ${result.code}${result.stderr.trim() ? `: ${result.stderr.trim().slice(0, 300)}` : ""}`);
  }

  private async post(webhook: NonNullable<NotifyConfig["webhook"]>, notification: Notification): Promise<void> {
    const request = webhookRequest(webhook.url, webhook.format ?? "json", notification);
    let response: Response;
    try {
      response = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS), redirect: "error" });
    } catch (error) {
      const name = (error as Error).name;
      throw name === "TimeoutError" || name === "AbortError" ? new Error(`no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s; abandoned`) : error;
    }
    // Read (and drop) the body so the connection is freed.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`answered ${response.status} ${response.statusText}`);
  }

  private async desktop(notification: Notification): Promise<void> {
    this.notifySend ??= this.ctx.host.which("notify-send");
    const path = await this.notifySend;
    if (!path) return;
    const result = await this.ctx.host.run([path, "--app-name=csm", "--", notification.title, notification.message], { timeoutMs: COMMAND_TIMEOUT_MS });
    if (result.code !== 0) throw new Error(`exited ${result.code}: ${result.stderr.trim().slice(0, 300)}`);
  }
}
