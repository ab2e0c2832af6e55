import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { textReply } from "../fixtures/fake-anthropic.ts";
import { makeLiveSandbox, REAL_CLAUDE } from "../helpers/live.ts";

// /api/trash and POST /api/conversations/:id/rename over the real claude's transcripts.

setDefaultTimeout(60_000);

test("trash listed and restored through the API; a conversation renamed through the API", async () => {
  await using live = await makeLiveSandbox();
  const dir = join(live.sb.paths.root, "work");
  mkdirSync(dir);
  live.fake.reply(textReply("ok then"));
  for (const prompt of ["/cost", "name me later"]) {
    expect(await Bun.spawn([REAL_CLAUDE, "-p", prompt], { cwd: dir, env: live.claudeEnv, stdout: "pipe", stderr: "pipe" }).exited).toBe(0);
  }
  const moved = JSON.parse((await live.sb.csm(["gc", "--apply", "--json"], { env: live.claudeEnv })).stdout) as { moved: { id: string; entry: string }[] };
  expect(moved.moved).toHaveLength(1);
  expect((await live.sb.csm(["server", "start"], { env: live.claudeEnv })).code).toBe(0);

  const trash = await live.api<{ id: string; host: string; reason: string }[]>("GET", "/api/trash");
  expect(trash.status).toBe(200);
  expect(trash.body).toEqual([expect.objectContaining({ id: moved.moved[0]!.id, host: "local", reason: "husk: only local commands" })]);
  const unknown = await live.api<{ error: { name: string } }>("POST", "/api/trash/..%2F..%2Fetc/restore");
  expect([unknown.status, unknown.body.error.name]).toEqual([404, "NoSuchConversation"]);
  const restored = await live.api<{ id: string; path: string }>("POST", `/api/trash/${moved.moved[0]!.id.slice(0, 8)}/restore`);
  expect(restored.status).toBe(200);
  expect(existsSync(restored.body.path)).toBe(true);
  expect((await live.api<unknown[]>("GET", "/api/trash")).body).toEqual([]);

  const [named] = (await live.sb.waitFor(
    async () => {
      const reply = await live.api<{ conversations: { id: string; turns: number; path: string }[] }>("GET", "/api/conversations?host=local");
      const talked = reply.body.conversations.filter((c) => c.turns === 1);
      return talked.length === 1 ? talked : undefined;
    },
    { what: "the indexed conversation" },
  ))!;
  const bad = await live.api<{ error: { name: string } }>("POST", `/api/conversations/${named!.id}/rename`, { title: "x\u001b[2Jy" });
  expect(bad.status).toBe(400);
  const renamed = await live.api<{ title: string; by: string }>("POST", `/api/conversations/${named!.id}/rename`, { title: "named through the API" });
  expect(renamed.status).toBe(200);
  expect(renamed.body).toMatchObject({ title: "named through the API", by: "csm" });
  expect(readFileSync(named!.path, "utf8")).toContain('"customTitle":"named through the API"');
});
