import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { bashReply, slowTextReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox } from "../helpers/live.ts";
import { startTui } from "../helpers/tui.ts";
import { ansiToHtml } from "./ansi-html.ts";

// `bun test/tools/screenshot.ts [OUT.png]`: the README's header.png, a real screenshot of
// the dashboard with sessions in different states and the approval banner up. Needs
// Debian's chromium (headless) and a monospace font (fonts-dejavu-core).

const WIDTH = 118;
const HEIGHT = 22;
const out = process.argv[2] ?? join(import.meta.dir, "../../header.png");

await using live = await makeLiveSandbox();
const say = async (name: string, prompt: string, until: (s: { status: string; turns: number }) => boolean) => {
  await live.create(name, ["--prompt", prompt]);
  await live.waitForSession(name, `${name} ready`, until as never);
};

live.fake.reply(textReply("Fixed the login redirect: the session cookie now survives the OAuth callback. Tests pass."));
await say("fix-login", "fix the login redirect", (s) => s.status === "idle" && s.turns === 1);
live.fake.reply(textReply("Added pagination to GET /users with cursor tokens; 14 tests added."));
await say("api-pagination", "paginate the users endpoint", (s) => s.status === "idle" && s.turns === 1);
live.fake.reply(bashReply('npm run migrate -- --env staging && git commit -am "db: add the audit_log table"'));
await say("db-migration", "write and apply the audit log migration", (s) => s.status === "waiting");
live.fake.reply(textReply("Started on the flaky checkout test."));
await say("flaky-checkout", "find why checkout.spec is flaky", (s) => s.status === "idle");
const events = (await live.api<{ kind: string; data: { event?: string; pid?: number } }[]>("GET", "/api/sessions/flaky-checkout/events")).body;
process.kill(events.find((e) => e.data.event === "claude_started")!.data.pid!, "SIGKILL");
await live.waitForSession("flaky-checkout", "dead", (s) => s.status === "dead");
live.fake.reply(slowTextReply("Rewriting the README's install section so a newcomer can follow it top to bottom, with the two commands first.", 400, 6));
await live.create("docs-readme", ["--prompt", "rewrite the install section"]);
await live.waitForSession("docs-readme", "working", (s) => s.status === "working");
await live.api("POST", "/api/sessions/fix-login/favourite", { favourite: true });

const tui = await startTui(live.sb, { width: WIDTH, height: HEIGHT });
await tui.waitFor("request waiting", "the banner");
await tui.waitFor("working", "the working session");
await Bun.sleep(600);
const ansi = await tui.screenWithColours();

const html = `<!doctype html><meta charset="utf-8"><style>
  html,body{margin:0;background:#16181d}
  .term{margin:18px;padding:14px 18px;background:#1d1f21;border-radius:10px;box-shadow:0 6px 24px #0008;display:inline-block}
  .bar{height:12px;margin:0 0 12px 0}
  .bar i{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:7px}
  pre{margin:0;color:#dcdfe4;font:15px/1.35 "DejaVu Sans Mono",monospace}
</style><div class="term"><div class="bar"><i style="background:#ff5f57"></i><i style="background:#febc2e"></i><i style="background:#28c840"></i></div><pre>${ansiToHtml(ansi)}</pre></div>`;
const page = join(live.sb.paths.root, "screen.html");
writeFileSync(page, html);
const chromium = Bun.spawn(
  ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${join(live.sb.paths.root, "chromium")}`, "--hide-scrollbars", `--screenshot=${out}`, "--window-size=1220,560", `file://${page}`],
  { stdout: "ignore", stderr: "pipe" },
);
if ((await chromium.exited) !== 0) throw new Error(`chromium failed: ${await new Response(chromium.stderr).text()}`);
console.log(`wrote ${out}`);
