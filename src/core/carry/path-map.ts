// Portable transcripts: every path a machine's path map knows becomes its placeholder on the
// way out (`/Users/me/src/app` → `{{PROJECTS}}/app`) and the other machine's path on the way
// in. Text that merely looks like a placeholder is escaped, so toPortable then fromPortable
// with the same map gives back exactly the bytes it was given.
//
// Escaping: a literal `{{` is written `{{{{`. Reading left to right, `{{{{` is a literal `{{`
// and `{{NAME}}` a placeholder, so no literal text can be mistaken for one.

/** Placeholder → this machine's path, e.g. {"{{PROJECTS}}": "/Users/me/src"}. `{{HOME}}` is built in. */
export type PathMap = Record<string, string>;

const PLACEHOLDER = /^\{\{[A-Z][A-Z0-9_]{0,31}\}\}$/;

export class PathMapError extends Error {}

/** The map checked and completed with `{{HOME}}`: placeholders well formed, paths absolute and distinct. */
export function completePathMap(map: PathMap, home: string): PathMap {
  const complete: PathMap = { "{{HOME}}": home, ...map };
  const seen = new Map<string, string>();
  for (const [placeholder, path] of Object.entries(complete)) {
    if (!PLACEHOLDER.test(placeholder)) throw new PathMapError(`pathMap: ${JSON.stringify(placeholder)} is not a placeholder like {{PROJECTS}} (capitals, digits, _)`);
    if (typeof path !== "string" || !path.startsWith("/") || path.length < 2) throw new PathMapError(`pathMap.${placeholder}: ${JSON.stringify(path)} is not an absolute path`);
    const normal = path.replace(/\/+$/, "");
    const other = seen.get(normal);
    if (other) throw new PathMapError(`pathMap: ${placeholder} and ${other} both map to ${normal}`);
    seen.set(normal, placeholder);
    complete[placeholder] = normal;
  }
  return complete;
}

/** Longest path first, so `/Users/me/src` wins over `/Users/me` where both match. */
const byPathLength = (map: PathMap) => Object.entries(map).sort(([, a], [, b]) => b.length - a.length);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * This machine's text with its paths as placeholders and literal `{{` escaped: one native
 * regex pass (transcripts are tens of MB), where at each position a `{{` is escaped, else the
 * longest mapped path not followed by a path character becomes its placeholder.
 */
export function toPortable(text: string, map: PathMap): string {
  const entries = byPathLength(map);
  const placeholderOf = new Map(entries.map(([placeholder, path]) => [path, placeholder]));
  const pattern = new RegExp(["\\{\\{", ...entries.map(([, path]) => `${escapeRegExp(path)}(?![A-Za-z0-9._-])`)].join("|"), "g");
  return text.replace(pattern, (hit) => (hit === "{{" ? "{{{{" : placeholderOf.get(hit)!));
}

/** Portable text back on a machine: each placeholder its path here, `{{{{` a literal `{{`. Unknown placeholders are an error. */
export function fromPortable(text: string, map: PathMap): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    if (open === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, open);
    if (text.startsWith("{{{{", open)) {
      out += "{{";
      i = open + 4;
      continue;
    }
    const close = text.indexOf("}}", open + 2);
    const placeholder = close === -1 ? "" : text.slice(open, close + 2);
    const path = PLACEHOLDER.test(placeholder) ? map[placeholder] : undefined;
    if (path === undefined) throw new PathMapError(`${placeholder || text.slice(open, open + 20)} is not in this machine's pathMap; add it to the config`);
    out += path;
    i = close + 2;
  }
  return out;
}

/** Placeholders a portable text uses that this machine's map lacks (to say so before writing anything). */
export function missingPlaceholders(text: string, map: PathMap): string[] {
  const missing = new Set<string>();
  const pattern = /\{\{\{\{|\{\{[A-Z][A-Z0-9_]{0,31}\}\}/g;
  for (const match of text.matchAll(pattern)) if (match[0] !== "{{{{" && !(match[0] in map)) missing.add(match[0]);
  return [...missing];
}

/** claude's project directory name for a cwd: every non-alphanumeric a `-`; long ones cut and hashed. */
export function projectSlug(cwd: string): string {
  const slug = cwd.replace(/[^a-zA-Z0-9]/g, "-");
  if (slug.length <= 200) return slug;
  let hash = 0;
  for (let i = 0; i < cwd.length; i++) hash = ((hash << 5) - hash + cwd.charCodeAt(i)) | 0;
  return `${slug.slice(0, 200)}-${Math.abs(hash).toString(36)}`;
}
