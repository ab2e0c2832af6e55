import type { Context } from "../core/context.ts";
import type { PendingRequest } from "../core/live/live-state.ts";
import { buildAlwaysRules, describeRule, evaluateRules, withAlwaysRules, type RuleDecision } from "../core/rules/index.ts";
import { parsePreToolUse, preToolUseResponse, preToolUseVerdict } from "../core/rules/pre-tool-use.ts";
import { resolveRealPath } from "../host/real-path.ts";
import { updateConfig } from "../config/write.ts";
import type { ToolRule } from "../config/schema.ts";
import { allowResponse, denyResponse, type ControlResponse } from "../link/protocol.ts";
import type { AgentLinks, ToolRequestMessage } from "./agent-link.ts";
import { httpError } from "./http.ts";
import type { LiveSessions } from "./live-sessions.ts";
import type { RuleSource } from "../core/rules/rule-source.ts";

// Tool approval: rules first (in the hub, as the request arrives), then a person. A
// request the rules leave at `ask` stays pending until someone answers it by its id;
// nothing times out on its own (claude waits). Every decision is an event: which
// request, who decided, and for rules which rule and why.
//
// A request stays pending until its answer has reached claude: an answer given while
// the link is down (a hub restart, a bridge reconnecting) waits for the relink, and the
// decision is recorded only once delivered. One answer at a time per request.

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

/** A hub restart and a bridge's backoff (≤ 2 s) take a few seconds; an answer waits this long for them. */
export const RELINK_TIMEOUT_MS = 10_000;

interface ToolRequest {
  requestId: string;
  toolName: string;
  input: Record<string, unknown>;
}

const fromMessage = (message: ToolRequestMessage): ToolRequest => ({ requestId: message.request_id, toolName: message.request.tool_name, input: message.request.input });

export class Approvals {
  /** `session\nrequestId` of answers on their way to claude. */
  private readonly answering = new Set<string>();

  constructor(
    private readonly ctx: Context,
    private readonly live: LiveSessions,
    private readonly links: AgentLinks,
    private readonly rules: RuleSource,
  ) {}

  /**
   * The session's worktree, and the rules that may decide for it. A session csm has no
   * record of (killed while its claude still asks) has no worktree for a relative pattern
   * to mean: only deny and ask rules apply to it, matched from `/`, so `src/**` allowed can
   * never come to mean `/src/**`.
   */
  private scopeOf(session: string, rules: readonly ToolRule[]): { worktree: string; rules: readonly ToolRule[] } {
    const worktree = this.ctx.sessions().get(this.ctx.host.hostName, session)?.worktree;
    return worktree ? { worktree, rules } : { worktree: "/", rules: rules.filter((rule) => rule.action !== "allow") };
  }

  /** Called for each new can_use_tool: the rules settle what they can, at once. */
  async onToolRequest(session: string, message: ToolRequestMessage): Promise<void> {
    await this.decideByRules(session, fromMessage(message));
  }

  private async decideByRules(session: string, request: ToolRequest): Promise<void> {
    if (this.answering.has(answerKey(session, request.requestId))) return;
    const { rules, error } = await this.rules.get();
    if (error) {
      this.record(session, { event: "rules_unusable", requestId: request.requestId, error });
      return;
    }
    const scope = this.scopeOf(session, rules);
    const decision = evaluateRules(scope.rules, { toolName: request.toolName, input: request.input, worktree: scope.worktree, realPath: resolveRealPath });
    if (decision.action === "ask") return;
    await this.settle(session, {
      requestId: request.requestId,
      toolName: request.toolName,
      action: decision.action,
      by: "rule",
      ruleIndex: decision.ruleIndex,
      rule: decision.rule,
      reason: decision.reason,
    }, request.input);
  }

