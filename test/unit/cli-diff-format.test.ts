import { expect, test } from "bun:test";
import { formatFileDiff, formatStat } from "../../src/cli/commands/diff.ts";
import type { DiffStat } from "../../src/core/sessions/diff-types.ts";

// What `csm diff` prints, from the shapes alone: the table, the summary, the coloured diff.

const stat: DiffStat = {
  session: "web",
  baseRef: "main",
  mergeBase: "0123456789abcdef0123456789abcdef01234567",
  ahead: 1,
  behind: 3,
  added: 12,
  removed: 4,
  files: [
    { path: "src/app.ts", oldPath: null, status: "modified", binary: false, added: 10, removed: 4 },
    { path: "logo.png", oldPath: null, status: "added", binary: true, added: 0, removed: 0 },
    { path: "b.txt", oldPath: "a.txt", status: "renamed", binary: false, added: 0, removed: 0 },
    { path: "evil\x1b[2J.txt", oldPath: null, status: "untracked", binary: false, added: 2, removed: 0 },
  ],
};

test("the table lines up, binary files say so, and the summary counts", () => {
  expect(formatStat(stat)).toEqual([
    "modified   +10 -4  src/app.ts",
    "added      binary  logo.png",
    "renamed     +0 -0  a.txt → b.txt",
    "untracked   +2 -0  evil␛[2J.txt",
    "4 files, +12 -4; 1 commit ahead, 3 behind base main",
  ]);
  expect(formatStat({ ...stat, files: [], added: 0, removed: 0, ahead: 0, behind: 0 })).toEqual(["0 files, +0 -0; 0 commits ahead, 0 behind base main"]);
});

const tags = { header: (t: string) => `<h>${t}`, hunk: (t: string) => `<@>${t}`, added: (t: string) => `<+>${t}`, removed: (t: string) => `<->${t}` };

test("a diff is made printable first, then coloured by line: headers, hunks, added and removed", () => {
  const diff = ["diff --git a/x b/x", "--- a/x", "+++ b/x", "@@ -1,2 +1,2 @@", " same", "-old", "+new \x1b]0;title\x07", "--- a removed line that looks like a header", ""].join("\n");
  expect(formatFileDiff({ path: "x", binary: false, diff }, tags)).toEqual([
    "<h>diff --git a/x b/x",
    "<h>--- a/x",
    "<h>+++ b/x",
    "<@>@@ -1,2 +1,2 @@",
    " same",
    "<->-old",
    "<+>+new ␛]0;title␇",
    "<->--- a removed line that looks like a header",
  ]);
  expect(formatFileDiff({ path: "logo.png", binary: true, diff: "" }, tags)).toEqual([]);
});
