import type { FieldSchema, ObjectSchema } from "../../hub-client/schema.ts";
import { httpError } from "../http.ts";

// Checking a request against its route's declared body and query (schemas in
// hub-client/schema.ts): a field or query parameter the route does not know is refused
// (400, naming it) on every route alike.

export {
  booleanSchema,
  enumSchema,
  integerSchema,
  NO_BODY,
  nonEmptyStringSchema,
  nonNegativeIntegerSchema,
  objectSchema,
  stringSchema,
  type FieldSchema,
  type ObjectSchema,
} from "../../hub-client/schema.ts";

const orList = (values: readonly string[]) => (values.length === 1 ? values[0]! : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`);

/** Throws a 400 naming the first field that does not fit the schema. */
export function checkBody(value: unknown, schema: FieldSchema, field = ""): void {
  const fail = (problem: string): never => {
    throw httpError("BadField", `${field || "the body"} ${problem}`, { field });
  };
  switch (schema.type) {
    case "string":
      if (typeof value !== "string" || value.length < (schema.minLength ?? 0)) fail(schema.minLength ? "must be a non-empty string" : "must be a string");
      if (schema.enum && !schema.enum.includes(value as string)) fail(`must be ${orList(schema.enum)}`);
      return;
    case "boolean":
      if (typeof value !== "boolean") fail("must be true or false");
      return;
    case "integer":
      if (!Number.isInteger(value) || (value as number) < (schema.minimum ?? -Infinity)) fail(schema.minimum === undefined ? "must be an integer" : `must be an integer of at least ${schema.minimum}`);
      return;
    case "object": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) fail("must be a JSON object");
      if (!schema.properties) return;
      const object = value as Record<string, unknown>;
      const at = (key: string) => (field ? `${field}.${key}` : key);
      for (const key of Object.keys(object)) {
        if (!Object.hasOwn(schema.properties, key)) {
          const known = Object.keys(schema.properties);
          throw httpError("BadField", `unknown field ${at(key)} (${known.length ? `known: ${known.join(", ")}` : "this route takes no body"})`, { field: at(key) });
        }
      }
      for (const key of schema.required ?? []) if (object[key] === undefined) throw httpError("BadField", `${at(key)} is required`, { field: at(key) });
      for (const [key, property] of Object.entries(schema.properties)) if (object[key] !== undefined) checkBody(object[key], property, at(key));
    }
  }
}

/**
 * Checks a query string against the route's query schema: every parameter must be one it
 * declares, given once, and an integer where it says so.
 */
export function checkQuery(params: URLSearchParams, schema: ObjectSchema | undefined): void {
  const properties = schema?.properties ?? {};
  for (const key of new Set(params.keys())) {
    const field = `?${key}`;
    if (!Object.hasOwn(properties, key)) {
      const known = Object.keys(properties);
      throw httpError("BadField", `unknown query parameter ${field} (${known.length ? `known: ${known.join(", ")}` : "this route takes none"})`, { field });
    }
    const values = params.getAll(key);
    if (values.length > 1) throw httpError("BadField", `${field} is given ${values.length} times`, { field });
    const property = properties[key]!;
    if (property.type === "integer") {
      const value = Number(values[0]);
      if (values[0] === "" || !Number.isInteger(value) || value < (property.minimum ?? -Infinity)) {
        throw httpError("BadField", `${field} must be an integer${property.minimum === undefined ? "" : ` of at least ${property.minimum}`}`, { field });
      }
    }
  }
}
