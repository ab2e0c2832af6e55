import { expect, test } from "bun:test";
import { createBodyOf, emptyCreateFields, type CreateFields } from "../../src/web/app/create-body.ts";

// The web create dialog sends what `csm create` takes: empty fields are left to the hub,
// and base, branch and PR exclude each other before the hub is asked.

const fields = (values: Partial<CreateFields>): CreateFields => ({ ...emptyCreateFields("local"), ...values });

test("empty fields are left out; branch, pr and remote go as the API takes them", () => {
  expect(createBodyOf(fields({ name: " api ", repo: "/r" }))).toEqual({ body: { name: "api", repo: "/r", host: "local" } });
  expect(createBodyOf(fields({ name: "api", branch: " feature/x " }))).toEqual({ body: { name: "api", branch: "feature/x", host: "local" } });
  expect(createBodyOf(fields({ name: "pr-42", pr: "42", remote: "upstream" }))).toEqual({ body: { name: "pr-42", pr: 42, remote: "upstream", host: "local" } });
});

test("only one of base, branch and PR; a PR is digits; a remote needs a PR", () => {
  expect(createBodyOf(fields({ name: "a", base: "main", branch: "feature/x" }))).toEqual({ error: "fill one of base, branch and PR, not base and branch" });
  expect(createBodyOf(fields({ name: "a", branch: "x", pr: "7" }))).toMatchObject({ error: expect.stringContaining("not branch and PR") });
  for (const pr of ["0", "7;x", "1e3", "-1", "1234567890"]) expect(createBodyOf(fields({ name: "a", pr }))).toMatchObject({ error: expect.stringContaining("PR must be") });
  expect(createBodyOf(fields({ name: "a", remote: "origin" }))).toMatchObject({ error: expect.stringContaining("goes with a PR number") });
});

test("mode goes as chosen, native or headless; left empty it is the hub's sessionMode", () => {
  expect(createBodyOf(fields({ name: "a", mode: "headless" }))).toEqual({ body: { name: "a", host: "local", mode: "headless" } });
  expect(createBodyOf(fields({ name: "a", mode: "native" }))).toEqual({ body: { name: "a", host: "local", mode: "native" } });
  expect(createBodyOf(fields({ name: "a" }))).toEqual({ body: { name: "a", host: "local" } });
  expect(createBodyOf(fields({ name: "a", mode: "bogus" }))).toEqual({ error: 'mode must be native or headless (got "bogus")' });
});
