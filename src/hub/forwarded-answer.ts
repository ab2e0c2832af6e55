import { printable } from "../shared/printable.ts";
import { httpError, json } from "./http.ts";

// What another host's hub answered, made into this hub's answer. The other hub is another
// machine's program: only the two kinds of answer the API has pass (JSON, an event stream),
// under types this hub sets itself. Anything else (an HTML page, say) would be served from
// this hub's own origin, where a page's scripts act with the dashboard's login.

/** A forwarded answer's headers: never sniffed, never a document that runs anything. */
const SAFE = { "x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'; sandbox" };

export async function forwardedAnswer(answer: Response, host: string): Promise<Response> {
  const type = (answer.headers.get("content-type") ?? "application/json").split(";")[0]!.trim().toLowerCase();
  if (type === "text/event-stream") {
    return new Response(answer.body, { status: answer.status, headers: { ...SAFE, "content-type": "text/event-stream", "cache-control": "no-cache" } });
  }
  if (type !== "application/json") {
    await answer.body?.cancel();
    throw httpError("RemoteAnswerInvalid", `${host}'s hub answered with ${printable(type).slice(0, 80)} where JSON was expected`, { host });
  }
  let value: unknown;
  try {
    value = await answer.json();
  } catch {
    throw httpError("RemoteAnswerInvalid", `${host}'s hub answered with JSON that does not parse`, { host });
  }
  // The remote hub calls its own machine `local`; here its session is on `host`.
  if (typeof value === "object" && value !== null && (value as { host?: unknown }).host === "local") (value as { host: string }).host = host;
  const response = json(value, answer.status);
  for (const [name, header] of Object.entries(SAFE)) response.headers.set(name, header);
  return response;
}
