import { CSM_ENTRY, type Sandbox } from "./sandbox.ts";

// The real dashboard, as a person sees it: `csm` runs in a tmux server of its own (not the
// one holding the sessions), keys go in with send-keys, and the screen comes back with
// capture-pane. Tests wait for text on the screen, never for time.

export interface Tui {
  /** The screen as plain text, one line per row. */
  screen(): Promise<string>;
  /** The screen with colour escapes (capture-pane -e). */
  screenWithColours(): Promise<string>;
  /** tmux key names (`Enter`, `Escape`, `Space`, `C-c`) or literal text with `literal`. */
  keys(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  waitFor(text: string | RegExp, what?: string, timeoutMs?: number): Promise<string>;
  /**
   * Presses `key` until `text` shows (three tries, a few seconds each). For Escape: a lone ESC
   * that reaches blessed in one read with other bytes (under load) is taken as the start of a
   * sequence, and a person simply presses it again.
   */
  pressUntil(key: string, text: string | RegExp, what: string): Promise<string>;
  waitForGone(text: string | RegExp, what?: string): Promise<string>;
  resize(width: number, height: number): Promise<void>;
  /** True while csm still runs in the pane. */
  alive(): Promise<boolean>;
  socket: string;
}

export async function startTui(sb: Sandbox, options: { width?: number; height?: number; env?: Record<string, string> } = {}): Promise<Tui> {
  const socket = sb.extraSocket("tui");
  const width = options.width ?? 100;
  const height = options.height ?? 30;
  const env = Object.entries({ TERM: "xterm-256color", ...options.env }).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
  const started = await sb.tmuxOn(socket, ["new-session", "-d", "-s", "tui", "-x", String(width), "-y", String(height), ...env, "--", "bun", CSM_ENTRY]);
  if (started.code !== 0) throw new Error(`could not start the dashboard: ${started.stderr}`);
  await sb.tmuxOn(socket, ["set-option", "-t", "=tui", "remain-on-exit", "on"]);
  const capture = async (extra: string[] = []) => (await sb.tmuxOn(socket, ["capture-pane", "-p", ...extra, "-t", "=tui:"])).stdout;
  const matches = (screen: string, text: string | RegExp) => (typeof text === "string" ? screen.includes(text) : text.test(screen));
  /** Waits until the screen passes `test`, and shows the last screen seen if it never does. */
  const waitForScreen = async (test: (screen: string) => boolean, what: string, timeoutMs: number) => {
    let last = "";
    try {
      return await sb.waitFor(
        async () => {
          last = await capture();
          return test(last) ? last : undefined;
        },
        { what, timeoutMs },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- screen ---\n${last}`);
    }
  };
  const tui: Tui = {
    socket,
    screen: () => capture(),
    screenWithColours: () => capture(["-e"]),
    async keys(...keys) {
      for (const key of keys) await sb.tmuxOn(socket, ["send-keys", "-t", "=tui:", key]);
    },
    async type(text) {
      await sb.tmuxOn(socket, ["send-keys", "-t", "=tui:", "-l", text]);
    },
    waitFor: (text, what, timeoutMs = 15_000) => waitForScreen((screen) => matches(screen, text), what ?? `${text} on the dashboard`, timeoutMs),
    async pressUntil(key, text, what) {
      for (let attempt = 1; ; attempt++) {
        await sb.tmuxOn(socket, ["send-keys", "-t", "=tui:", key]);
        try {
          return await waitForScreen((screen) => matches(screen, text), what, attempt === 3 ? 15_000 : 4_000);
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    },
    waitForGone: (text, what) => waitForScreen((screen) => !matches(screen, text), what ?? `${text} to leave the dashboard`, 15_000),
    async resize(w, h) {
      await sb.tmuxOn(socket, ["resize-window", "-t", "=tui:", "-x", String(w), "-y", String(h)]);
    },
    async alive() {
      const out = (await sb.tmuxOn(socket, ["list-panes", "-t", "=tui:", "-F", "#{pane_dead}"])).stdout.trim();
      return out === "0";
    },
  };
  return tui;
}
