import { CsmError } from "../shared/errors.ts";

// Small HTTP helpers shared by the routes: JSON in and out, errors as {error: {name, message, data}}.

export const MAX_BODY_BYTES = 1024 * 1024;

export function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}

export function errorResponse(error: unknown): Response {
  if (error instanceof CsmError) {
    const status = (error.data.httpStatus as number | undefined) ?? httpStatusFor(error);
    return json({ error: error.toJSON() }, status);
  }
  return json({ error: { name: "InternalError", message: (error as Error).message ?? String(error), data: {} } }, 500);
}

function httpStatusFor(error: CsmError): number {
  if (error.name === "NotFound") return 404;
  if (error.exitCode === 2) return 400;
  if (["UnsavedWork", "SessionExists", "NotPending", "NotLinked"].includes(error.name)) return 409;
  return 500;
}

export const httpError = (status: number, name: string, message: string, data: Record<string, unknown> = {}) =>
  new CsmError(name, message, { data: { ...data, httpStatus: status } });

export async function readJson(request: Request): Promise<Record<string, unknown>> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_BODY_BYTES) throw httpError(413, "BodyTooLarge", `request body is larger than ${MAX_BODY_BYTES} bytes`);
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw httpError(413, "BodyTooLarge", `request body is larger than ${MAX_BODY_BYTES} bytes`);
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw httpError(400, "BadJson", "request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw httpError(400, "BadJson", "request body must be a JSON object");
  return value as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, field: string, required: true): string;
export function stringField(body: Record<string, unknown>, field: string, required?: false): string | undefined;
export function stringField(body: Record<string, unknown>, field: string, required = false): string | undefined {
  const value = body[field];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || (required && value === "")) throw httpError(400, "BadField", `${field} must be a non-empty string`, { field });
  return value;
}
