// Every failure a user can meet, declared once: its name, the exit code the CLI ends with,
// and the HTTP status the API answers with. The hub, the CLI (also for an error that came
// back from a hub) and the dashboard go by this table, so one failure reads and ends the
// same wherever it is met.

interface ErrorKind {
  exit: number;
  http: number;
}

const badInput = { exit: 2, http: 400 };
const conflict = { exit: 1, http: 409 };
const failed = { exit: 1, http: 500 };
const unavailable = { exit: 1, http: 503 };

export const ERROR_KINDS = {
  // Bad input: nothing was touched.
  UsageError: badInput,
  InvalidName: badInput,
  BadField: badInput,
  BadJson: badInput,
  NotWebSocket: badInput,
  AmbiguousSession: { exit: 2, http: 409 },
  AmbiguousRequest: { exit: 2, http: 409 },
  /** An id prefix or title that several conversations match. */
  AmbiguousConversation: { exit: 2, http: 409 },
  HelpRequested: { exit: 0, http: 400 },
  BodyTooLarge: { exit: 2, http: 413 },
  ConfigInvalid: { exit: 78, http: 400 },
  RulesInvalid: { exit: 78, http: 400 },
  /** The config's rule list is broken, so nothing can be added to it. */
  RulesBroken: { exit: 78, http: 409 },
  // Nothing by that name.
  NotFound: { exit: 1, http: 404 },
  RepoNotFound: { exit: 1, http: 400 },
  NotAGitRepo: { exit: 1, http: 400 },
  BaseNotFound: { exit: 1, http: 400 },
  PathUnresolvable: { exit: 1, http: 400 },
  /** `csm merge --into` names no branch of the repository. */
  TargetNotFound: { exit: 1, http: 400 },
  BranchNotFound: { exit: 1, http: 400 },
  PullRequestNotFound: { exit: 1, http: 400 },
  NoSuchConversation: { exit: 1, http: 404 },
  // The state of things says no.
  SessionExists: conflict,
  WorktreeExists: conflict,
  UnsavedWork: conflict,
  /** The session's worktree was removed behind csm's back. */
  WorktreeGone: conflict,
  NotPending: conflict,
  Undeliverable: conflict,
  NothingPending: conflict,
  SeveralPending: conflict,
  AlreadyAnswering: conflict,
  /** A person allowed what a deny rule (added since the request came) matches: it was denied. */
  DeniedByRule: conflict,
  NotLinked: conflict,
  NotRunning: conflict,
  StillRunning: conflict,
  LockBusy: conflict,
  RuleNotBuildable: conflict,
  HubAlreadyRunning: conflict,
  /** A --no-worktree session (or a branch gone): nothing of its own to merge or push. */
  NoBranch: conflict,
  /** Uncommitted changes in the session's worktree would be left out of a merge or push. */
  UncommittedWork: conflict,
  /** The checkout a merge happens in is dirty or on another branch. */
  TargetNotClean: conflict,
  MergeConflict: conflict,
  /** git refused a merge or rebase for another reason (a hook, no identity); it was undone. */
  MergeFailed: conflict,
  PushRejected: conflict,
  BranchCheckedOut: conflict,
  BranchExists: conflict,
  PortsExhausted: conflict,
  /** A claude process outside csm writes the conversation: a second writer would ruin it. */
  ConversationLive: conflict,
  /** The conversation's working directory is gone (a removed worktree). */
  ConversationCwdGone: conflict,
  /** Something exists again where a trashed conversation came from, or its copy is damaged. */
  RestoreRefused: conflict,
  /** `csm move`: the target has another copy, or its pathMap lacks a placeholder; nothing was written. */
  MoveRefused: conflict,
  // Something else failed or is out of reach.
  NotDelivered: { exit: 1, http: 504 },
  HostUnreachable: unavailable,
  RemoteRefused: conflict,
  HubUnreachable: unavailable,
  HubNotStarted: unavailable,
  HubNotAnswering: unavailable,
  HubCannotListen: failed,
  RemoteCsmMissing: unavailable,
  /** Another host's hub answered with something that is neither JSON nor an event stream. */
  RemoteAnswerInvalid: { exit: 1, http: 502 },
  StoreDamaged: failed,
  ToolMissing: failed,
  SetupScriptFailed: failed,
  /** The trash cannot be written (read-only, full disk): nothing was moved. */
  TrashUnusable: failed,
  TeardownScriptFailed: failed,
  CleanupFailed: failed,
  /** A hub's error whose name this csm does not know (a newer csm on another host). */
  HubError: failed,
} as const satisfies Record<string, ErrorKind>;

export type ErrorName = keyof typeof ERROR_KINDS;

export const isErrorName = (name: unknown): name is ErrorName => typeof name === "string" && Object.hasOwn(ERROR_KINDS, name);
