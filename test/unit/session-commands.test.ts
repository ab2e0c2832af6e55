import { expect, test } from "bun:test";
import { Tmux } from "../../src/adapters/tmux.ts";
import { attachCommand } from "../../src/core/sessions/attach.ts";
import { branchName } from "../../src/core/sessions/create.ts";
import { Rollback } from "../../src/core/sessions/rollback.ts";
import type { Runner } from "../../src/host/runner.ts";
import { claudeArgv, withoutSettingsArgs, sessionEnvironment } from "../../src/link/launch.ts";
import { formatAge, formatTable } from "../../src/cli/table.ts";

const noRunner = {} as Runner;
const env = { TMUX_TMPDIR: "/run/t", HOME: "/h" };

test("attach from outside tmux attaches a new client, with TMUX removed", () => {
  const command = attachCommand(new Tmux(noRunner, "csm"), "=csm-a:agent", env, 1000);
  expect(command.argv).toEqual(["tmux", "-L", "csm", "attach-session", "-t", "=csm-a:agent"]);
  expect(command.env.TMUX).toBeUndefined();
});

test("attach from inside the same server switches the client", () => {
  const inside = { ...env, TMUX: "/run/t/tmux-1000/csm,123,0", TMUX_PANE: "%1" };
  const command = attachCommand(new Tmux(noRunner, "csm"), "=csm-a:shell", inside, 1000);
  expect(command.argv).toEqual(["tmux", "-L", "csm", "switch-client", "-t", "=csm-a:shell"]);
});

test("attach from inside ANOTHER tmux server nests a client instead of switching", () => {
  const elsewhere = { ...env, TMUX: "/run/t/tmux-1000/default,123,0", TMUX_PANE: "%1" };
  const command = attachCommand(new Tmux(noRunner, "csm"), "=csm-a:agent", elsewhere, 1000);
  expect(command.argv[3]).toBe("attach-session");
  expect(command.env.TMUX).toBeUndefined();
  expect(command.env.TMUX_PANE).toBeUndefined();
});

test("without a socket, tmux's default server is used", () => {
  const inside = { ...env, TMUX: "/run/t/tmux-1000/default,1,0" };
  expect(attachCommand(new Tmux(noRunner, undefined), "=csm-a:agent", inside, 1000).argv).toEqual(["tmux", "switch-client", "-t", "=csm-a:agent"]);
});

test("a pane command of one element is refused (tmux would run it through sh -c)", async () => {
  const tmux = new Tmux({ run: async () => ({ code: 0, stdout: "", stderr: "" }) } as unknown as Runner, "s");
  await expect(tmux.newSession({ session: "csm-a", window: "agent", cwd: "/", argv: ["rm -rf ~"] })).rejects.toThrow(/sh -c/);
});

test("branch names are csm/NAME-YYYYMMDD-HHMMSS in UTC", () => {
  expect(branchName("fix-login", new Date("2026-11-21T09:05:07.123Z"))).toBe("csm/fix-login-20261121-090507");
});

test("claude's argv: stream-json on stdio for the bridge, --sdk-url otherwise; resume by id", () => {
  const base = { claudeBin: "/bin/claude", extraArgs: ["--model", "opus"], claudeSessionId: "S1", agentUrl: "ws://127.0.0.1:1/ws/agent/a", hookSettingsFile: "/s/hooks/a.json" };
  const bridge = claudeArgv({ ...base, transport: "bridge", resume: false });
  expect(bridge.slice(0, 2)).toEqual(["/bin/claude", "-p"]);
  expect(bridge).toContain("--permission-prompt-tool");
  expect(bridge.slice(-6)).toEqual(["--session-id", "S1", "--settings", "/s/hooks/a.json", "--model", "opus"]);
  expect(bridge).not.toContain("--sdk-url");
  const sdk = claudeArgv({ ...base, transport: "sdk-url", resume: true });
  expect(sdk).toEqual(["/bin/claude", "--sdk-url", "ws://127.0.0.1:1/ws/agent/a", "--verbose", "--resume", "S1", "--settings", "/s/hooks/a.json", "--model", "opus"]);
});

test("the user's own --settings are taken out of claudeArgs (a second --settings would replace csm's hooks)", () => {
  expect(withoutSettingsArgs(["--model", "opus", "--settings", "/u.json", "--settings={\"a\":1}", "-v"])).toEqual({
    args: ["--model", "opus", "-v"],
    settings: ["/u.json", '{"a":1}'],
  });
});

test("the session environment keeps the creator's variables but not its terminal's", () => {
  const result = sessionEnvironment({ PATH: "/bin", ANTHROPIC_API_KEY: "k", TMUX: "/x,1,0", TMUX_PANE: "%3", COLUMNS: "80" });
  expect(result).toEqual({ PATH: "/bin", ANTHROPIC_API_KEY: "k" });
});

test("rollback undoes newest first and reports a failed undo next to the cause", async () => {
  const order: string[] = [];
  const rollback = new Rollback();
  rollback.onFailure("first", () => void order.push("first"));
  rollback.onFailure("second", () => {
    order.push("second");
    throw new Error("busy");
  });
  await expect(rollback.fail(new Error("setup failed"))).rejects.toThrow("setup failed (cleanup error: second: busy)");
  expect(order).toEqual(["second", "first"]);
});

test("tables pad every column but the last", () => {
  expect(formatTable(["A", "BB"], [["xyz", "1"], ["q", "22"]])).toBe("A    BB\nxyz  1\nq    22");
  const now = new Date("2026-11-21T12:00:00Z");
  expect(formatAge("2026-11-21T11:59:30Z", now)).toBe("30s");
  expect(formatAge("2026-11-21T10:00:00Z", now)).toBe("2h");
  expect(formatAge("2026-11-18T12:00:00Z", now)).toBe("3d");
});
