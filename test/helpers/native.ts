import type { LiveSandbox } from "./live.ts";

// For tests of native sessions: the real claude on its own screen in the agent pane. What
// a person would see (the pane's text) and what csm says (pending list, event log).

/** claude's own permission dialog, as its screen shows it. */
export const DIALOG = "Do you want to proceed?";

export interface PendingEntry {
  session: string;
  requestId: string;
  toolName: string;
  input: { command?: string };
}

export interface SessionEvent {
  seq: number;
  kind: string;
  data: { type?: string; event?: string; by?: string; via?: string; action?: string; requestId?: string; ruleIndex?: number | null; reason?: string; pid?: number; signal?: string | null };
}

/** `csm create NAME --mode native --prompt PROMPT`: sandboxes default to headless. */
export const createNative = (live: LiveSandbox, name: string, prompt: string) => live.create(name, ["--mode", "native", "--prompt", prompt]);

/** The agent pane's text: claude's own screen. */
export async function screen(live: LiveSandbox, name: string): Promise<string> {
  return (await live.sb.tmux(["capture-pane", "-p", "-t", `=csm-${name}:agent`])).stdout;
}

export function waitForScreen(live: LiveSandbox, name: string, text: string, timeoutMs = 20_000): Promise<string> {
  let last = "";
  return live.sb
    .waitFor(
      async () => {
        last = await screen(live, name);
        return last.includes(text) ? last : undefined;
      },
      { what: `${JSON.stringify(text)} on ${name}'s screen`, timeoutMs },
    )
    .catch((error: Error) => {
      throw new Error(`${error.message}\nscreen:\n${last}`);
    });
}

/** Presses keys on claude's screen (tmux key names: `1`, `Enter`, `Escape`). */
export async function press(live: LiveSandbox, name: string, ...keys: string[]): Promise<void> {
  const result = await live.sb.tmux(["send-keys", "-t", `=csm-${name}:agent`, ...keys]);
  if (result.code !== 0) throw new Error(`tmux send-keys ${keys.join(" ")}: ${result.stderr}`);
}

export async function pendingList(live: LiveSandbox): Promise<PendingEntry[]> {
  const result = await live.sb.csm(["pending", "--json"]);
  if (result.code !== 0) throw new Error(`csm pending --json exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as PendingEntry[];
}

export async function sessionEvents(live: LiveSandbox, name: string): Promise<SessionEvent[]> {
  return (await live.api<SessionEvent[]>("GET", `/api/sessions/${name}/events`)).body;
}

export async function decisions(live: LiveSandbox, name: string): Promise<SessionEvent["data"][]> {
  return (await sessionEvents(live, name)).filter((e) => e.kind === "decision").map((e) => e.data);
}

/**
 * Watches two things a person could see while a scenario runs, every 50 ms: the hub's
 * pending list and claude's screen. `stop` returns every request id ever pending and
 * whether the permission dialog was ever on screen.
 */
export function watchAsking(live: LiveSandbox, name: string): { stop(): Promise<{ pendingIds: string[]; dialogSeen: boolean }> } {
  const pendingIds = new Set<string>();
  let dialogSeen = false;
  let running = true;
  const loop = (async () => {
    while (running) {
      const [pending, text] = await Promise.all([live.api<PendingEntry[]>("GET", "/api/pending").catch(() => null), screen(live, name).catch(() => "")]);
      for (const entry of pending?.body ?? []) pendingIds.add(entry.requestId);
      if (text.includes(DIALOG)) dialogSeen = true;
      await Bun.sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { pendingIds: [...pendingIds], dialogSeen };
    },
  };
}
