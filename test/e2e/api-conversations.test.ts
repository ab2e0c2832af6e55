import { expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ConversationInfo } from "../../src/core/conversations/conversation-record.ts";
import { conversation, conversations, type ConversationsReply } from "../../src/hub-client/api.ts";
import { HubClient } from "../../src/hub-client/client.ts";
import type { HubInfo } from "../../src/hub-client/hub-files.ts";
import { lastUserText, prepareClaudeEnv, startFakeAnthropic, textReply } from "../fixtures/fake-anthropic.ts";
import { conversationByHand, makeLiveSandbox, REAL_CLAUDE, type LiveSandbox } from "../helpers/live.ts";
import { makeRemoteSandbox } from "../helpers/remote.ts";
import { freePort, type Sandbox } from "../helpers/sandbox.ts";

// /api/conversations over the real claude's transcripts (fake API): the hub's worker indexes
// them, the API lists, searches and describes them, and resumes one as a linked session.
// A configured host that cannot be reached is named in `hosts`; this host still answers.
setDefaultTimeout(60_000);

type ApiError = { error: { name: string; message: string; data: { field?: string } } };


test("list, search, info and resume through the API; every configured host is asked", async () => {
  await using live = await makeLiveSandbox();
  const notes = await conversationByHand(live, "notes", "remember the word pelican", "Pelicans noted.");
  const colours = await conversationByHand(live, "colours", "pick a colour called teal", "Teal it is.");
  await live.sb.writeConfig({ hosts: { down: { host: "127.0.0.1", port: freePort(), user: "nobody" } } });
  // The hub gets claude's environment: it indexes that CLAUDE_CONFIG_DIR, and sessions it starts reach the fake API.
  expect((await live.sb.csm(["server", "start"], { env: live.claudeEnv })).code).toBe(0);

  const listed = await live.sb.waitFor(
    async () => {
      const reply = await live.api<ConversationsReply>("GET", "/api/conversations");
      return reply.body.conversations?.length === 2 ? reply : undefined;
    },
    { what: "the indexer's first pass", timeoutMs: 20_000 },
  );
  expect(listed.status).toBe(200);
  expect(listed.body.conversations.map((c) => [c.cwd, c.title, c.state, c.host])).toEqual([
    [colours, "pick a colour called teal", "transcript", "local"],
    [notes, "remember the word pelican", "transcript", "local"],
  ]);
  const [teal, pelican] = listed.body.conversations;
  expect(listed.body.hosts[0]).toEqual({ host: "local", error: null });
  expect(listed.body.hosts[1]!.host).toBe("down");
  expect(listed.body.hosts[1]!.error).toContain("nobody@127.0.0.1"); // it fails before connecting: no key

  // This host only; filters and limits as `csm history` has them.
  const local = await live.api<ConversationsReply>("GET", "/api/conversations?host=local&limit=1");
  expect(local.body).toEqual({ conversations: [teal!], hosts: [{ host: "local", error: null }] });
  const inNotes = await live.api<ConversationsReply>("GET", `/api/conversations?host=local&since=1d&project=${encodeURIComponent(notes)}`);
  expect(inNotes.body.conversations.map((c) => c.id)).toEqual([pelican!.id]);
  for (const [query, field] of [
    ["since=last-tuesday", "?since"],
    ["project=notes", "?project"],
    ["host=nowhere", "?host"],
    ["limit=0", "?limit"],
  ]) {
    const refused = await live.api<ApiError>("GET", `/api/conversations?${query}`);
    expect([query, refused.status, refused.body.error.name, refused.body.error.data.field]).toEqual([query, 400, "BadField", field]);
  }

  const found = await live.api<ConversationsReply>("GET", "/api/conversations?search=pelican&host=local");
  expect(found.body.conversations).toHaveLength(1);
  expect(found.body.conversations[0]).toMatchObject({ id: pelican!.id, host: "local" });
  expect(found.body.conversations[0]!.snippet).toMatch(/\x02pelican\x03/i);
  expect((await live.api<ConversationsReply>("GET", "/api/conversations?search=albatross&host=local")).body.conversations).toEqual([]);

  const info = await live.api<ConversationInfo>("GET", `/api/conversations/${pelican!.id.slice(0, 6)}`);
  expect(info.status).toBe(200);
  expect(info.body).toMatchObject({ id: pelican!.id, cwd: notes, firstPrompt: "remember the word pelican", replies: 1, ending: "ended after a reply" });
  for (const hostile of ["../../etc/passwd", "' OR 1=1 --", "%"]) {
    const missing = await live.api<ApiError>("GET", `/api/conversations/${encodeURIComponent(hostile)}?host=local`);
    expect([hostile, missing.status, missing.body.error.name]).toEqual([hostile, 404, "NoSuchConversation"]);
    expect(missing.body.error.message).not.toContain("root:");
  }
  expect((await fetch(`http://127.0.0.1:${hubInfo(live).port}/api/conversations`)).status).toBe(401);

  // The typed calls the dashboard makes.
  const client = new HubClient(hubInfo(live), readFileSync(join(live.sb.paths.configHome, "csm", "token"), "utf8").trim());
  expect((await conversations(client, { search: "teal", host: "local" })).conversations.map((c) => c.id)).toEqual([teal!.id]);
  expect((await conversation(client, teal!.id.slice(0, 8), "local")).firstPrompt).toBe("pick a colour called teal");
  expect(await conversation(client, "a/b").catch((error: Error) => error.name)).toBe("NoSuchConversation");

  live.fake.reply(textReply("You said pelican."));
  const resumed = await live.api<{ name: string; host: string; worktree: string }>("POST", `/api/conversations/${pelican!.id.slice(0, 8)}/resume`, { name: "birds" });
  expect(resumed.status).toBe(201);
  expect(resumed.body).toMatchObject({ name: "birds", host: "local", worktree: notes });
  await live.waitForSession("birds", "linked", (s) => s.linked);
  expect((await live.api("POST", "/api/sessions/birds/message", { text: "which word?" })).status).toBe(200);
  await live.waitForSession("birds", "the reply through the hub", (s) => s.lastMessage === "You said pelican.");
  const request = live.fake.requests.at(-1)!;
  expect(lastUserText(request)).toContain("which word?");
  expect(JSON.stringify(request.messages)).toContain("remember the word pelican");

  // Now csm runs it: named by its session too, and not resumed twice.
  expect((await live.api<ConversationInfo>("GET", "/api/conversations/birds?host=local")).body).toMatchObject({ id: pelican!.id, state: "csm", session: "birds" });
  const twice = await live.api<ApiError>("POST", `/api/conversations/${pelican!.id}/resume`, { host: "local" });
  expect([twice.status, twice.body.error.name]).toEqual([409, "StillRunning"]);
  const badName = await live.api<ApiError>("POST", `/api/conversations/${teal!.id}/resume`, { name: "../x", host: "local" });
  expect([badName.status, badName.body.error.name]).toEqual([400, "InvalidName"]);
});

