import { useEffect, useRef } from "preact/hooks";
import type { HubEvent } from "../../../core/live/hub-event.ts";
import { logLines, timeOfDay } from "../log-text.ts";
import type { SessionEntry } from "../store.ts";
import { PendingCard, type Answer } from "./pending-card.tsx";
import { STATUS_MARK } from "./session-list.tsx";

// One session: what the hub says of it, its pending requests, its live log and what
// claude is streaming now, and a box to send it a message.

interface Props {
  entry: SessionEntry;
  log: HubEvent[] | undefined;
  busy: boolean;
  message: string;
  denyText: string;
  messageRef: { current: HTMLTextAreaElement | null };
  onMessage(text: string): void;
  onSend(): void;
  onDenyText(text: string): void;
  onAnswer(requestId: string, answer: Answer): void;
  onInterrupt(): void;
  onKill(): void;
  onBack(): void;
}

export function SessionView(props: Props) {
  const { entry, log, busy } = props;
  const { view, pending, streamingText } = entry;
  const logBox = useRef<HTMLDivElement>(null);
  const lines = logLines(log ?? []);
  // The log's own scroll, not the page's: the request cards above stay in view.
  useEffect(() => {
    if (logBox.current) logBox.current.scrollTop = logBox.current.scrollHeight;
  }, [lines.length, streamingText]);
  const cost = view.costUsd > 0 ? ` · $${view.costUsd.toFixed(2)}` : "";
  return (
    <article class="detail" aria-label={`session ${view.name}`}>
      <header class="detail-head">
        <button class="back" onClick={props.onBack} aria-label="back to the list">
          ←
        </button>
        <h2>
          <span class={`mark status-${view.status}`}>{STATUS_MARK[view.status] ?? "?"}</span> {view.name}
          {view.host !== "local" && <span class="host">@{view.host}</span>}
        </h2>
        <div class="tools">
          <button onClick={props.onInterrupt} disabled={busy || view.status === "idle" || view.status === "dead"} title="interrupt (i)">
            Interrupt
          </button>
          <button class="danger" onClick={props.onKill} disabled={busy} title="kill (k)">
            Kill
          </button>
        </div>
      </header>
      <p class="facts">
        <span class="status">{view.status}</span>
        {view.statusReason && <span> · {view.statusReason}</span>}
        {view.branch && <span> · {view.branch}</span>}
        {view.model && <span> · {view.model}</span>}
        {view.mode === "native" && <span title="claude's own screen: csm attach shows it"> · native</span>}
        <span>
          {" "}
          · {view.turns} {view.turns === 1 ? "turn" : "turns"}{cost}
        </span>
        {!view.guarded && <span class="warn"> · asks nothing ({view.permissionMode})</span>}
      </p>
      {pending.map((request, i) => (
        <PendingCard
          key={request.requestId}
          request={request}
          first={i === 0}
          busy={busy}
          denyText={i === 0 ? props.denyText : ""}
          onDenyText={props.onDenyText}
          onAnswer={(answer) => props.onAnswer(request.requestId, answer)}
        />
      ))}
      <div class="log" role="log" aria-live="polite" ref={logBox}>
        {log === undefined && <p class="muted">loading the log…</p>}
        {lines.map((line, i) => (
          <div key={`${line.seq ?? "n"}-${i}`} class={`line kind-${line.kind}`}>
            <time>{timeOfDay(line.at)}</time>
            <span class="text">{line.text}</span>
          </div>
        ))}
        {streamingText !== "" && (
          <div class="line streaming">
            <time>now</time>
            <span class="text">{streamingText}</span>
          </div>
        )}
      </div>
      <form
        class="message"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSend();
        }}
      >
        <textarea
          ref={props.messageRef}
          rows={2}
          placeholder={view.status === "dead" ? "claude is dead" : "message to claude (m); Enter sends, Shift-Enter a new line"}
          value={props.message}
          maxLength={100_000}
          onInput={(e) => props.onMessage(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              props.onSend();
            }
          }}
        />
        <button type="submit" disabled={busy || props.message.trim() === ""}>
          Send
        </button>
      </form>
    </article>
  );
}
