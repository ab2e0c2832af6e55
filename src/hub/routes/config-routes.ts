import { applyConfig, readConfig } from "../../config/load.ts";
import { mergePatch, redactConfig } from "../../config/redact.ts";
import type { CsmConfig, RuleAction, ToolRule } from "../../config/schema.ts";
import { updateConfig } from "../../config/write.ts";
import { insertRule, removeRule } from "../../core/rules/rule-list.ts";
import { validateRules } from "../../core/rules/index.ts";
import type { Hub } from "../hub.ts";
import { httpError, json } from "../http.ts";
import { BODIES } from "../../hub-client/api.ts";
import type { RouteSpec } from "./route.ts";

// /api/config: read without secrets, change with a validated merge patch, written
// atomically with the rest of the file kept; /api/config/rules: the approval rules.
// A change applies to the running hub at once, but for the fields it cannot take over
// (port, tmux socket, SSH hosts): the PATCH answer names those in `restartNeeded`.

const configPaths = (hub: Hub) => hub.ctx.settings.paths;

/** Changes the file, then the running hub: what the file now says is what it runs. */
async function change(hub: Hub, edit: (raw: Record<string, unknown>) => void): Promise<{ config: CsmConfig; restartNeeded: string[] }> {
  const config = await updateConfig(hub.ctx.host.files, configPaths(hub).configFile, `${configPaths(hub).stateDir}/locks/config.lock`, edit);
  return { config, restartNeeded: applyConfig(hub.ctx.settings, config, hub.ctx.env) };
}

const rulesOf = (raw: Record<string, unknown>) => (raw.toolApprovalRules as ToolRule[] | undefined) ?? [];

export const CONFIG_ROUTES: RouteSpec[] = [
  {
    method: "GET",
    path: "/api/config",
    summary: "the config file's settings, secrets redacted",
    handle: async ({ hub }) => json(redactConfig(await readConfig(configPaths(hub).configFile))),
  },
  {
    method: "PATCH",
    path: "/api/config",
    summary:
      "change settings with a JSON merge patch; validated like the file, written atomically; \"<redacted>\" keeps a stored secret. " +
      "Answers {ok, config, restartNeeded}: changes apply at once but for the fields in restartNeeded (apiPort, tmuxSocket, hosts), which wait for `csm server stop` and a new start",
    body: BODIES.configPatch,
    errors: [400],
    handle: async ({ hub, body }) => {
      const { config, restartNeeded } = await change(hub, (raw) => mergePatch(raw, body)).catch((error: Error & { data?: { field?: unknown } }) => {
        throw error.name === "ConfigInvalid" ? httpError("ConfigInvalid", error.message, { field: error.data?.field }) : error;
      });
      return json({ ok: true, config: redactConfig(config), restartNeeded });
    },
  },
  {
    method: "GET",
    path: "/api/config/rules",
    summary: "the tool-approval rules, in order (first match wins)",
    handle: async ({ hub }) => json((await readConfig(configPaths(hub).configFile)).toolApprovalRules.map((rule, index) => ({ index, ...rule }))),
  },
  {
    method: "POST",
    path: "/api/config/rules",
    summary: "append a rule, or insert it at `position`",
    body: BODIES.addRule,
    errors: [400],
    handle: async ({ hub, body }) => {
      const rule: ToolRule = { tool: body.tool as string, action: body.action as RuleAction };
      if (body.pattern !== undefined) rule.pattern = body.pattern as string;
      const { config } = await change(hub, (raw) => {
        validateRules(rulesOf(raw));
        raw.toolApprovalRules = insertRule(rulesOf(raw), rule, (body.position as number | undefined) ?? rulesOf(raw).length);
      });
      return json(config.toolApprovalRules.map((r, index) => ({ index, ...r })), 201);
    },
  },
  {
    method: "DELETE",
    path: "/api/config/rules/:index",
    summary: "remove the rule at this index",
    errors: [400],
    handle: async ({ hub, params }) => {
      const index = Number(params.index);
      const { config } = await change(hub, (raw) => {
        raw.toolApprovalRules = removeRule(rulesOf(raw), index);
      });
      return json(config.toolApprovalRules.map((r, i) => ({ index: i, ...r })));
    },
  },
];
