import type { SessionEntry } from "../store.ts";

// The session list of every host: one row per session, waiting ones marked. Every string
// here is the session's own (foreign) text, rendered as text nodes by Preact.

export const STATUS_MARK: Record<string, string> = { waiting: "◆", working: "●", idle: "○", starting: "◌", dead: "✕", unknown: "?" };

export function matchesFilter(entry: SessionEntry, filter: string): boolean {
  if (filter === "") return true;
  const needle = filter.toLowerCase();
  const { view } = entry;
  return [view.name, view.host, view.status, view.branch, view.repo, view.model].some((field) => (field ?? "").toLowerCase().includes(needle));
}

interface Props {
  sessions: SessionEntry[];
  selected: string | null;
  loaded: boolean;
  onOpen(key: string): void;
  onSelect(key: string): void;
}

export function SessionList({ sessions, selected, loaded, onOpen, onSelect }: Props) {
  if (!loaded) return <p class="muted">loading sessions…</p>;
  if (sessions.length === 0) return <p class="muted empty">No sessions. Create one with c (or `csm create` in a terminal).</p>;
  return (
    <ul class="sessions" role="listbox" aria-label="sessions">
      {sessions.map(({ key, view, pending }) => (
        <li
          key={key}
          class={`session status-${view.status}${key === selected ? " selected" : ""}`}
          role="option"
          aria-selected={key === selected}
          data-session={view.name}
          data-host={view.host}
          onClick={() => (onSelect(key), onOpen(key))}
        >
          <span class="mark" title={view.status}>
            {STATUS_MARK[view.status] ?? "?"}
          </span>
          <span class="name">{view.name}</span>
          {view.host !== "local" && <span class="host">@{view.host}</span>}
          {pending.length > 0 && <span class="badge">{pending.length} waiting</span>}
          <span class="status">{view.status}</span>
          <span class="last">{view.stale ? "(hub down: last known state)" : (view.lastMessage ?? view.statusReason ?? view.branch ?? "")}</span>
        </li>
      ))}
    </ul>
  );
}
