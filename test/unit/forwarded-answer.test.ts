import { expect, test } from "bun:test";
import { forwardedAnswer } from "../../src/hub/forwarded-answer.ts";
import { CsmError } from "../../src/shared/errors.ts";

// Another host's hub is another machine's program: what it answers is passed on only as
// JSON or an event stream, under this hub's own types and headers.

const answer = (body: string, type: string | null, status = 200) => new Response(body, { status, headers: type ? { "content-type": type } : {} });

async function refusal(promise: Promise<Response>): Promise<CsmError> {
  try {
    await promise;
  } catch (error) {
    return error as CsmError;
  }
  throw new Error("expected a refusal");
}

test("JSON passes with its status; the remote's `local` becomes the host's name", async () => {
  const out = await forwardedAnswer(answer(JSON.stringify({ host: "local", name: "s" }), "application/json; charset=utf-8", 201), "devbox");
  expect(out.status).toBe(201);
  expect(out.headers.get("content-type")).toBe("application/json");
  expect(out.headers.get("x-content-type-options")).toBe("nosniff");
  expect(await out.json()).toEqual({ host: "devbox", name: "s" });
});

test("an event stream passes as one, under this hub's own type and headers", async () => {
  const out = await forwardedAnswer(answer("id: 1\ndata: {}\n\n", "text/event-stream; x=<script>"), "devbox");
  expect(out.headers.get("content-type")).toBe("text/event-stream");
  expect(out.headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");
  expect(await out.text()).toBe("id: 1\ndata: {}\n\n");
});

test("an HTML page, or any other type, is refused and never served from this hub's origin", async () => {
  for (const type of ["text/html", "text/html; charset=utf-8", "image/svg+xml", "application/javascript", "text/plain", "TEXT/HTML"]) {
    const error = await refusal(forwardedAnswer(answer("<script>fetch('/api/approve')</script>", type), "devbox"));
    expect(error.name).toBe("RemoteAnswerInvalid");
    expect(error.message).toBe(`devbox's hub answered with ${type.split(";")[0]!.toLowerCase()} where JSON was expected`);
  }
});

test("a type with odd characters is named printably; JSON that does not parse is refused", async () => {
  const odd = new Response("x", { headers: { "content-type": "text/x-\u00e9vil" } });
  const error = await refusal(forwardedAnswer(odd, "devbox"));
  expect(error.name).toBe("RemoteAnswerInvalid");
  expect(error.message).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect((await refusal(forwardedAnswer(answer("{nope", "application/json"), "devbox"))).message).toBe("devbox's hub answered with JSON that does not parse");
});
