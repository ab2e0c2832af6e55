// How a session runs claude. `native`: claude's own interactive screen in the pane, with
// live state and approvals through its hooks (link/native.ts). `headless`: claude -p with
// stream-json, csm drawing the pane (the bridge, or --sdk-url for old claudes).
//
// The store keeps one column for both: a native session's transport is "native"; any other
// transport (bridge, sdk-url, or none recorded) is a headless session.

export type SessionMode = "native" | "headless";

export const SESSION_MODES: readonly SessionMode[] = ["native", "headless"];

export const DEFAULT_SESSION_MODE: SessionMode = "native";

export const isSessionMode = (value: unknown): value is SessionMode => value === "native" || value === "headless";

export const modeOfTransport = (transport: string | null | undefined): SessionMode => (transport === "native" ? "native" : "headless");
