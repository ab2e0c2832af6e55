import { useEffect, useRef, useState } from "preact/hooks";
import { SESSION_MODES } from "../../../config/session-mode.ts";
import type { LiveSessionView } from "../../../core/live/live-view.ts";
import { emptyCreateFields, type CreateFields } from "../create-body.ts";

// The two forms that change what exists: create (the fields of POST /api/sessions) and
// kill, which the hub refuses (409) with the work that would be lost, as the CLI does;
// the dialog then shows that refusal and offers force.

function Dialog({ title, onClose, children }: { title: string; onClose(): void; children: preact.ComponentChildren }) {
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-label={title}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

interface CreateProps {
  hosts: string[];
  busy: boolean;
  error: string | null;
  onSubmit(fields: CreateFields): void;
  onClose(): void;
}

export function CreateDialog({ hosts, busy, error, onSubmit, onClose }: CreateProps) {
  const [fields, setFields] = useState<CreateFields>(emptyCreateFields(hosts[0] ?? "local"));
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const field = (key: keyof CreateFields) => ({ value: fields[key], onInput: (e: Event) => setFields({ ...fields, [key]: (e.currentTarget as HTMLInputElement).value }) });
  return (
    <Dialog title="Create a session" onClose={onClose}>
      <form
        class="create"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit(fields);
        }}
      >
        <label>
          name
          <input ref={first} name="name" required pattern="[A-Za-z0-9_][A-Za-z0-9._\-]{0,63}" autocomplete="off" {...field("name")} />
        </label>
        <label>
          repo <small>(path on the host; empty: the configured default)</small>
          <input name="repo" autocomplete="off" {...field("repo")} />
        </label>
        <fieldset class="start">
          <legend>start from one of these (fill one at most)</legend>
          <label>
            base <small>(a new branch off this branch or commit; empty: the repo's current one)</small>
            <input name="base" autocomplete="off" {...field("base")} />
          </label>
          <label>
            branch <small>(work on this existing branch, local or on a remote)</small>
            <input name="branch" autocomplete="off" {...field("branch")} />
          </label>
          <label>
            PR <small>(pull/merge request number, fetched into pr/N)</small>
            <input name="pr" inputMode="numeric" pattern="[1-9][0-9]{0,8}" autocomplete="off" {...field("pr")} />
          </label>
          <label>
            PR remote <small>(where the PR is fetched from; empty: origin)</small>
            <input name="remote" autocomplete="off" {...field("remote")} />
          </label>
        </fieldset>
        <label>
          host
          <select name="host" {...field("host")}>
            {hosts.map((host) => (
              <option key={host} value={host}>
                {host}
              </option>
            ))}
          </select>
        </label>
        <label>
          mode <small>(native: claude's own screen; headless: claude -p, drawn by csm)</small>
          <select name="mode" {...field("mode")}>
            <option value="">the hub's default (its sessionMode)</option>
            {SESSION_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {mode}
              </option>
            ))}
          </select>
        </label>
        <label>
          first prompt
          <textarea name="prompt" rows={3} {...field("prompt")} />
        </label>
        {error && <pre class="error">{error}</pre>}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? "Creating…" : "Create"}
          </button>
          <button type="button" class="subtle" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export interface KillOptions {
  deleteBranch: boolean;
  force: boolean;
}

interface KillProps {
  view: LiveSessionView;
  busy: boolean;
  error: string | null;
  onSubmit(options: KillOptions): void;
  onClose(): void;
}

export function KillDialog({ view, busy, error, onSubmit, onClose }: KillProps) {
  const [options, setOptions] = useState<KillOptions>({ deleteBranch: false, force: false });
  const ownWorktree = view.worktree !== null && view.worktree !== view.repo;
  return (
    <Dialog title={`Kill session ${view.name}?`} onClose={onClose}>
      <p>This removes:</p>
      <ul class="targets">
        <li>tmux session {view.tmuxSession}</li>
        {ownWorktree && <li>worktree {view.worktree}</li>}
        {options.deleteBranch && view.branch && <li>branch {view.branch} (if csm made it)</li>}
      </ul>
      <label class="check">
        <input type="checkbox" name="deleteBranch" checked={options.deleteBranch} onChange={(e) => setOptions({ ...options, deleteBranch: e.currentTarget.checked })} /> also delete the branch
      </label>
      <label class="check">
        <input type="checkbox" name="force" checked={options.force} onChange={(e) => setOptions({ ...options, force: e.currentTarget.checked })} /> force: remove the worktree even with uncommitted or unpushed work
      </label>
      {error && <pre class="error">{error}</pre>}
      <div class="actions">
        <button class="danger" disabled={busy} onClick={() => onSubmit(options)} autoFocus>
          {busy ? "Killing…" : options.force ? "Kill anyway" : "Kill"}
        </button>
        <button class="subtle" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

export function HelpDialog({ rows, onClose }: { rows: { keys: string; help: string }[]; onClose(): void }) {
  return (
    <Dialog title="Keys" onClose={onClose}>
      <table class="keys">
        <tbody>
          {rows.map((row) => (
            <tr key={row.keys + row.help}>
              <th>{row.keys}</th>
              <td>{row.help}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <button onClick={onClose}>Close</button>
      </div>
    </Dialog>
  );
}
