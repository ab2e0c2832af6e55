import { expect, test } from "bun:test";
import { explainPushFailure } from "../../src/core/sessions/push-failure.ts";

// `git push` stderr recorded from git 2.39 (see the file names): each failure becomes one
// line that says why.

const fixture = (name: string) => Bun.file(new URL(`../fixtures/recorded/${name}`, import.meta.url)).text();

test("a remote ahead of the branch is a non-fast-forward, whether git or the remote says so", async () => {
  for (const file of ["git-push-non-fast-forward.txt", "git-push-remote-rejected.txt"]) {
    const failure = explainPushFailure(await fixture(file), "origin", "csm/x");
    expect([file, failure.kind]).toEqual([file, "non-fast-forward"]);
    expect(failure.reason).toBe("origin has commits on csm/x that this branch lacks (non-fast-forward): merge or rebase them in first");
  }
});

test("a hook's refusal gives the hook's reason", async () => {
  expect(explainPushFailure(await fixture("git-push-hook-declined.txt"), "origin", "csm/x")).toEqual({
    kind: "remote-rejected",
    reason: "origin refused csm/x: pre-receive hook declined",
  });
});

test("a key the server does not take is an authentication failure", async () => {
  const failure = explainPushFailure(await fixture("git-push-auth-denied.txt"), "origin", "csm/x");
  expect(failure.kind).toBe("auth");
  expect(failure.reason).toContain("Permission denied (publickey)");
});

test("no repository there, or no answer, is unreachable", async () => {
  expect(explainPushFailure(await fixture("git-push-no-repository.txt"), "backup", "b")).toEqual({
    kind: "unreachable",
    reason: "backup cannot be reached: '/tmp/px/missing.git' does not appear to be a git repository",
  });
  expect(explainPushFailure(await fixture("git-push-connection-refused.txt"), "origin", "b")).toMatchObject({ kind: "unreachable", reason: expect.stringContaining("Connection refused") });
});

test("anything else is git's own first error line", () => {
  expect(explainPushFailure("hint: something\nerror: src refspec x does not match any\nerror: failed to push some refs to 'o'\n", "o", "x")).toEqual({
    kind: "other",
    reason: "src refspec x does not match any",
  });
  expect(explainPushFailure("", "o", "x")).toEqual({ kind: "other", reason: "git push failed" });
});
