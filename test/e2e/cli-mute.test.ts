import { expect, setDefaultTimeout, test } from "bun:test";
import { makeRemoteSandbox } from "../helpers/remote.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// `csm mute` goes to the host its session is on, as the other session commands do: the
// remote csm stores it, and the remote's list says so. A name no host has is one line.

setDefaultTimeout(60_000);

const mutedOn = async (remote: Awaited<ReturnType<typeof makeRemoteSandbox>>, name: string) => {
  const listed = await remote.sb.csm(["list", "--json", "--host", "devbox"]);
  expect(listed).toMatchObject({ code: 0 });
  return (JSON.parse(listed.stdout) as { name: string; muted?: boolean }[]).find((s) => s.name === name)?.muted;
};

test("mute and unmute a session on a remote host, by NAME@HOST and by a bare name; an unknown name is refused", async () => {
  await using remote = await makeRemoteSandbox();
  const { sb } = remote;
  expect(await sb.csm(["create", "far", "--host", "devbox"])).toMatchObject({ code: 0 });
  expect(await mutedOn(remote, "far")).toBe(false);

  const muted = await sb.csm(["mute", "far@devbox"]);
  expect(muted).toMatchObject({ code: 0, stdout: expect.stringContaining("muted far") });
  expect(await mutedOn(remote, "far")).toBe(true);
  // Nothing of it on this machine.
  expect((JSON.parse((await sb.csm(["list", "--json", "--host", "local"])).stdout) as unknown[]).length).toBe(0);

  expect(await sb.csm(["unmute", "far"])).toMatchObject({ code: 0, stdout: expect.stringContaining("unmuted far") });
  expect(await mutedOn(remote, "far")).toBe(false);

  expect(await sb.csm(["mute", "nosuch"])).toEqual({ code: 1, stdout: "", stderr: 'csm: no session "nosuch" on any host (see `csm list`)\n' });
  expect(await sb.csm(["mute", "nosuch@devbox"])).toEqual({ code: 1, stdout: "", stderr: 'csm: no session "nosuch" on devbox (see `csm list`)\n' });
});

test("mute or unmute of an unknown session, with no other host: one line saying so, exit 1", async () => {
  await using sb = await makeSandbox();
  for (const command of ["mute", "unmute"]) {
    const refused = await sb.csm([command, "nosuch"]);
    expect({ command, code: refused.code, stdout: refused.stdout }).toEqual({ command, code: 1, stdout: "" });
    expect(refused.stderr).toBe('csm: no session named "nosuch"; see `csm list`\n');
  }
});
