import { shouldNotify, STATUS_OF, transitionOf } from "./decide.ts";
import type { NotifyKind, SessionFacts } from "./notification.ts";

// One notification per session per change, and only for a change that holds: a request
// the rules allow makes a session "waiting" for a few milliseconds, and a person must not
// be called for that. So a change waits `settleMs`; if the session has moved on by then
// (the rules answered, the next request came in the same wait), nothing is sent, or the
// newest change is. Mute and the `on` list are read when it is sent, so `csm mute` during
// the wait still counts. Time comes in through `schedule`, so the tests need no clock.

export interface TrackerOptions {
  settleMs: number;
  /** Which kinds to send, read at each send (the config can change while the hub runs). */
  on(): readonly NotifyKind[];
  schedule(delayMs: number, work: () => void): void;
  now(): Date;
  /** A change that held: the caller words it (notificationFor; the browser its own way). */
  emit(kind: NotifyKind, facts: SessionFacts, at: Date): void;
}

interface Candidate {
  kind: NotifyKind;
  facts: SessionFacts;
  generation: number;
}

export const sessionKeyOf = (facts: { host: string; name: string }) => `${facts.host}/${facts.name}`;

export class NotifyTracker {
  private readonly statuses = new Map<string, SessionFacts["status"]>();
  private readonly candidates = new Map<string, Candidate>();
  private readonly latest = new Map<string, SessionFacts>();
  private generation = 0;

  constructor(private readonly options: TrackerOptions) {}

  /** A session's view after a change. */
  observe(facts: SessionFacts): void {
    const key = sessionKeyOf(facts);
    const previous = this.statuses.get(key);
    this.statuses.set(key, facts.status);
    this.latest.set(key, facts);
    const kind = transitionOf(previous, facts.status);
    if (kind) {
      const candidate = { kind, facts, generation: ++this.generation };
      this.candidates.set(key, candidate);
      this.options.schedule(this.options.settleMs, () => this.settle(key, candidate.generation));
      return;
    }
    const candidate = this.candidates.get(key);
    if (candidate && STATUS_OF[candidate.kind] !== facts.status) this.candidates.delete(key);
  }

  /** A session that is gone (killed): nothing more about it. */
  forget(host: string, name: string): void {
    const key = sessionKeyOf({ host, name });
    this.statuses.delete(key);
    this.candidates.delete(key);
    this.latest.delete(key);
  }

  private settle(key: string, generation: number): void {
    const candidate = this.candidates.get(key);
    if (!candidate || candidate.generation !== generation) return;
    this.candidates.delete(key);
    // The newest view: its pending count, its muted flag.
    const facts = this.latest.get(key) ?? candidate.facts;
    if (facts.status !== STATUS_OF[candidate.kind]) return;
    if (!shouldNotify(candidate.kind, facts.muted, this.options.on())) return;
    this.options.emit(candidate.kind, facts, this.options.now());
  }
}
