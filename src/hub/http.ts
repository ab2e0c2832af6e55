import { findPrototypeKey, prototypeKeyProblem } from "../config/schema.ts";
import type { ErrorName } from "../shared/error-kinds.ts";
import { CsmError } from "../shared/errors.ts";

// Small HTTP helpers shared by the routes: JSON in and out, errors as {error: {name, message, data}}.

export const MAX_BODY_BYTES = 1024 * 1024;

export function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}

export function errorResponse(error: unknown): Response {
  if (error instanceof CsmError) {
    return json({ error: error.toJSON() }, error.httpStatus);
  }
  return json({ error: { name: "InternalError", message: (error as Error).message ?? String(error), data: {} } }, 500);
}

/** A failure the API answers with the status its name is declared with (shared/error-kinds.ts). */
export const httpError = (name: ErrorName, message: string, data: Record<string, unknown> = {}) => new CsmError(name, message, { data });

const tooLarge = (limit: number) => httpError("BodyTooLarge", `request body is larger than ${limit} bytes`);

/**
 * The body's bytes, read as they arrive and given up on as soon as there are more than
 * `limit`: a chunked body has no Content-Length to refuse up front, and must never be
 * buffered whole.
 */
export async function readCapped(request: Request, limit: number): Promise<Uint8Array> {
  if (Number(request.headers.get("content-length") ?? "0") > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** A JSON object body (empty is `{}`), at most MAX_BODY_BYTES, without prototype keys anywhere. */
export async function readJson(request: Request, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const text = new TextDecoder().decode(await readCapped(request, limit));
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw httpError("BadJson", "request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw httpError("BadJson", "request body must be a JSON object");
  const prototypeKey = findPrototypeKey(value);
  if (prototypeKey) throw httpError("BadField", `${prototypeKey} ${prototypeKeyProblem}`, { field: prototypeKey });
  return value as Record<string, unknown>;
}
