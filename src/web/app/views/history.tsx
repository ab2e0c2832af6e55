import { useEffect, useRef, useState } from "preact/hooks";
import type { ConversationsReply, ListedConversation } from "../../../hub-client/api.ts";
import { api } from "../api.ts";

// Conversation search over every host's claude transcripts (GET /api/conversations?search=).
// A hit's snippet marks the match between \x02 and \x03; it is split into text nodes.

function Snippet({ text }: { text: string }) {
  const parts = text.split(/([\x02\x03])/);
  let inside = false;
  const nodes: preact.ComponentChildren[] = [];
  parts.forEach((part, i) => {
    if (part === "\x02") inside = true;
    else if (part === "\x03") inside = false;
    else if (part !== "") nodes.push(inside ? <mark key={i}>{part}</mark> : part);
  });
  return <p class="snippet">{nodes}</p>;
}

export function History({ searchRef }: { searchRef: { current: HTMLInputElement | null } }) {
  const [query, setQuery] = useState("");
  const [reply, setReply] = useState<ConversationsReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const asked = useRef(0);
  useEffect(() => {
    const mine = ++asked.current;
    const timer = setTimeout(() => {
      const path = query.trim() === "" ? "/api/conversations?limit=50" : `/api/conversations?limit=50&search=${encodeURIComponent(query.trim())}`;
      api<ConversationsReply>("GET", path)
        .then((value) => mine === asked.current && (setReply(value), setError(null)))
        .catch((e: Error) => mine === asked.current && setError(e.message));
    }, 150);
    return () => clearTimeout(timer);
  }, [query]);
  useEffect(() => searchRef.current?.focus(), []);
  const rows: ListedConversation[] = reply?.conversations ?? [];
  return (
    <section class="history" aria-label="conversations">
      <input ref={searchRef} type="search" class="search" placeholder="search every conversation (/)" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {error && <p class="error">{error}</p>}
      {reply?.hosts
        .filter((host) => host.error)
        .map((host) => (
          <p key={host.host} class="warn">
            {host.host}: {host.error}
          </p>
        ))}
      {reply && rows.length === 0 && <p class="muted">nothing found</p>}
      <ul class="conversations">
        {rows.map((row) => (
          <li key={`${row.host}/${row.id}`}>
            <div>
              <strong>{row.title || row.id.slice(0, 8)}</strong> <span class="muted">{row.host !== "local" ? `@${row.host} ` : ""}{row.cwd ?? row.project}</span>
            </div>
            <div class="muted">
              {row.turns} turns · {row.lastActiveAt ? new Date(row.lastActiveAt).toLocaleString() : "?"}
              {row.session ? ` · csm session ${row.session}` : ""}
            </div>
            {row.snippet && <Snippet text={row.snippet} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
