import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { relative, resolve } from "node:path";

// The web dashboard's static files: src/web/app/ bundled by Bun into one HTML page, one
// script and one stylesheet. `bun install` builds them into dist/web/ (postinstall), and
// the hub checks on first use that they still match the sources (every input's mtime, as
// src/prebuilt/build.ts does for the CLI bundles), building them again when they do not.
// A checkout it cannot write to still gets them: built in memory, on each hub start.

export const WEB_DIR = "dist/web";

const ROOT = import.meta.dir.replace(/\/src\/web$/, "");
const APP = `${ROOT}/src/web/app`;
const MANIFEST = "manifest.json";

export interface WebFile {
  body: Uint8Array;
  /** The same bytes gzipped, sent when the browser accepts gzip. */
  gzip: Uint8Array;
  type: string;
  etag: string;
}

export interface WebBundle {
  /** By URL path: "/", "/app.js", "/app.css". */
  files: Map<string, WebFile>;
  /** Each source (relative to the checkout) and its mtime when built; -1 never matches. */
  inputs: Record<string, number>;
  /** The script's and stylesheet's content hash, which the page puts in their URLs. */
  version: string;
}

interface Manifest {
  bun: string;
  version: string;
  inputs: Record<string, number>;
}

const TYPES: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
};

const urlPath = (file: string) => (file === "index.html" ? "/" : `/${file}`);

function webFile(name: string, body: Uint8Array): WebFile {
  return { body, gzip: Bun.gzipSync(body as Uint8Array<ArrayBuffer>, { level: 9 }), type: TYPES[name]!, etag: `"${Bun.hash(body).toString(36)}"` };
}

/** True while every input still has the mtime it had when the bundle was built. */
export function stillFresh(inputs: Record<string, number>): boolean {
  for (const path in inputs) if (Bun.file(`${ROOT}/${path}`).lastModified !== inputs[path]) return false;
  return Object.keys(inputs).length > 0;
}

/** Builds the page, its script and its stylesheet, in memory. */
export async function buildWebBundle(): Promise<{ bundle: WebBundle; contents: Record<string, Uint8Array> }> {
  const startedAt = Date.now();
  const result = await Bun.build({
    entrypoints: [`${APP}/main.tsx`],
    target: "browser",
    minify: true,
    metafile: true,
    define: { "process.env.NODE_ENV": '"production"' },
    throw: false,
  });
  if (!result.success) throw new Error(`web dashboard build: ${result.logs.map(String).join("\n")}`);
  const script = result.outputs.find((output) => output.path.endsWith(".js"));
  const style = result.outputs.find((output) => output.path.endsWith(".css"));
  if (!script || !style) throw new Error("web dashboard build: no script or no stylesheet came out");
  const js = new Uint8Array(await script.arrayBuffer());
  const css = new Uint8Array(await style.arrayBuffer());
  const version = Bun.hash(js).toString(36) + Bun.hash(css).toString(36);
  const page = (await readFile(`${APP}/index.html`, "utf8")).replaceAll("%VERSION%", version);
  const contents: Record<string, Uint8Array> = { "index.html": new TextEncoder().encode(page), "app.js": js, "app.css": css };

  const inputs: Record<string, number> = {};
  for (const input of [...Object.keys(result.metafile!.inputs), `${APP}/index.html`]) {
    const path = relative(ROOT, resolve(input));
    const mtime = Bun.file(`${ROOT}/${path}`).lastModified;
    // Changed while the build read it: the bundle may hold either version.
    inputs[path] = mtime >= startedAt ? -1 : mtime;
  }
  const files = new Map(Object.entries(contents).map(([name, body]) => [urlPath(name), webFile(name, body)]));
  return { bundle: { files, inputs, version }, contents };
}

/** Writes the built files into dist/web/, replacing what was there in one rename. */
async function writeWebDir(contents: Record<string, Uint8Array>, manifest: Manifest): Promise<void> {
  const finalDir = `${ROOT}/${WEB_DIR}`;
  const workDir = `${finalDir}.${process.pid}.tmp`;
  const oldDir = `${finalDir}.${process.pid}.old`;
  await mkdir(workDir, { recursive: true });
  try {
    for (const [name, body] of Object.entries(contents)) await writeFile(`${workDir}/${name}`, body);
    await writeFile(`${workDir}/${MANIFEST}`, `${JSON.stringify(manifest)}\n`);
    await rename(finalDir, oldDir).catch(() => undefined);
    await rename(workDir, finalDir);
    await rm(oldDir, { recursive: true, force: true });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function readWebDir(): Promise<WebBundle | null> {
  const dir = `${ROOT}/${WEB_DIR}`;
  try {
    const manifest = JSON.parse(await readFile(`${dir}/${MANIFEST}`, "utf8")) as Manifest;
    if (manifest.bun !== Bun.version || !stillFresh(manifest.inputs)) return null;
    const files = new Map<string, WebFile>();
    for (const name of Object.keys(TYPES)) files.set(urlPath(name), webFile(name, new Uint8Array(await readFile(`${dir}/${name}`))));
    return { files, inputs: manifest.inputs, version: manifest.version };
  } catch {
    return null;
  }
}

/** The dashboard's files: dist/web/ while it matches the sources, else built now (and saved there when it can be). */
export async function loadWebBundle(): Promise<WebBundle> {
  const saved = await readWebDir();
  if (saved) return saved;
  const { bundle, contents } = await buildWebBundle();
  await writeWebDir(contents, { bun: Bun.version, version: bundle.version, inputs: bundle.inputs }).catch(() => undefined);
  return bundle;
}

// No top-level await: the hub's prebuilt bundle (CommonJS) carries this module too.
if (import.meta.main) {
  void (async () => {
    try {
      const started = performance.now();
      const { bundle, contents } = await buildWebBundle();
      await writeWebDir(contents, { bun: Bun.version, version: bundle.version, inputs: bundle.inputs });
      const gz = bundle.files.get("/app.js")!.gzip.length;
      console.log(`csm: web dashboard in ${WEB_DIR}/ (script ${(gz / 1024).toFixed(1)} KB gzipped, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      console.error(`csm: no web dashboard build: ${(error as Error).message}`);
      // From `bun install`: the hub builds it on first use anyway.
      if (!process.argv.includes("--optional")) process.exitCode = 1;
    }
  })();
}
