import type { Context } from "../core/context.ts";
import type { HubEvent } from "../core/live/hub-event.ts";
import type { SessionStatus } from "../core/sessions/session-view.ts";
import type { LiveSessions } from "./live-sessions.ts";

// `csm status-line` runs every few seconds from tmux's status bar, so it must not ask the
// hub (a client, a token, a request) or the store: the hub keeps the line itself, in a
// small file it replaces atomically whenever the counts change, and removes when it stops.
// The file says which hub wrote it, so a hub that died without removing it is not believed.

export const statusLinePath = (stateDir: string) => `${stateDir}/status-line`;

const PARTS: [SessionStatus, string][] = [
  ["waiting", "◆"],
  ["working", "●"],
  ["idle", "○"],
];

/** `◆2 waiting ●3 working ○1 idle`, only the parts that are not zero; "" for none. */
export function statusLineOf(statuses: Iterable<SessionStatus>): string {
  const counts = new Map<SessionStatus, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return PARTS.flatMap(([status, glyph]) => (counts.get(status) ? [`${glyph}${counts.get(status)} ${status}`] : [])).join(" ");
}

/** The file's content: the writer's pid, a tab, the line. */
export const statusFileText = (pid: number, line: string) => `${pid}\t${line}\n`;

export class StatusSummary {
  private readonly statuses = new Map<string, SessionStatus>();
  private unsubscribe: (() => void) | null = null;
  private written: string | null = null;
  private writing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: Context,
    private readonly live: LiveSessions,
  ) {}

  private get path(): string {
    return statusLinePath(this.ctx.settings.paths.stateDir);
  }

  /** From the events from now on, and the sessions `list` gives for the ones no event has named yet. */
  start(list: () => Promise<{ host: string; name: string; status: SessionStatus }[]>): void {
    this.unsubscribe = this.live.subscribe((event) => this.onEvent(event));
    this.write();
    void list()
      .then((views) => {
        for (const view of views) if (!this.statuses.has(`${view.host}/${view.name}`)) this.statuses.set(`${view.host}/${view.name}`, view.status);
        this.write();
      })
      .catch(() => undefined);
  }

  private onEvent(event: HubEvent): void {
    const key = `${event.host ?? "local"}/${event.session}`;
    if (event.kind === "removed") this.statuses.delete(key);
    else if (event.kind === "view") this.statuses.set(key, event.data.view.status);
    else return;
    this.write();
  }

  /** One write at a time; the last line asked for is the one left in the file. */
  private write(): void {
    if (this.stopped || this.writing) return;
    const line = statusLineOf(this.statuses.values());
    if (line === this.written) return;
    this.writing = this.ctx.host.files
      .writeAtomic(this.path, statusFileText(process.pid, line), 0o600)
      .then(() => void (this.written = line))
      .catch((error: Error) => void process.stderr.write(`csm hub: could not write ${this.path}: ${error.message}\n`))
      .finally(() => {
        this.writing = null;
        this.write();
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.writing;
    await this.ctx.host.files.remove(this.path).catch(() => undefined);
  }
}
