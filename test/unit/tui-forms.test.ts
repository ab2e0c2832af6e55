import { expect, test } from "bun:test";
import { resolveKey } from "../../src/tui/keys/keys-for.ts";
import { applyPureAction } from "../../src/tui/keys/pure-actions.ts";
import { createFormView, createInputOf, focusCreateField, newCreateForm, type CreateForm } from "../../src/tui/views/create-form.ts";
import { plainText } from "../../src/tui/views/markup.ts";
import { deleteChar, initialModel, openCreate, typeText, type TuiModel } from "../../src/tui/model.ts";

test("the create form checks the name before asking the hub, and says what is wrong", () => {
  expect(createInputOf(newCreateForm())).toEqual({ error: "a session needs a name", field: "name" });
  const bad = filled({ name: "-oops" });
  expect(createInputOf(bad)).toMatchObject({ field: "name" });
});

test("empty optional fields are left to the hub's defaults", () => {
  const form = filled({ name: "fix-login", repo: "/home/ada/src/api", base: " ", prompt: "Fix the login redirect" });
  expect(createInputOf(form)).toEqual({
    input: { name: "fix-login", repo: "/home/ada/src/api", base: undefined, branch: undefined, pr: undefined, remote: undefined, prompt: "Fix the login redirect", mode: "native" },
  });
});

test("typing goes to the focused field; Tab moves the focus round", () => {
  let model = openCreate(initialModel(), { repo: "/r" });
  model = typeText(typeText(model, "a"), "b");
  model = deleteChar(model);
  expect(model.create!.values.name).toBe("a");
  expect(focusCreateField(model.create!, -1).focus).toBe("prompt");
  expect(focusCreateField(model.create!, 1).focus).toBe("repo");
});

test("branch, PR number and remote go to the hub as csm create --branch/--pr/--remote take them", () => {
  expect(createInputOf(filled({ name: "api", branch: " feature/x " }))).toMatchObject({ input: { branch: "feature/x", base: undefined, pr: undefined } });
  expect(createInputOf(filled({ name: "pr-42", pr: "42", remote: "upstream" }))).toMatchObject({ input: { pr: 42, remote: "upstream", branch: undefined } });
});

test("only one of base, branch and PR number may be filled: the form says so and focuses the second", () => {
  expect(createInputOf(filled({ name: "a", base: "main", branch: "feature/x" }))).toEqual({ error: "fill one of Base, Branch and PR number, not Base and Branch", field: "branch" });
  expect(createInputOf(filled({ name: "a", branch: "feature/x", pr: "7" }))).toMatchObject({ field: "pr" });
  const screen = createFormView(newCreateForm(), 80).map(plainText).join("\n");
  expect(screen).toContain("Base, Branch, PR number: fill one at most");
  for (const label of ["Branch", "PR number", "PR remote"]) expect(screen).toContain(label);
});

test("a PR number is digits only, and a remote needs one", () => {
  for (const pr of ["0", "-3", "7;x", "1e3", "4.2", "1234567890"]) expect(createInputOf(filled({ name: "a", pr }))).toMatchObject({ field: "pr" });
  expect(createInputOf(filled({ name: "a", remote: "origin" }))).toEqual({ error: "PR remote goes with a PR number; fill that too, or empty the remote", field: "remote" });
});

test("Mode starts as configured; on it, Space switches native and headless and typing changes nothing", () => {
  expect(newCreateForm().mode).toBe("native");
  let model = openCreate(initialModel(), { mode: "headless" });
  expect(model.create!.mode).toBe("headless");
  // Elsewhere a space is text; only on Mode is it the switch.
  expect(resolveKey(model, "space")).toBeNull();
  while (model.create!.focus !== "mode") model = applyPureAction(model, resolveKey(model, "tab")!.action as "next-field")!;
  expect(createFormView(model.create!, 80).map(plainText).join("\n")).toMatch(/› Mode\s+native\s+headless\s+claude -p, drawn by csm · Space switches/);
  const press = (m: TuiModel, key: string) => applyPureAction(m, (resolveKey(m, key) as { action: "next-session-mode" }).action)!;
  model = press(model, "space");
  expect(model.create!.mode).toBe("native");
  model = typeText(model, "x");
  expect(model.create!.mode).toBe("native");
  expect(Object.values(model.create!.values).join("")).toBe("");
  model = press(model, "right");
  expect(createInputOf({ ...model.create!, values: { ...model.create!.values, name: "h" } })).toMatchObject({ input: { name: "h", mode: "headless" } });
});

function filled(values: Partial<CreateForm["values"]>): CreateForm {
  const form = newCreateForm();
  return { ...form, values: { ...form.values, ...values } };
}