  /**
   * After a (re)link: make the pending list what claude really waits on (the bridge says;
   * sdk-url cannot, so its list is kept), and let the rules decide what no hub decided yet,
   * e.g. a request that arrived just before the previous hub died.
   */
  reconcile(session: string, open: ToolRequestMessage[] | null): void {
    const at = new Date().toISOString();
    if (open) {
      const state = this.live.state(session);
      const waiting = new Set(open.map((message) => message.request_id));
      const gone = state.pending.filter((p) => !waiting.has(p.requestId) && !this.answering.has(answerKey(session, p.requestId)));
      const withdrawn = gone.map((p) => ({ kind: "link" as const, at, data: { event: "request_withdrawn", requestId: p.requestId, reason: "claude is no longer waiting for it" } }));
      const known = new Set(state.pending.map((p) => p.requestId));
      const missing = open.filter((message) => !known.has(message.request_id)).map((message) => ({ kind: "claude" as const, at, data: message }));
      if (withdrawn.length + missing.length > 0) this.live.record(session, [...withdrawn, ...missing]);
    }
    for (const request of this.live.state(session).pending) void this.decideByRules(session, request).catch(() => undefined);
  }

  /**
   * claude's PreToolUse hook, for sessions whose claude calls the hub directly (sdk-url;
   * a bridge answers its own claude's hook): deny rules hold before any tool runs.
   */
  async preToolUse(session: string, payload: unknown): Promise<Record<string, unknown>> {
    const call = parsePreToolUse(payload);
    if (!call) return {};
    const source = await this.rules.get();
    const scope = this.scopeOf(session, source.rules);
    const verdict = preToolUseVerdict({ ...source, rules: scope.rules }, call, { worktree: scope.worktree, realPath: resolveRealPath });
    if (verdict.kind === "deny") this.live.record(session, [{ kind: "decision", at: new Date().toISOString(), data: verdict.decision }]);
    return preToolUseResponse(verdict);
  }

  /** A person's answer, by request id; `always` first adds rules built from the request. */
  async answer(session: string, requestId: string, action: "allow" | "deny", options: { message?: string; always?: boolean } = {}): Promise<Decision> {
    const request = this.live.state(session).pending.find((p) => p.requestId === requestId);
    if (!request) throw httpError("NotPending", `${session} has no pending request ${requestId} (already answered, withdrawn, or never made)`, { session, requestId });
    // Claimed from here, before anything awaits: a second answer meanwhile is refused, not lost.
    const key = answerKey(session, requestId);
    if (!this.claim(key)) throw httpError("AlreadyAnswering", `${session}'s request ${requestId} is being answered already`, { session, requestId });
    try {
      return await this.answerClaimed(session, request, action, options);
    } finally {
      this.answering.delete(key);
    }
  }

  private async answerClaimed(session: string, request: PendingRequest, action: "allow" | "deny", options: { message?: string; always?: boolean }): Promise<Decision> {
    if (action === "allow") await this.denyIfARuleDenies(session, request);
    const addedRules = options.always ? await this.addAlwaysRules(session, request, action) : undefined;
    const decision: Decision = {
      requestId: request.requestId,
      toolName: request.toolName,
      action,
      by: "person",
      ruleIndex: null,
      rule: null,
      reason: options.always ? `answered in csm, and added ${addedRules!.length} rule(s)` : "answered in csm",
      message: action === "deny" ? (options.message ?? "Denied by the user in csm") : undefined,
      addedRules,
    };
    await this.deliverDecision(session, decision, request.input);
    return decision;
  }

  /**
   * Deny means deny: a deny rule added since the request came (the rules decided it then)
   * holds over a person's allow. The request is denied by that rule, and the person told.
   */
  private async denyIfARuleDenies(session: string, request: PendingRequest): Promise<void> {
    const { rules, error } = await this.rules.get();
    if (error) return;
    const scope = this.scopeOf(session, rules);
    const verdict = evaluateRules(scope.rules, { toolName: request.toolName, input: request.input, worktree: scope.worktree, realPath: resolveRealPath });
    if (verdict.action !== "deny" || verdict.rule === null || verdict.ruleIndex === null) return;
    const decision: Decision = {
      requestId: request.requestId,
      toolName: request.toolName,
      action: "deny",
      by: "rule",
      ruleIndex: verdict.ruleIndex,
      rule: verdict.rule,
      reason: `${verdict.reason} (a person allowed it, but a deny rule holds)`,
    };
    await this.deliverDecision(session, decision, request.input);
    throw httpError("DeniedByRule", `not allowed: ${describeRule(verdict.rule, verdict.ruleIndex)} denies it, so ${session}'s request ${request.requestId} was denied (change the rules to allow it)`, {
      session,
      requestId: request.requestId,
    });
  }

