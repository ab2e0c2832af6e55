import { httpError } from "../http.ts";

// A route's request body, declared once as a schema: it is what the OpenAPI document
// shows, and what every request is checked against before the handler runs, so a field
// the route does not know is refused (400, naming it) on every route alike.

export type FieldSchema =
  | { type: "string"; enum?: string[]; minLength?: number }
  | { type: "boolean" }
  | { type: "integer"; minimum?: number }
  | ObjectSchema;

/** With `properties`, exactly those fields; without, any object (checked further by its handler). */
export interface ObjectSchema {
  type: "object";
  properties?: Record<string, FieldSchema>;
  required?: string[];
  additionalProperties?: false;
}

export const objectSchema = (properties: Record<string, FieldSchema>, required: string[] = []): ObjectSchema => ({ type: "object", properties, required, additionalProperties: false });
export const stringSchema: FieldSchema = { type: "string" };
export const nonEmptyStringSchema: FieldSchema = { type: "string", minLength: 1 };
export const booleanSchema: FieldSchema = { type: "boolean" };
export const integerSchema: FieldSchema = { type: "integer" };
export const enumSchema = (...values: string[]): FieldSchema => ({ type: "string", enum: values });

/** The schema of a route that takes no body: an empty one, or `{}`, and nothing else. */
export const NO_BODY: ObjectSchema = objectSchema({});

const orList = (values: string[]) => (values.length === 1 ? values[0]! : `${values.slice(0, -1).join(", ")} or ${values.at(-1)}`);

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
