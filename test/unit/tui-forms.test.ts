import { expect, test } from "bun:test";
import { createInputOf, focusCreateField, newCreateForm } from "../../src/tui/views/create-form.ts";
import { deleteChar, initialModel, openCreate, typeText } from "../../src/tui/model.ts";

test("the create form checks the name before asking the hub, and says what is wrong", () => {
  expect(createInputOf(newCreateForm())).toEqual({ error: "a session needs a name", field: "name" });
  const bad = { ...newCreateForm(), values: { name: "-oops", repo: "", base: "", prompt: "" } };
  expect(createInputOf(bad)).toMatchObject({ field: "name" });
});

test("empty optional fields are left to the hub's defaults", () => {
  const form = { ...newCreateForm({ repo: "/home/ada/src/api" }), values: { name: "fix-login", repo: "/home/ada/src/api", base: " ", prompt: "Fix the login redirect" } };
  expect(createInputOf(form)).toEqual({ input: { name: "fix-login", repo: "/home/ada/src/api", base: undefined, prompt: "Fix the login redirect" } });
});

test("typing goes to the focused field; Tab moves the focus round", () => {
  let model = openCreate(initialModel(), { repo: "/r" });
  model = typeText(typeText(model, "a"), "b");
  model = deleteChar(model);
  expect(model.create!.values.name).toBe("a");
  expect(focusCreateField(model.create!, -1).focus).toBe("prompt");
  expect(focusCreateField(model.create!, 1).focus).toBe("repo");
});
