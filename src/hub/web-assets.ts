// The web dashboard's static files (src/web/, built with Bun), served by the hub at `/` with a
// strict Content-Security-Policy. Anything under /api, /ws or /hooks is not an asset.

/** The asset for a GET of `url`, or null when the request is not for one. */
export function serveWebAsset(request: Request, url: URL): Response | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/ws/") || url.pathname.startsWith("/hooks/")) return null;
  return null;
}
