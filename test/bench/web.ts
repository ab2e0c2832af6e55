import { loadWebBundle } from "../../src/web/build.ts";
import { launchBrowser, loginUrl, openDashboard, PHONE } from "../helpers/browser.ts";
import { makeSandbox } from "../helpers/sandbox.ts";
import { connectAgent, startHub } from "./hub.ts";
import { formatTable, ms, percentile } from "./measure.ts";
import type { BenchSection } from "./section.ts";

// The web dashboard in Debian's chromium (headless) against a real hub: how long a tool
// request takes from the agent socket (where claude's can_use_tool arrives) to its card in
// the open session's page, how long a phone-sized page takes from navigation to the first
// session list, and how much script it transfers. Both clocks are the machine's own
// (performance.timeOrigin + now() in Bun and in the page).
//
// `csm status-line` timing lives in its own section (status-line.ts); figures about the page
// go here.

const SESSIONS = 20;
const REQUESTS = 200;
const LOADS = 20;
const GOALS = { requestP99Ms: 150, firstListMs: 500, scriptKb: 60 };

const epochNow = () => performance.timeOrigin + performance.now();

async function measure(): Promise<string[][]> {
  await using sb = await makeSandbox();
  // The session the requests come from runs (a dead one has no pending requests to show).
  await sb.tmux(["new-session", "-d", "-s", "csm-agent-0", "-n", "agent", "sleep", "3600"]);
  const hub = await startHub(sb, SESSIONS);
  try {
    await using browser = await launchBrowser({ viewport: PHONE, isMobile: true });
    const { page } = browser;
    await openDashboard(page, await loginUrl(hub.port, hub.token));

    // Page load to first list, with the browser session's cookie already set.
    const loads: number[] = [];
    let scriptBytes = 0;
    for (let i = 0; i < LOADS; i++) {
      await page.reload();
      await page.waitForSelector("body[data-ready=list]", { state: "attached" });
      loads.push((await page.evaluate(`performance.getEntriesByName("csm:first-list")[0].startTime`)) as number);
      scriptBytes = (await page.evaluate(`performance.getEntriesByType("resource").filter((e) => e.name.includes("/app.js")).map((e) => e.encodedBodySize)[0] ?? 0`)) as number;
    }
    // The first load of each version comes over the wire; later ones from the cache.
    const gzipped = (await loadWebBundle()).files.get("/app.js")!.gzip.length;

    // A request from the agent socket to its card in the open session.
    const agent = connectAgent(hub.port, "agent-0", hub.secrets[0]!);
    await agent.ready;
    await page.locator(`li.session[data-session="agent-0"]`).click();
    await page.locator("article.detail").waitFor();
    await page.evaluate(`
      window.__seen = {};
      new MutationObserver(() => {
        for (const card of document.querySelectorAll("section.pending[data-request]")) {
          const id = card.getAttribute("data-request");
          if (!(id in window.__seen)) window.__seen[id] = performance.timeOrigin + performance.now();
        }
      }).observe(document.body, { childList: true, subtree: true });
    `);
    const samples: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const requestId = `web-bench-${i}-${crypto.randomUUID()}`;
      agent.seq += 1;
      const frame = { type: "control_request", request_id: requestId, request: { subtype: "can_use_tool", tool_name: "Bash", input: { command: `echo ${i}` }, tool_use_id: `t${i}` }, csm_seq: agent.seq };
      const sent = epochNow();
      agent.socket.send(`${JSON.stringify(frame)}\n`);
      await page.locator(`section.pending[data-request="${requestId}"]`).waitFor({ state: "attached" });
      samples.push(((await page.evaluate(`window.__seen[${JSON.stringify(requestId)}]`)) as number) - sent);
      agent.seq += 1;
      agent.socket.send(`${JSON.stringify({ type: "control_cancel_request", request_id: requestId, csm_seq: agent.seq })}\n`);
      await page.locator(`section.pending[data-request="${requestId}"]`).waitFor({ state: "detached" });
    }
    agent.socket.close();
    if (browser.errors.length > 0) throw new Error(`the page reported errors: ${browser.errors.join("; ")}`);

    const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");
    const p99 = percentile(samples, 0.99);
    return [
      [`tool request (agent socket) → its card in the page, ${REQUESTS} requests`, `p50 ${ms(percentile(samples, 0.5))} · p99 ${ms(p99)} · max ${ms(Math.max(...samples))}`, `p99 ≤ ${GOALS.requestP99Ms} ms`, verdict(p99 <= GOALS.requestP99Ms)],
      [`navigation → first list, 390×844, ${SESSIONS} sessions, ${LOADS} loads`, `p50 ${ms(percentile(loads, 0.5))} · p99 ${ms(percentile(loads, 0.99))}`, `≤ ${GOALS.firstListMs} ms`, verdict(percentile(loads, 0.99) <= GOALS.firstListMs)],
      ["script transferred (gzip)", `${(gzipped / 1024).toFixed(1)} KB (in the browser: ${(scriptBytes / 1024).toFixed(1)} KB)`, `≤ ${GOALS.scriptKb} KB`, verdict(gzipped <= GOALS.scriptKb * 1024)],
    ];
  } finally {
    await hub.stop();
  }
}

export const webSection: BenchSection = {
  name: "web",
  title: "web dashboard in headless chromium: request-to-page latency, first list on a phone, script size",
  async run() {
    return formatTable(["figure", "measured", "goal", "verdict"], await measure());
  },
};
