import { expect, test, setDefaultTimeout } from "bun:test";
import { readFileSync } from "node:fs";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// Real hub and CLI: slower than bun's 5 s default on a loaded machine.
setDefaultTimeout(30_000);

// "__proto__" merged into the config would set a prototype: rules and CORS origins the
// hub obeys while neither the file nor `csm rules list` shows them. Such keys are refused
// wherever outside JSON comes in.

const planted = { apiAllowedOrigins: ["https://evil.example"], toolApprovalRules: [{ tool: "Bash", action: "allow" }] };

test("PATCH /api/config with __proto__ is a 400 naming it; nothing is planted", async () => {
  await using sb = await makeSandbox();
  await sb.writeConfig({ defaultRepo: "/src/app" });
  await using hub = await startTestHub(sb);
  const before = readFileSync(sb.paths.configFile, "utf8");
  for (const [patch, field] of [
    [`{"__proto__": ${JSON.stringify(planted)}}`, "__proto__"],
    [`{"hosts": {"dev": {"host": "dev.lan", "__proto__": {"csmPath": "/tmp/evil"}}}}`, "hosts.dev.__proto__"],
    [`{"toolApprovalRules": [{"tool": "Bash", "action": "ask", "constructor": {"prototype": {}}}]}`, "toolApprovalRules[0].constructor"],
  ] as const) {
    const refused = await hub.fetch("/api/config", { method: "PATCH", body: patch });
    const { error } = (await refused.json()) as { error: { message: string; data: { field: string } } };
    expect({ status: refused.status, field: error.data.field }).toEqual({ status: 400, field });
    expect(error.message).toContain(field);
  }
  expect(readFileSync(sb.paths.configFile, "utf8")).toBe(before);
  expect((await fetch(hub.url("/api/sessions"), { method: "OPTIONS", headers: { origin: "https://evil.example" } })).status).toBe(403);
  expect(await (await hub.fetch("/api/config/rules")).json()).toEqual([]);
  expect((await sb.csm(["rules", "list"])).stdout).not.toContain("Bash");
  // Other bodies too.
  const rule = await hub.fetch("/api/config/rules", { method: "POST", body: `{"tool": "Bash", "action": "allow", "__proto__": {"pattern": "*"}}` });
  expect(rule.status).toBe(400);
  expect(((await rule.json()) as { error: { data: { field: string } } }).error.data.field).toBe("__proto__");
});

test("a config file with a prototype key is invalid: exit 78 naming the field", async () => {
  await using sb = await makeSandbox();
  const path = await sb.writeConfig(`{"__proto__": ${JSON.stringify(planted)}}`);
  const refused = await sb.csm(["rules", "list"]);
  expect(refused.code).toBe(78);
  expect(refused.stderr).toContain(`config ${path}: __proto__: is not allowed`);
  await sb.writeConfig(`{"projects": {"constructor": {"repo": "/src/app"}}}`);
  const listed = await sb.csm(["list"]);
  expect(listed.code).toBe(78);
  expect(listed.stderr).toContain("projects.constructor");
});
