import { expect, test, setDefaultTimeout } from "bun:test";
import { makeRemoteSandbox } from "../helpers/remote.ts";

// Real tmux, git and sshd: slower than bun's 5 s default on a loaded 2-core machine.
setDefaultTimeout(60_000);

test("`create --host H --mode headless` reaches the remote csm with its --mode", async () => {
  // The remote's own sessionMode is native: only the forwarded flag makes the session
  // headless (the stand-in claude speaks stream-json only).
  await using remote = await makeRemoteSandbox({ remoteEnv: { CSM_SESSION_MODE: "native" } });
  const { sb } = remote;
  const created = await sb.csm(["create", "far", "--host", "devbox", "--mode", "headless", "--json"]);
  expect(created).toMatchObject({ code: 0 });
  expect(JSON.parse(created.stdout)).toMatchObject({ name: "far", mode: "headless" });
  const listed = JSON.parse((await sb.csm(["list", "--host", "devbox", "--json"])).stdout) as { name: string; mode?: string }[];
  expect(listed.map((s) => [s.name, s.mode])).toEqual([["far", "headless"]]);
});
