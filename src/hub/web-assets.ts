import { loadWebBundle, stillFresh, type WebBundle, type WebFile } from "../web/build.ts";

// The web dashboard's static files (src/web/, built with Bun), served by the hub at `/` with a
// strict Content-Security-Policy. Anything under /api, /ws or /hooks is not an asset.
//
// The files are loaded (or built) on the first request for one, not at hub start: most hubs
// never serve the page. That first answer streams its body once they are ready, so this
// function stays synchronous for the server's fetch handler.

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const PATHS: Record<string, { file: string; type: string }> = {
  "/": { file: "/", type: "text/html; charset=utf-8" },
  "/index.html": { file: "/", type: "text/html; charset=utf-8" },
  "/app.js": { file: "/app.js", type: "text/javascript; charset=utf-8" },
  "/app.css": { file: "/app.css", type: "text/css; charset=utf-8" },
};

let current: WebBundle | null = null;
let loading: Promise<WebBundle> | null = null;

function load(): Promise<WebBundle> {
  loading ??= loadWebBundle()
    .then((bundle) => (current = bundle))
    .catch((error: Error) => {
      console.error(`csm hub: the web dashboard could not be built: ${error.message}`);
      throw error;
    })
    .finally(() => (loading = null));
  return loading;
}

function baseHeaders(type: string): Headers {
  return new Headers({
    "content-type": type,
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
  });
}

function fileResponse(request: Request, url: URL, file: WebFile, version: string, path: string): Response {
  const headers = baseHeaders(file.type);
  headers.set("etag", file.etag);
  headers.set("vary", "accept-encoding");
  // The page is asked for again each time (it names the current script); the script and
  // stylesheet are kept for good under the URL with their hash.
  const hashed = path !== "/" && url.searchParams.get("v") === version;
  headers.set("cache-control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  if (request.headers.get("if-none-match") === file.etag) return new Response(null, { status: 304, headers });
  const gzip = /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "");
  if (gzip) headers.set("content-encoding", "gzip");
  const body = gzip ? file.gzip : file.body;
  headers.set("content-length", String(body.length));
  return new Response(request.method === "HEAD" ? null : body, { headers });
}

/** An answer whose body follows once the files are loaded or built. */
function deferredResponse(request: Request, path: string, type: string): Response {
  const headers = baseHeaders(type);
  headers.set("cache-control", "no-cache");
  if (request.method === "HEAD") return new Response(null, { headers });
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        const bundle = await load();
        controller.enqueue(bundle.files.get(path)!.body);
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
  return new Response(body, { headers });
}

/** The asset for a GET of `url`, or null when the request is not for one. */
export function serveWebAsset(request: Request, url: URL): Response | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/ws/") || url.pathname.startsWith("/hooks/")) return null;
  const asset = PATHS[url.pathname];
  if (!asset) return null;
  // The page is where a changed source shows first: check it there (a few stat calls).
  if (current && asset.file === "/" && !stillFresh(current.inputs)) current = null;
  if (!current) {
    void load().catch(() => undefined);
    return deferredResponse(request, asset.file, asset.type);
  }
  return fileResponse(request, url, current.files.get(asset.file)!, current.version, asset.file);
}
