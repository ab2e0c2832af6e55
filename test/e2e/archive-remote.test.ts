import { expect, setDefaultTimeout, test } from "bun:test";
import { makeRemoteSandbox } from "../helpers/remote.ts";

// The archive of another machine, through the real sshd: devbox's csm keeps the record of
// its own sessions; `--host devbox` asks it.

setDefaultTimeout(60_000);

test("a session killed on devbox is in devbox's archive, listed and shown from here", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  expect(await sb.csm(["create", "faraway", "--host", "devbox"])).toMatchObject({ code: 0 });
  expect((await sb.csm(["kill", "faraway@devbox", "--force"])).code).toBe(0);

  const listed = await sb.csm(["archive", "--host", "devbox", "--json"]);
  expect(listed.stderr).toBe("");
  const entries = JSON.parse(listed.stdout) as { name: string; host: string; endReason: string }[];
  expect(entries).toEqual([expect.objectContaining({ name: "faraway", endReason: "killed by the user (csm kill)" })]);
  // This machine's own archive is another one; --all-hosts shows both.
  expect(JSON.parse((await sb.csm(["archive", "--json"])).stdout)).toEqual([]);
  const everywhere = JSON.parse((await sb.csm(["archive", "--all-hosts", "--json"])).stdout) as { name: string; host: string }[];
  expect(everywhere.map((entry) => `${entry.name}@${entry.host}`)).toEqual(["faraway@devbox"]);

  const shown = await sb.csm(["archive", "show", "faraway", "--host", "devbox"]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain("killed by the user");
});
