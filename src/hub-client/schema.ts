// The schemas a route declares its body and query with. One declaration serves three
// purposes: the hub checks every request against it (hub/routes/body-schema.ts), the
// OpenAPI document shows it, and `Infer` turns it into the TypeScript type the client's
// calls are checked against (hub-client/api.ts). Builders keep their literal types so that
// `Infer` can read them.

export interface StringSchema<E extends string = string> {
  type: "string";
  enum?: readonly E[];
  minLength?: number;
}
export interface BooleanSchema {
  type: "boolean";
}
export interface IntegerSchema {
  type: "integer";
  minimum?: number;
}
/** With `properties`, exactly those fields; without, any object (checked further by its handler). */
export interface ObjectSchema<P extends Record<string, FieldSchema> = Record<string, FieldSchema>, R extends string = string> {
  type: "object";
  properties?: P;
  required?: readonly R[];
  additionalProperties?: false;
}
export type FieldSchema = StringSchema | BooleanSchema | IntegerSchema | ObjectSchema;

export const objectSchema = <P extends Record<string, FieldSchema>, R extends keyof P & string = never>(properties: P, required: readonly R[] = []): ObjectSchema<P, R> => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});
export const stringSchema: StringSchema = { type: "string" };
export const nonEmptyStringSchema: StringSchema = { type: "string", minLength: 1 };
export const booleanSchema: BooleanSchema = { type: "boolean" };
export const integerSchema: IntegerSchema = { type: "integer" };
export const nonNegativeIntegerSchema: IntegerSchema = { type: "integer", minimum: 0 };
export const enumSchema = <E extends string>(...values: E[]): StringSchema<E> => ({ type: "string", enum: values });

/** The schema of a route that takes no body: an empty one, or `{}`, and nothing else. */
export const NO_BODY = objectSchema({});

/** The TypeScript type of what a schema accepts. */
export type Infer<S> = S extends StringSchema<infer E>
  ? E
  : S extends BooleanSchema
    ? boolean
    : S extends IntegerSchema
      ? number
      : S extends ObjectSchema<infer P, infer R>
        ? string extends R
          ? Record<string, unknown>
          : { [K in R & keyof P]: Infer<P[K]> } & { [K in Exclude<keyof P, R>]?: Infer<P[K]> }
        : never;
