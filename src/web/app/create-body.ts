import { isSessionMode, SESSION_MODES } from "../../config/session-mode.ts";
import type { ApiCalls } from "../../hub-client/api.ts";

// The create dialog's text fields as the body of POST /api/sessions. Empty fields are left
// out (the hub's defaults); a session starts from one of base, branch or PR, as
// `csm create --base/--branch/--pr` does, and the dialog says so before asking the hub.

export interface CreateFields {
  name: string;
  repo: string;
  base: string;
  branch: string;
  pr: string;
  remote: string;
  host: string;
  prompt: string;
  /** native or headless; empty: the hub's sessionMode. */
  mode: string;
}

export type CreateBody = ApiCalls["POST /api/sessions"]["body"];

export const emptyCreateFields = (host: string): CreateFields => ({ name: "", repo: "", base: "", branch: "", pr: "", remote: "", host, prompt: "", mode: "" });

/** The body to send, or what to fix first. */
export function createBodyOf(fields: CreateFields): { body: CreateBody } | { error: string } {
  const given = (key: keyof CreateFields) => (fields[key].trim() === "" ? undefined : fields[key].trim());
  const starts = (["base", "branch", "pr"] as const).filter((key) => given(key) !== undefined);
  if (starts.length > 1) return { error: `fill one of base, branch and PR, not ${starts.map((key) => (key === "pr" ? "PR" : key)).join(" and ")}` };
  const pr = given("pr");
  // As `csm create --pr` reads it: digits only.
  if (pr !== undefined && !/^[1-9][0-9]{0,8}$/.test(pr)) return { error: `PR must be a positive whole number (got "${pr}")` };
  if (given("remote") !== undefined && pr === undefined) return { error: "the PR remote goes with a PR number: fill that too, or empty the remote" };
  const mode = given("mode");
  if (mode !== undefined && !isSessionMode(mode)) return { error: `mode must be ${SESSION_MODES.join(" or ")} (got "${mode}")` };
  const body: CreateBody = { name: fields.name.trim() };
  for (const key of ["repo", "base", "branch", "remote", "host"] as const) {
    const value = given(key);
    if (value !== undefined) body[key] = value;
  }
  if (pr !== undefined) body.pr = Number(pr);
  if (fields.prompt.trim() !== "") body.prompt = fields.prompt;
  if (mode !== undefined) body.mode = mode;
  return { body };
}
