import { expect, test } from "bun:test";
import { checkTransportFits, modeFlag } from "../../src/cli/commands/create.ts";
import { BODIES } from "../../src/hub-client/api.ts";
import { checkBody } from "../../src/hub/routes/body-schema.ts";
import { openApiDocument } from "../../src/hub/routes/openapi.ts";

// `csm create --mode` and the API's `mode` take the same two words; --transport is a
// headless session's choice, refused where the session would be native.

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  return null;
};

test("--mode takes native or headless; anything else is a usage error naming the flag and both values", () => {
  expect(modeFlag(undefined)).toBeUndefined();
  expect(modeFlag("native")).toBe("native");
  expect(modeFlag("headless")).toBe("headless");
  for (const bad of ["bogus", "Native", "", "headless "]) {
    expect(refusal(() => modeFlag(bad))).toEqual({ name: "UsageError", message: `create: --mode must be native or headless (got ${JSON.stringify(bad)})` });
  }
});

test("--transport goes with a headless session only, whether --mode or sessionMode says native", () => {
  expect(refusal(() => checkTransportFits("bridge", "headless", "native"))).toBeNull();
  expect(refusal(() => checkTransportFits("sdk-url", undefined, "headless"))).toBeNull();
  expect(refusal(() => checkTransportFits(undefined, "native", "native"))).toBeNull();
  expect(refusal(() => checkTransportFits("bridge", "native", "headless"))).toEqual({ name: "UsageError", message: "create: --transport is for headless sessions; drop it, or use --mode headless" });
  expect(refusal(() => checkTransportFits("auto", undefined, "native"))).toMatchObject({ name: "UsageError", message: expect.stringContaining("add --mode headless") });
});

test("the API's mode is native or headless, or absent; the OpenAPI document lists both", () => {
  expect(refusal(() => checkBody({ name: "a", mode: "headless" }, BODIES.createSession))).toBeNull();
  expect(refusal(() => checkBody({ name: "a" }, BODIES.createSession))).toBeNull();
  expect(refusal(() => checkBody({ name: "a", mode: "bogus" }, BODIES.createSession))).toEqual({ name: "BadField", message: "mode must be native or headless" });
  const paths = openApiDocument().paths as Record<string, Record<string, { requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } } }>>;
  expect(paths["/api/sessions"]!.post!.requestBody.content["application/json"].schema.properties.mode).toEqual({ type: "string", enum: ["native", "headless"] });
});
