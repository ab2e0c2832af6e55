import type { LiveSessionView } from "../../src/core/live/live-view.ts";

// A session as the hub lists it, for the dashboard's unit tests; each test file sets the
// values its assertions are about.
export const liveSession = (name: string, extra: Partial<LiveSessionView> = {}): LiveSessionView => ({
  name,
  host: "local",
  status: "idle",
  statusReason: null,
  repo: "/home/ada/src/api",
  branch: `csm/${name}-20261121-100000`,
  worktree: `/home/ada/.local/share/csm/worktrees/api/${name}`,
  createdAt: "2026-11-21T10:00:00.000Z",
  tmuxSession: `csm-${name}`,
  baseRef: "main",
  baseCommit: "4f1c2a9e0b7d",
  favourite: false,
  claudeSessionId: "3c1e0c0e-7d1b-4b7a-9a51-2b0f5c7d9e10",
  model: "claude-opus-4-5-20251101",
  turns: 2,
  costUsd: 0.1234,
  pendingApprovals: 0,
  lastMessage: "All tests pass.",
  transport: "bridge",
  linked: true,
  permissionMode: "default",
  guarded: true,
  ...extra,
});
