import type { PendingRequest } from "../../../core/live/live-state.ts";
import { primaryInputText } from "../../../link/render.ts";

// A pending tool request: what claude wants to run, and the answers. The deny box's text
// goes to claude with the denial.

export type Answer = { action: "allow" | "deny"; always?: boolean; message?: string };

interface Props {
  request: PendingRequest;
  first: boolean;
  busy: boolean;
  denyText: string;
  onDenyText(text: string): void;
  onAnswer(answer: Answer): void;
}

export function PendingCard({ request, first, busy, denyText, onDenyText, onAnswer }: Props) {
  const message = denyText.trim() === "" ? undefined : denyText.trim();
  return (
    <section class="pending" data-request={request.requestId} aria-label={`pending ${request.toolName}`}>
      <header>
        <strong class="tool">{request.toolName}</strong> wants to run{first && <span class="keyhint"> y / n / Y</span>}
      </header>
      <pre class="input">{primaryInputText(request.toolName, request.input)}</pre>
      {request.description && <p class="description">{request.description}</p>}
      {request.blockedPath && <p class="description">path: {request.blockedPath}</p>}
      <input class="deny-text" placeholder="message to claude with a denial (optional)" value={denyText} onInput={(e) => onDenyText(e.currentTarget.value)} maxLength={4000} />
      <div class="actions">
        <button class="allow" disabled={busy} onClick={() => onAnswer({ action: "allow" })}>
          Allow
        </button>
        <button class="deny" disabled={busy} onClick={() => onAnswer({ action: "deny", message })}>
          Deny
        </button>
        <button class="always" disabled={busy} onClick={() => onAnswer({ action: "allow", always: true })}>
          Always allow
        </button>
        <button class="deny-always subtle" disabled={busy} onClick={() => onAnswer({ action: "deny", always: true, message })}>
          Always deny
        </button>
      </div>
    </section>
  );
}
