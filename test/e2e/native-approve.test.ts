import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bashReply, textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox, type LiveSandbox } from "../helpers/live.ts";
import { createNative, decisions, DIALOG, pendingList, press, screen, waitForScreen, type PendingEntry } from "../helpers/native.ts";

// A native session's tool request waits in two places at once: `csm pending` and claude's
// own dialog. Whoever answers first wins; the other side hears it was answered.

setDefaultTimeout(60_000);

/** A session whose first turn asks to run `command`, then says "done": returns the request once csm and claude's screen both show it. */
async function askedToRun(live: LiveSandbox, name: string, command: string): Promise<PendingEntry> {
  live.fake.reply(bashReply(command));
  live.fake.reply(textReply("done"));
  await createNative(live, name, "run it");
  await live.waitForSession(name, "waiting", (s) => s.status === "waiting" && s.pendingApprovals === 1, 30_000);
  const pending = await pendingList(live);
  expect(pending).toEqual([expect.objectContaining({ session: name, toolName: "Bash", input: expect.objectContaining({ command }) })]);
  await waitForScreen(live, name, DIALOG);
  return pending[0]!;
}

test("native: a request answered with `csm approve` runs, and claude's dialog closes", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "approved");
  await askedToRun(live, "ask", `touch ${target}`);
  expect(existsSync(target)).toBe(false);

  const approved = await live.sb.csm(["approve", "ask"]);
  expect(approved).toMatchObject({ code: 0, stdout: `allowed Bash touch ${target}\n` });
  const idle = await live.waitForSession("ask", "idle after one turn", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toBe("done");
  expect(existsSync(target)).toBe(true);
  expect(await pendingList(live)).toEqual([]);
  expect(await screen(live, "ask")).not.toContain(DIALOG);
  expect(await decisions(live, "ask")).toEqual([expect.objectContaining({ by: "person", action: "allow" })]);
});

test("native: a request answered on claude's own dialog leaves csm's list, and a late `csm approve` is refused", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "appended");
  const request = await askedToRun(live, "onscreen", `echo ran >> ${target}`);

  await press(live, "onscreen", "1");
  await live.sb.waitFor(async () => (await pendingList(live)).length === 0, { what: "csm pending to empty by itself", timeoutMs: 10_000 });
  await live.waitForSession("onscreen", "idle after one turn", (s) => s.status === "idle" && s.turns === 1);
  expect(readFileSync(target, "utf8")).toBe("ran\n");

  const late = await live.sb.csm(["approve", "onscreen", request.requestId]);
  expect(late).toMatchObject({ code: 1, stderr: "csm: onscreen has no pending requests (see `csm pending`)\n" });
  // The API the CLI uses, with the old id: a 409 that says so.
  const api = await live.api<{ error?: { name?: string; message?: string } }>("POST", "/api/sessions/onscreen/approve-tool", { requestId: request.requestId, action: "allow" });
  expect(api.status).toBe(409);
  expect(api.body.error).toMatchObject({ name: "NotPending", message: expect.stringContaining("already answered") });

  const decided = await decisions(live, "onscreen");
  expect(decided).toEqual([expect.objectContaining({ requestId: request.requestId, by: "screen", action: "allow" })]);
  expect(readFileSync(target, "utf8")).toBe("ran\n");
  expect((await live.session("onscreen")).turns).toBe(1);
});

test("native: the hub killed while a request waits; `csm pending` shows it again and `csm approve` runs it", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "appended");
  const request = await askedToRun(live, "survivor", `echo ran >> ${target}`);

  await live.killHub();
  // `csm pending` starts a new hub; the supervisor relinks to it and reports what still waits.
  const again = await live.sb.waitFor(
    async () => {
      const pending = await pendingList(live);
      return pending.length === 1 ? pending : undefined;
    },
    { what: "the request pending in the new hub", timeoutMs: 15_000, intervalMs: 200 },
  );
  expect(again).toEqual([expect.objectContaining({ session: "survivor", requestId: request.requestId, toolName: "Bash" })]);
  expect(await screen(live, "survivor")).toContain(DIALOG);

  expect(await live.sb.csm(["approve", "survivor"])).toMatchObject({ code: 0 });
  const idle = await live.waitForSession("survivor", "idle after the answer", (s) => s.status === "idle" && s.turns === 1);
  expect(idle.lastMessage).toBe("done");
  expect(readFileSync(target, "utf8")).toBe("ran\n");
  expect(await decisions(live, "survivor")).toEqual([expect.objectContaining({ requestId: request.requestId, by: "person", action: "allow" })]);
});

test("native: a message sent while claude's dialog is open is refused, never typed into the dialog", async () => {
  await using live = await makeLiveSandbox();
  const target = join(live.sb.paths.root, "never-by-typing");
  await askedToRun(live, "guarded", `touch ${target}`);
  // "1" then Enter would pick "1. Yes" in claude's dialog.
  const sent = await live.sb.csm(["send", "guarded", "1"]);
  expect(sent.code).toBe(1);
  expect(sent.stderr).toContain("claude shows a dialog");
  await Bun.sleep(500);
  expect(existsSync(target)).toBe(false);
  expect(await screen(live, "guarded")).toContain(DIALOG);
  expect(await pendingList(live)).toHaveLength(1);
});
