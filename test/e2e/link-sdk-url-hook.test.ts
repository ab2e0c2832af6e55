import { expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { makeLiveSandbox } from "../helpers/live.ts";
import { agentEndpoint } from "../helpers/sdk-peer.ts";
import { readClaudeLaunches } from "../helpers/fake-claude-log.ts";

// An sdk-url claude (≤ 2.1.120) has no bridge beside it: its PreToolUse hook calls the hub,
// with the session's own agent secret. The pane runs the stand-in claude; this test makes
// the hook's calls as claude would, from the settings file csm gave it.

setDefaultTimeout(30_000);

interface HookSettings {
  hooks: { PreToolUse: { matcher: string; hooks: { type: string; url: string; onFailure: string; headers: Record<string, string> }[] }[] };
}

test("sdk-url: claude gets a --settings file whose PreToolUse hook the hub answers from the rules", async () => {
  await using live = await makeLiveSandbox();
  await live.sb.writeConfig({ toolApprovalRules: [{ tool: "Bash", pattern: "cat *", action: "deny" }] });
  await live.sb.csm(["create", "old", "--repo", live.repo, "--transport", "sdk-url"]);
  const settingsFile = join(live.sb.paths.stateHome, "csm", "hooks", "old.json");
  const [launch] = await live.sb.waitFor(async () => {
    const launches = await readClaudeLaunches(live.sb.paths.claudeLog);
    return launches.length > 0 ? launches : undefined;
  }, { what: "claude's launch" });
  expect(launch!.args).toContain("--settings");
  expect(launch!.args[launch!.args.indexOf("--settings") + 1]).toBe(settingsFile);

  const settings = (await Bun.file(settingsFile).json()) as HookSettings;
  const [hook] = settings.hooks.PreToolUse[0]!.hooks;
  const { secret, port } = await agentEndpoint(live.sb, "old");
  expect(hook).toMatchObject({ type: "http", url: `http://127.0.0.1:${port}/hooks/old/pre-tool-use`, onFailure: "block" });
  // The secret reaches claude through its environment, never through the file.
  expect(hook!.headers.Authorization).toBe("Bearer $CLAUDE_CODE_SESSION_ACCESS_TOKEN");
  expect(await Bun.file(settingsFile).text()).not.toContain(secret);

  const call = (command: string, bearer: string) =>
    fetch(hook!.url, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command }, tool_use_id: "toolu_9" }),
    });
  expect((await call("cat /etc/passwd", "0".repeat(64))).status).toBe(401);
  const denied = await call("cat /etc/passwd", secret);
  expect(denied.status).toBe(200);
  expect(await denied.json()).toMatchObject({ hookSpecificOutput: { permissionDecision: "deny", permissionDecisionReason: expect.stringContaining('toolApprovalRules[0] (Bash "cat *" → deny)') } });
  expect(await (await call("git status", secret)).json()).toEqual({});
  const events = (await live.api<{ kind: string; data: { via?: string; requestId?: string } }[]>("GET", "/api/sessions/old/events")).body;
  expect(events.filter((e) => e.kind === "decision").map((e) => e.data)).toEqual([expect.objectContaining({ via: "PreToolUse", requestId: "toolu_9" })]);
});
