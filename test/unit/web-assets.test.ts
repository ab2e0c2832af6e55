import { expect, test } from "bun:test";
import { gunzipSync } from "node:zlib";
import { serveWebAsset } from "../../src/hub/web-assets.ts";

// The hub's static files for the web dashboard: a strict CSP on every one, no inline script
// or style in the page, gzip, and caching that cannot serve a stale script.

const get = async (path: string, headers: Record<string, string> = {}) => {
  const url = new URL(`http://127.0.0.1:1${path}`);
  const response = serveWebAsset(new Request(url.href, { headers }), url);
  if (!response) return null;
  return { response, body: new Uint8Array(await response.arrayBuffer()) };
};

test("the page, its script and its stylesheet, with the headers that keep them safe", async () => {
  const first = (await get("/"))!;
  expect(first.response.status).toBe(200);
  const page = (await get("/"))!;
  const html = new TextDecoder().decode(page.body);
  expect(page.response.headers.get("content-security-policy")).toBe(
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  );
  expect(page.response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(page.response.headers.get("referrer-policy")).toBe("no-referrer");
  expect(page.response.headers.get("cache-control")).toBe("no-cache");
  expect(html).not.toMatch(/<script>|<style|style=|\bon[a-z]+=/i);
  const version = /app\.js\?v=([a-z0-9]+)/.exec(html)![1]!;

  const script = (await get(`/app.js?v=${version}`, { "accept-encoding": "gzip, br" }))!;
  expect(script.response.headers.get("content-type")).toStartWith("text/javascript");
  expect(script.response.headers.get("content-encoding")).toBe("gzip");
  expect(script.response.headers.get("cache-control")).toContain("immutable");
  expect(gunzipSync(script.body).toString()).toContain("csm");
  expect(script.body.length).toBeLessThan(60 * 1024);

  const unversioned = (await get("/app.css"))!;
  expect(unversioned.response.headers.get("cache-control")).toBe("no-cache");
  const again = (await get("/app.css", { "if-none-match": unversioned.response.headers.get("etag")! }))!;
  expect(again.response.status).toBe(304);
});

test("what is not an asset is left to the API routes", async () => {
  expect(await get("/api/sessions")).toBeNull();
  expect(await get("/nowhere")).toBeNull();
  const url = new URL("http://127.0.0.1:1/");
  expect(serveWebAsset(new Request(url.href, { method: "POST" }), url)).toBeNull();
});
