import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { LiveSessionView } from "../../core/live/live-view.ts";
import { api, ApiError, sessionPath } from "./api.ts";
import { actionFor, keyLabel, keyName, WEB_KEYS, type WebAction, type WebMode } from "./keys.ts";
import { startLive, type LiveFeed } from "./live.ts";
import { askPermission, notificationPermission, pageNotifier } from "./notify.ts";
import { sessionKey, Store, type SessionEntry, type State } from "./store.ts";
import { createBodyOf, type CreateFields } from "./create-body.ts";
import { CreateDialog, HelpDialog, KillDialog, type KillOptions } from "./views/dialogs.tsx";
import { History } from "./views/history.tsx";
import type { Answer } from "./views/pending-card.tsx";
import { matchesFilter, SessionList } from "./views/session-list.tsx";
import { SessionView } from "./views/session-view.tsx";

// The dashboard: the list of every host's sessions and, once one is opened, its view
// (side by side on a wide screen, one at a time on a phone). Keys come from keys.ts.

type Dialog = null | "create" | "kill" | "help";

const store = new Store();

function useStore(): State {
  const [state, setState] = useState(store.state);
  useEffect(() => store.subscribe(setState), []);
  return state;
}

const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

export function App() {
  const state = useStore();
  const [mode, setMode] = useState<WebMode>("list");
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [filter, setFilter] = useState("");
  const [message, setMessage] = useState("");
  const [denyText, setDenyText] = useState("");
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [hosts, setHosts] = useState<string[]>(["local"]);
  const [permission, setPermission] = useState(notificationPermission());
  const feed = useRef<LiveFeed | null>(null);
  const messageRef = useRef<HTMLTextAreaElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const shown = useMemo(() => state.sessions.filter((entry) => matchesFilter(entry, filter)), [state.sessions, filter]);
  const current = state.sessions.find((entry) => entry.key === selected) ?? null;

  function open(key: string): void {
    setSelected(key);
    setMode("detail");
    setMessage("");
    setDenyText("");
    const entry = store.find(key);
    if (entry) feed.current?.openLog(entry.view.host, entry.view.name).catch((e: Error) => say(e.message, true));
  }

  useEffect(() => {
    feed.current = startLive(store, pageNotifier((key) => store.find(key), open));
    api<{ name: string }[]>("GET", "/api/hosts")
      .then((list) => setHosts(list.map((host) => host.name)))
      .catch(() => undefined);
    return () => feed.current?.stop();
  }, []);

  useEffect(() => {
    if (state.loaded && !document.body.dataset.ready) {
      document.body.dataset.ready = "list";
      performance.mark("csm:first-list");
    }
  }, [state.loaded]);

  useEffect(() => {
    document.body.dataset.connection = state.connection;
    // How many times the stream opened: a test sees a reconnection that was too quick to watch.
    if (state.connection === "live") document.body.dataset.streamOpens = String(Number(document.body.dataset.streamOpens ?? "0") + 1);
  }, [state.connection]);

  // Keep a selection while there are sessions; a killed session's view closes.
  useEffect(() => {
    if (selected !== null && !current && state.loaded) {
      setSelected(shown[0]?.key ?? null);
      if (mode === "detail") setMode("list");
    } else if (selected === null && shown.length > 0) setSelected(shown[0]!.key);
  }, [current, shown, state.loaded]);

  function say(text: string, error = false): void {
    setNotice({ text, error });
  }

  async function act(what: () => Promise<unknown>, done?: string): Promise<boolean> {
    setBusy(true);
    try {
      await what();
      if (done) say(done);
      return true;
    } catch (error) {
      say((error as Error).message, true);
      return false;
    } finally {
      setBusy(false);
    }
  }

  const path = (entry: SessionEntry, suffix: string) => sessionPath(entry.view.host, entry.view.name, suffix);

  function answer(entry: SessionEntry, requestId: string, reply: Answer): void {
    const body = { requestId, action: reply.action, ...(reply.message ? { message: reply.message } : {}), ...(reply.always ? { always: true } : {}) };
    const verb = reply.action === "allow" ? "allowed" : "denied";
    const typed = reply.message ?? "";
    // Emptied only if it still holds what was sent: a newer text typed meanwhile stays.
    void act(() => api("POST", path(entry, "/approve-tool"), body), `${verb}${reply.always ? " (rule added)" : ""}`).then((ok) => ok && setDenyText((now) => (now === typed ? "" : now)));
  }

  function send(): void {
    if (!current || message.trim() === "") return;
    const entry = current;
    const sent = message;
    // A send may wait seconds for the link: what was typed meanwhile (a follow-up) is kept.
    void act(() => api("POST", path(entry, "/message"), { text: sent }), "sent").then((ok) => ok && setMessage((now) => (now === sent ? "" : now)));
  }

  async function create(fields: CreateFields): Promise<void> {
    const checked = createBodyOf(fields);
    if ("error" in checked) return setFormError(checked.error);
    setBusy(true);
    setFormError(null);
    try {
      const view = await api<LiveSessionView>("POST", "/api/sessions", checked.body);
      setDialog(null);
      say(`created ${view.name}`);
      open(sessionKey(view.host, view.name));
    } catch (error) {
      setFormError((error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function kill(entry: SessionEntry, options: KillOptions): Promise<void> {
    setBusy(true);
    setFormError(null);
    try {
      await api("DELETE", path(entry, ""), options);
      setDialog(null);
      setMode("list");
      say(`killed ${entry.view.name}`);
    } catch (error) {
      // The hub's refusal (409: unsaved work) says what would be lost and what to do.
      setFormError(error instanceof ApiError && error.status === 409 ? `${error.message}\n\nTick force to kill it anyway.` : (error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function move(by: number): void {
    if (shown.length === 0) return;
    const at = shown.findIndex((entry) => entry.key === selected);
    const next = shown[Math.max(0, Math.min(shown.length - 1, (at < 0 ? 0 : at + by)))]!.key;
    if (mode === "detail") open(next);
    else setSelected(next);
  }

  function perform(action: WebAction): void {
    const entry = current;
    const request = entry?.pending[0];
    switch (action) {
      case "select-next":
        return move(1);
      case "select-prev":
        return move(-1);
      case "open-detail":
        if (entry) open(entry.key);
        return;
      case "back":
        if (mode === "list") setFilter("");
        setMode("list");
        return;
      case "approve":
      case "approve-always":
      case "deny":
      case "deny-always":
        if (!entry || !request) return say("no pending request here", true);
        return answer(entry, request.requestId, {
          action: action.startsWith("approve") ? "allow" : "deny",
          always: action.endsWith("always"),
          message: action.startsWith("deny") && denyText.trim() !== "" ? denyText.trim() : undefined,
        });
      case "jump-to-pending": {
        const oldest = state.sessions
          .filter((s) => s.pending.length > 0)
          .sort((a, b) => a.pending[0]!.receivedAt.localeCompare(b.pending[0]!.receivedAt))[0];
        return oldest ? open(oldest.key) : say("nothing is waiting");
      }
      case "create":
        setFormError(null);
        return setDialog("create");
      case "kill":
        if (!entry) return;
        setFormError(null);
        return setDialog("kill");
      case "message":
        if (!entry) return;
        if (mode !== "detail") open(entry.key);
        setTimeout(() => messageRef.current?.focus(), 0);
        return;
      case "interrupt":
        if (entry) void act(() => api("POST", path(entry, "/interrupt")), "interrupted");
        return;
      case "filter":
        return filterRef.current?.focus();
      case "history":
        return setMode("history");
      case "search-history":
        return searchRef.current?.focus();
      case "refresh":
        if (entry && mode === "detail") open(entry.key);
        return;
      case "help":
        return setDialog("help");
    }
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (dialog !== null) {
        if (event.key === "Escape") setDialog(null);
        return;
      }
      if (isTyping(event.target)) {
        if (event.key === "Escape") (event.target as HTMLElement).blur();
        return;
      }
      const key = keyName(event);
      const action = key === null ? null : actionFor(mode, key);
      if (action === null) return;
      event.preventDefault();
      perform(action);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  });

  const waiting = state.sessions.filter((s) => s.view.status === "waiting").length;
  const helpRows = WEB_KEYS[mode].map((binding) => ({ keys: binding.keys.map(keyLabel).join(" / "), help: binding.help }));

  return (
    <div class={`layout mode-${mode}`}>
      <header class="bar">
        <h1 onClick={() => setMode("list")}>csm</h1>
        <span class={`conn conn-${state.connection}`} title="the hub's event stream">
          {state.connection === "live" ? "live" : state.connection === "connecting" ? "connecting…" : "reconnecting…"}
        </span>
        {waiting > 0 && <span class="badge">◆ {waiting} waiting</span>}
        <nav>
          <button onClick={() => perform("create")} title="create (c)">
            + New
          </button>
          <button onClick={() => setMode(mode === "history" ? "list" : "history")} title="conversations (h)">
            Search
          </button>
          {permission === "default" && (
            <button class="subtle" onClick={() => void askPermission().then(setPermission)} title="a notification when a session starts waiting">
              Notify
            </button>
          )}
          <button class="subtle keys-button" onClick={() => setDialog("help")} title="keys (?)">
            ?
          </button>
        </nav>
      </header>
      {notice && (
        <p class={`notice${notice.error ? " error" : ""}`} role="status" onClick={() => setNotice(null)}>
          {notice.text}
        </p>
      )}
      <main>
        {mode === "history" ? (
          <History searchRef={searchRef} />
        ) : (
          <>
            <section class="list-pane" aria-label="session list">
              <input ref={filterRef} class="filter" type="search" placeholder="filter (/)" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
              <SessionList sessions={shown} selected={selected} loaded={state.loaded} onSelect={setSelected} onOpen={open} />
            </section>
            <section class="detail-pane">
              {mode === "detail" && current ? (
                <SessionView
                  entry={current}
                  log={state.logs[current.key]}
                  busy={busy}
                  message={message}
                  denyText={denyText}
                  messageRef={messageRef}
                  onMessage={setMessage}
                  onSend={send}
                  onDenyText={setDenyText}
                  onAnswer={(requestId, reply) => answer(current, requestId, reply)}
                  onInterrupt={() => perform("interrupt")}
                  onKill={() => perform("kill")}
                  onBack={() => setMode("list")}
                />
              ) : (
                <p class="muted hint">Select a session (↑↓, Enter) to see its log and answer its requests. ? lists the keys.</p>
              )}
            </section>
          </>
        )}
      </main>
      {dialog === "create" && <CreateDialog hosts={hosts} busy={busy} error={formError} onSubmit={(fields) => void create(fields)} onClose={() => setDialog(null)} />}
      {dialog === "kill" && current && <KillDialog view={current.view} busy={busy} error={formError} onSubmit={(options) => void kill(current, options)} onClose={() => setDialog(null)} />}
      {dialog === "help" && <HelpDialog rows={helpRows} onClose={() => setDialog(null)} />}
    </div>
  );
}
