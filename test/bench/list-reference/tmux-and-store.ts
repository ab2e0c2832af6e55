// Reference for `bun run bench list`, not part of csm: the least a list that asks no hub
// can do (one file, no modules: one tmux query, the store read with bun:sqlite while
// tmux answers, print the rows). It shows what skipping the hub would gain at best.
const env = process.env;
const tmux = Bun.spawn(["tmux", "-u", "-L", env.CSM_TMUX_SOCKET!, "list-panes", "-a", "-F", "#{session_name}\u241f#{window_name}\u241f#{pane_dead}\u241f#{pane_dead_status}"], {
  stdin: "ignore",
  stdout: "pipe",
  stderr: "ignore",
});
const { Database } = require("bun:sqlite") as typeof import("bun:sqlite");
const db = new Database(`${env.XDG_STATE_HOME}/csm/csm.sqlite`, { readonly: true });
const rows = db.query("SELECT name, repo, branch, worktree, created_at FROM sessions WHERE host = 'local'").all() as { name: string }[];
const panes = (await new Response(tmux.stdout).text()).split("\n").map((line) => line.split("\u241f"));
const sessions = rows.map((row) => ({ ...row, panes: panes.filter((pane) => pane[0] === `csm-${row.name}`).length }));
await Bun.write(Bun.stdout, `${JSON.stringify(sessions, null, 2)}\n`);

export {};
