import { expect, test, setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bashReply, startFakeAnthropic, textReply } from "../fixtures/fake-anthropic.ts";
import { startTestHub } from "../helpers/hub.ts";
import { makeRemoteSandbox, useRealClaudeOnDevbox } from "../helpers/remote.ts";
import { startTui } from "../helpers/tui.ts";

// Real tmux, git, sshd and claude: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(90_000);

interface Listed {
  name: string;
  host: string;
  status: string;
  mode?: string;
  turns?: number;
  lastMessage?: string;
}

for (const mode of ["headless", "native"] as const) {
  test(`a remote ${mode} claude's tool request is seen and approved from the local hub's API and dashboard`, async () => {
    await using fake = await startFakeAnthropic();
    await using remote = await makeRemoteSandbox({ remoteEnv: { CSM_SESSION_MODE: mode } });
    const { sb } = remote;
    await useRealClaudeOnDevbox(remote, fake.url);

    const first = join(sb.paths.root, "approved-over-the-api");
    const second = join(sb.paths.root, "approved-on-the-dashboard");
    fake.reply(bashReply(`touch ${first}`));
    fake.reply(textReply("first done"));
    expect(await sb.csm(["create", "far", "--host", "devbox", "--prompt", "touch the first file"])).toMatchObject({ code: 0 });

    await using hub = await startTestHub(sb);
    const session = async () => ((await (await hub.fetch("/api/sessions")).json()) as Listed[]).find((s) => s.name === "far" && s.host === "devbox");
    const waiting = await sb.waitFor(async () => {
      const found = await session();
      return found?.status === "waiting" ? found : undefined;
    }, { what: "the remote session waiting, seen by the local hub", timeoutMs: 45_000 });
    expect(waiting.mode).toBe(mode);
    // A native session's request is on claude's own screen there too, for whoever attaches.
    if (mode === "native") {
      await sb.waitFor(async () => (await remote.remoteTmux(["capture-pane", "-p", "-t", "=csm-far:agent"])).stdout.includes("Do you want to proceed?"), {
        what: "claude's own dialog on the remote screen",
      });
    }
    const pending = (await (await hub.fetch("/api/pending")).json()) as { session: string; host: string; requestId: string; input: { command: string } }[];
    expect(pending).toEqual([expect.objectContaining({ session: "far", host: "devbox", input: expect.objectContaining({ command: `touch ${first}` }) })]);

    const answer = await hub.fetch("/api/sessions/far/approve-tool", { method: "POST", body: JSON.stringify({ requestId: pending[0]!.requestId, action: "allow" }) });
    expect(answer.status).toBe(200);
    await sb.waitFor(() => existsSync(first), { what: "the remote tool to run" });
    const idle = await sb.waitFor(async () => {
      const found = await session();
      return found?.status === "idle" && found.turns === 1 ? found : undefined;
    }, { what: "the remote session idle after its turn", timeoutMs: 30_000 });
    expect(idle.lastMessage).toBe("first done");

    // The same from the local dashboard: banner, Space, y.
    fake.reply(bashReply(`touch ${second}`));
    fake.reply(textReply("second done"));
    const tui = await startTui(sb, { width: 120, height: 30 });
    await tui.waitFor("far", "the remote session on the dashboard");
    expect(await sb.csm(["send", "far", "touch the second file"])).toMatchObject({ code: 0 });
    await tui.waitFor(/1 request waiting.*far/s, "the banner for the remote session", 30_000);
    await tui.keys("Space");
    await tui.waitFor("far asks to use Bash", "the remote request in the session view");
    await tui.keys("y");
    await sb.waitFor(() => existsSync(second), { what: "the second remote tool to run", timeoutMs: 30_000 });
    await sb.waitFor(async () => (await session())?.turns === 2, { what: "the second turn counted" });
  });
}