// A conversation on devbox (the real sshd in front of a csm of its own) is found through
// devbox's csm, and resumed by devbox's hub: the session lives and links there.
test("a conversation on an SSH host: searched, described and resumed there", async () => {
  const fake = await startFakeAnthropic();
  await using _fake = { [Symbol.asyncDispose]: () => fake.stop() };
  await using remote = await makeRemoteSandbox({ remoteEnv: { CSM_CLAUDE_BIN: REAL_CLAUDE, CLAUDE_CODE_MAX_RETRIES: "0" } });
  const { sb } = remote;
  const dir = join(sb.paths.root, "devbox-work");
  mkdirSync(dir);
  const { HOME: _home, PATH: _path, ...claudeEnv } = prepareClaudeEnv({ root: join(sb.paths.root, "devbox-claude"), apiUrl: fake.url, projectDir: dir });
  fake.reply(textReply("Herons noted."));
  const proc = Bun.spawn([REAL_CLAUDE, "-p", "remember the word heron"], { cwd: dir, env: { ...claudeEnv, PATH: process.env.PATH ?? "/usr/bin:/bin" }, stdout: "pipe", stderr: "pipe" });
  expect(await proc.exited).toBe(0);
  // devbox's csm reads that claude's transcripts, and its sessions reach the fake API.
  const config = JSON.parse(readFileSync(sb.paths.configFile, "utf8")) as { hosts: { devbox: { env: Record<string, string> } } };
  Object.assign(config.hosts.devbox.env, claudeEnv);
  await sb.writeConfig(config);
  expect((await sb.csm(["server", "start"])).code).toBe(0);
  const api = apiOf(sb);

  const found = await api<ConversationsReply>("GET", "/api/conversations?search=heron");
  expect(found.body.hosts).toEqual([
    { host: "local", error: null },
    { host: "devbox", error: null },
  ]);
  expect(found.body.conversations).toEqual([expect.objectContaining({ host: "devbox", cwd: dir, title: "remember the word heron" })]);
  const id = found.body.conversations[0]!.id;
  const listed = await api<ConversationsReply>("GET", "/api/conversations?host=devbox");
  expect(listed.body.conversations.map((c) => [c.id, c.host])).toEqual([[id, "devbox"]]);
  expect((await api<ConversationInfo>("GET", `/api/conversations/${id.slice(0, 8)}`)).body).toMatchObject({ id, host: "devbox", replies: 1 });

  // The local hub reaches devbox's hub through its port forward (made in the background at start).
  await sb.waitFor(async () => (await api<{ name: string; reachable: boolean }[]>("GET", "/api/hosts")).body.find((h) => h.name === "devbox")?.reachable, { what: "devbox's hub", timeoutMs: 20_000 });
  const resumed = await api<{ name: string; host: string }>("POST", `/api/conversations/${id.slice(0, 8)}/resume`, { name: "herons" });
  expect([resumed.status, resumed.body.name, resumed.body.host]).toEqual([201, "herons", "devbox"]);
  const linked = await sb.waitFor(
    async () => {
      const session = await api<{ linked: boolean; claudeSessionId: string | null }>("GET", "/api/sessions/devbox/herons");
      return session.body.linked ? session.body : undefined;
    },
    { what: "herons linked on devbox", timeoutMs: 20_000 },
  );
  expect(linked.claudeSessionId).toBe(id);
  const twice = await api<ApiError>("POST", `/api/conversations/${id}/resume`, { host: "devbox" });
  expect([twice.status, twice.body.error.name]).toEqual([409, "StillRunning"]);
});

const hubInfo = (live: LiveSandbox) => JSON.parse(readFileSync(join(live.sb.paths.stateHome, "csm", "hub.json"), "utf8")) as HubInfo;

function apiOf(sb: Sandbox) {
  const port = (JSON.parse(readFileSync(join(sb.paths.stateHome, "csm", "hub.json"), "utf8")) as HubInfo).port;
  const token = readFileSync(join(sb.paths.configHome, "csm", "token"), "utf8").trim();
  return async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as T };
  };
}
