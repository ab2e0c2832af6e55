import { afterEach, beforeEach, expect, test } from "bun:test";
import { SETTLE_MS } from "../../src/core/notify/decide.ts";
import { pageNotifier } from "../../src/web/app/notify.ts";
import type { SessionEntry } from "../../src/web/app/store.ts";

// The page's notifications: a wait that holds is told once; a request the rules answer at once
// (waiting for a moment, then working) is not; the list the page loaded counts as what it saw.

const shown: { title: string; body?: string; tag?: string }[] = [];

beforeEach(() => {
  shown.length = 0;
  (globalThis as Record<string, unknown>).Notification = class {
    static permission = "granted";
    onclick: (() => void) | null = null;
    constructor(title: string, options: { body?: string; tag?: string }) {
      shown.push({ title, ...options });
    }
    close() {}
  };
});
afterEach(() => delete (globalThis as Record<string, unknown>).Notification);

const entry = (status: string, pending = 0): SessionEntry =>
  ({
    key: "local/asks",
    view: { name: "asks", host: "local", status, statusReason: null, muted: false, pendingApprovals: pending, lastMessage: null },
    pending: pending ? [{ requestId: "r1", toolName: "Bash", input: { command: "touch x" } }] : [],
    streamingText: "",
  }) as unknown as SessionEntry;

const held = () => Bun.sleep(SETTLE_MS + 200);

test("a wait that holds makes one notification; a rule's instant answer makes none", async () => {
  const entries = new Map<string, SessionEntry>();
  const notify = pageNotifier((key) => entries.get(key), () => undefined);
  const see = (before: SessionEntry | undefined, after: SessionEntry) => (entries.set(after.key, after), notify(before, after));

  see(undefined, entry("working"));
  // A rule answers at once: waiting, then working again well within the settle time.
  see(entry("working"), entry("waiting", 1));
  see(entry("waiting", 1), entry("working"));
  await held();
  expect(shown).toEqual([]);

  see(entry("working"), entry("waiting", 1));
  await held();
  expect(shown).toEqual([{ title: "asks is waiting", body: "Bash touch x", tag: "csm:local/asks" }]);
});

test("a session first met in the loaded list: its wait after that is news", async () => {
  const entries = new Map<string, SessionEntry>([["local/asks", entry("waiting", 1)]]);
  const notify = pageNotifier((key) => entries.get(key), () => undefined);
  notify(entry("idle"), entry("waiting", 1));
  await held();
  expect(shown).toHaveLength(1);
});
