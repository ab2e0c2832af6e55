import type { Context } from "../core/context.ts";
import type { PendingRequest } from "../core/live/live-state.ts";
import { buildAlwaysRules, describeRule, evaluateRules, withAlwaysRules, type RuleDecision } from "../core/rules/index.ts";
import { parsePreToolUse, preToolUseResponse, preToolUseVerdict } from "../core/rules/pre-tool-use.ts";
import { resolveRealPath } from "../host/real-path.ts";
import { updateConfig } from "../config/write.ts";
import type { ToolRule } from "../config/schema.ts";
import { allowResponse, denyResponse, type CanUseToolRequest, type IncomingControlRequest } from "../link/protocol.ts";
import type { AgentLinks } from "./agent-link.ts";
import { httpError } from "./http.ts";
import type { LiveSessions } from "./live-sessions.ts";
import type { RuleSource } from "../core/rules/rule-source.ts";

// Tool approval: rules first (in the hub, as the request arrives), then a person. A
// request the rules leave at `ask` stays pending until someone answers it by its id;
// nothing times out on its own (claude waits). Every decision is an event: which
// request, who decided, and for rules which rule and why.

export interface Decision {
  requestId: string;
  toolName: string;
  action: "allow" | "deny";
  by: "rule" | "person";
  ruleIndex: number | null;
  rule: ToolRule | null;
  reason: string;
  message?: string;
  addedRules?: ToolRule[];
}

export class Approvals {
  constructor(
    private readonly ctx: Context,
    private readonly live: LiveSessions,
    private readonly links: AgentLinks,
    private readonly rules: RuleSource,
  ) {}

  private worktreeOf(session: string): string {
    return this.ctx.sessions().get(this.ctx.host.hostName, session)?.worktree ?? "/";
  }

  /** Called for each new can_use_tool: the rules settle what they can, at once. */
  async onToolRequest(session: string, message: IncomingControlRequest & { request: CanUseToolRequest }): Promise<void> {
    const { rules, error } = await this.rules.get();
    if (error) {
      this.record(session, { event: "rules_unusable", requestId: message.request_id, error });
      return;
    }
    const decision = evaluateRules(rules, {
      toolName: message.request.tool_name,
      input: message.request.input,
      worktree: this.worktreeOf(session),
      realPath: resolveRealPath,
    });
    if (decision.action === "ask") return;
    await this.settle(session, {
      requestId: message.request_id,
      toolName: message.request.tool_name,
      action: decision.action,
      by: "rule",
      ruleIndex: decision.ruleIndex,
      rule: decision.rule,
      reason: decision.reason,
    }, message.request.input);
  }

  /**
   * claude's PreToolUse hook, for sessions whose claude calls the hub directly (sdk-url;
   * a bridge answers its own claude's hook): deny rules hold before any tool runs.
   */
  async preToolUse(session: string, payload: unknown): Promise<Record<string, unknown>> {
    const call = parsePreToolUse(payload);
    if (!call) return {};
    const verdict = preToolUseVerdict(await this.rules.get(), call, { worktree: this.worktreeOf(session), realPath: resolveRealPath });
    if (verdict.kind === "deny") this.live.record(session, [{ kind: "decision", at: new Date().toISOString(), data: verdict.decision }]);
    return preToolUseResponse(verdict);
  }

  /** A person's answer, by request id; `always` first adds rules built from the request. */
  async answer(session: string, requestId: string, action: "allow" | "deny", options: { message?: string; always?: boolean } = {}): Promise<Decision> {
    const request = this.live.state(session).pending.find((p) => p.requestId === requestId);
    if (!request) throw httpError(409, "NotPending", `${session} has no pending request ${requestId} (already answered, withdrawn, or never made)`, { session, requestId });
    const addedRules = options.always ? await this.addAlwaysRules(session, request, action) : undefined;
    const decision: Decision = {
      requestId,
      toolName: request.toolName,
      action,
      by: "person",
      ruleIndex: null,
      rule: null,
      reason: options.always ? `answered in csm, and added ${addedRules!.length} rule(s)` : "answered in csm",
      message: action === "deny" ? (options.message ?? "Denied by the user in csm") : undefined,
      addedRules,
    };
    await this.settle(session, decision, request.input);
    return decision;
  }

  private async addAlwaysRules(session: string, request: PendingRequest, action: "allow" | "deny"): Promise<ToolRule[]> {
    const { rules, error } = await this.rules.get();
    if (error) throw httpError(409, "RulesInvalid", `cannot add a rule while the rule list is broken: ${error}`);
    const added = buildAlwaysRules(
      { toolName: request.toolName, input: request.input, permissionSuggestions: request.suggestions, worktree: this.worktreeOf(session) },
      action,
      rules,
    );
    const paths = this.ctx.settings.paths;
    await updateConfig(this.ctx.host.files, paths.configFile, `${paths.stateDir}/locks/config.lock`, (raw) => {
      raw.toolApprovalRules = withAlwaysRules((raw.toolApprovalRules as ToolRule[] | undefined) ?? [], added);
    });
    return added;
  }

  private async settle(session: string, decision: Decision, input: Record<string, unknown>): Promise<void> {
    if (decision.action === "deny" && decision.by === "rule") {
      decision.message = `Denied by csm rule ${describeRule(decision.rule!, decision.ruleIndex!)}: ${decision.reason}`;
    }
    this.record(session, { event: "decision", ...decision });
    const message = decision.action === "allow" ? allowResponse(decision.requestId, input) : denyResponse(decision.requestId, decision.message!);
    await this.links.send(session, message);
  }

  private record(session: string, data: Record<string, unknown>): void {
    this.live.record(session, [{ kind: "decision", at: new Date().toISOString(), data }]);
  }

  /** Every pending request of every session, oldest first. */
  pending(sessions: string[]): (PendingRequest & { session: string })[] {
    return sessions
      .flatMap((session) => this.live.state(session).pending.map((request) => ({ ...request, session })))
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }
}

export type { RuleDecision };
