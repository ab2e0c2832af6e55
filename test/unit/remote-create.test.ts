import { expect, test } from "bun:test";
import { remoteCommand } from "../../src/host/remote-command.ts";
import { remoteCreateArgs } from "../../src/hub/remote-create.ts";

// POST /api/sessions on an SSH host becomes `csm create` there: every value one argument,
// whatever it holds, and the host's defaultRepo when the request names none.

test("every value is one --flag=value argument; absent ones are left out; the host's defaultRepo fills in", () => {
  expect(remoteCreateArgs({ name: "far", prompt: "--help; rm -rf ~ $(id)", mode: "native" }, "/srv/app")).toEqual([
    "create",
    "far",
    "--host",
    "local",
    "--json",
    "--repo=/srv/app",
    "--prompt=--help; rm -rf ~ $(id)",
    "--mode=native",
  ]);
  expect(remoteCreateArgs({ name: "far", repo: "/x y", pr: 12, remote: "up" }, "/srv/app")).toEqual(["create", "far", "--host", "local", "--json", "--repo=/x y", "--pr=12", "--remote=up"]);
  // Quoted for the remote shell by the one quoting function: nothing in a value runs there.
  expect(remoteCommand(["csm", ...remoteCreateArgs({ name: "far", prompt: "it's $(id)" }, undefined)])).toContain(`'--prompt=it'\\''s $(id)'`);
});