  private async addAlwaysRules(session: string, request: PendingRequest, action: "allow" | "deny"): Promise<ToolRule[]> {
    const { rules, error } = await this.rules.get();
    if (error) throw httpError("RulesBroken", `cannot add a rule while the rule list is broken: ${error}`);
    const worktree = this.ctx.sessions().get(this.ctx.host.hostName, session)?.worktree;
    if (!worktree) throw httpError("WorktreeGone", `csm has no record of ${session}, so no worktree for a rule's paths to be relative to: answer without always`, { session });
    const added = buildAlwaysRules(
      { toolName: request.toolName, input: request.input, permissionSuggestions: request.suggestions, worktree, realPath: resolveRealPath },
      action,
      rules,
    );
    const paths = this.ctx.settings.paths;
    await updateConfig(this.ctx.host.files, paths.configFile, `${paths.stateDir}/locks/config.lock`, (raw) => {
      raw.toolApprovalRules = withAlwaysRules((raw.toolApprovalRules as ToolRule[] | undefined) ?? [], added);
    });
    return added;
  }

  /** One answer at a time per request: true when this caller may answer it. */
  private claim(key: string): boolean {
    if (this.answering.has(key)) return false;
    this.answering.add(key);
    return true;
  }

  /** A rule's decision; skipped when someone is already answering the request. */
  private async settle(session: string, decision: Decision, input: Record<string, unknown>): Promise<void> {
    const key = answerKey(session, decision.requestId);
    if (!this.claim(key)) return;
    try {
      // A person may have answered while the rules were read: claude gets one answer, the log one decision.
      if (!this.live.state(session).pending.some((p) => p.requestId === decision.requestId)) return;
      await this.deliverDecision(session, decision, input);
    } finally {
      this.answering.delete(key);
    }
  }

  /** Delivers the answer to claude, then records the decision: never a decision claude did not get. */
  private async deliverDecision(session: string, decision: Decision, input: Record<string, unknown>): Promise<void> {
    if (decision.action === "deny" && decision.by === "rule") {
      decision.message = `Denied by csm rule ${describeRule(decision.rule!, decision.ruleIndex!)}: ${decision.reason}`;
    }
    const message = decision.action === "allow" ? allowResponse(decision.requestId, input) : denyResponse(decision.requestId, decision.message!);
    await this.deliver(session, decision.requestId, message, { event: "decision", ...decision });
  }

  /** Sends an answer once the session is linked; the request stays pending if it cannot be. */
  private async deliver(session: string, requestId: string, message: ControlResponse, decision: Record<string, unknown>): Promise<void> {
    const stillPending = () => this.live.state(session).pending.some((p) => p.requestId === requestId);
    const linked = await this.links.waitForLink(session, RELINK_TIMEOUT_MS, stillPending);
    // Looked at again once linked: the relink replays what the bridge did meanwhile, and an
    // answer a hub before this one sent may have settled the request.
    if (!stillPending()) throw httpError("NotPending", `${session}'s request ${requestId} was answered or withdrawn while csm waited for claude's link`, { session, requestId });
    if (!linked) throw httpError("NotLinked", `${session} is not linked to the hub (waited ${RELINK_TIMEOUT_MS / 1000} s); the request is still pending: answer it again once claude is linked`, { session, requestId });
    await this.links.send(session, message, decision);
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

const answerKey = (session: string, requestId: string) => `${session}\n${requestId}`;
