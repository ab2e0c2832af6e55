import type { LaunchSpec } from "../../src/link/launch.ts";

/** A bridge's launch spec for unit tests of the bridge; each test sets what it is about. */
export const launchSpec = (extra: Partial<LaunchSpec> = {}): LaunchSpec => ({
  host: "local",
  session: "s",
  cwd: "/w",
  transport: "bridge",
  argv: ["claude"],
  env: {},
  agentUrl: "ws://127.0.0.1:1/ws/agent/s",
  secret: "k",
  hookSettingsFile: "/state/hooks/s.json",
  userSettings: [],
  ...extra,
});
