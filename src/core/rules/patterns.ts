import picomatch from "picomatch/posix";
import type { PathSubject, Subject, SubjectKind } from "./primary-input.ts";

// The two pattern languages a rule's `pattern` is read in, one per kind of subject.
//
// Path subjects (file tools, Glob, Grep's path) use picomatch globs as usual:
// `*` stays within one path segment, `**` crosses them, `{a,b}`, `[…]` and `\x` work.
// A relative pattern is matched against the worktree-relative path and never matches a
// path outside the worktree; an absolute pattern is matched against the absolute path.
//
// Text subjects (Bash commands, URLs, queries, Grep's regex, MCP input as JSON) use a
// deliberately smaller language: `*` matches any run of characters, `/` and newlines
// included, `\x` is a literal x, and every other character is literal. picomatch is not
// used here because its `*` refuses `.`/`..` path segments (so a `rm *` deny would miss
// `rm -rf ../..`) and it strips a leading `./` from patterns, and because commands and
// URLs are full of `?`, `[`, `{` and `(` that a person means literally.

export class PatternError extends Error {}

export type SubjectMatcher = (subject: Subject) => boolean;

const PATH_GLOB_OPTIONS = { dot: true, strictBrackets: true } as const;
const MAX_CACHED = 4096;
const cache = new Map<string, SubjectMatcher>();

/**
 * A memoised matcher for `pattern` read as the language of `kind`; throws PatternError.
 * `anyCase` makes a path pattern ignore case, as a case-insensitive disk (macOS's) does:
 * what denies `.env` must deny `.ENV` there too.
 */
export function patternMatcher(pattern: string, kind: SubjectKind, anyCase = false): SubjectMatcher {
  const key = `${kind}\0${anyCase ? "i" : ""}\0${pattern}`;
  let matcher = cache.get(key);
  if (!matcher) {
    matcher = kind === "text" ? compileTextPattern(pattern) : compilePathPattern(pattern, anyCase);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, matcher);
  }
  return matcher;
}

/** A relative path pattern with `./` and a trailing `/` removed, as it is matched. */
export function normalisePathPattern(pattern: string): string {
  let normal = pattern;
  while (normal.startsWith("./")) normal = normal.slice(2);
  if (normal.length > 1 && normal.endsWith("/")) normal = normal.replace(/\/+$/, "");
  return normal;
}

function compilePathPattern(pattern: string, anyCase: boolean): SubjectMatcher {
  const normal = normalisePathPattern(pattern);
  if (normal === "") throw new PatternError("is empty once ./ is removed");
  try {
    // debug makes picomatch throw instead of quietly returning a regex that matches nothing.
    picomatch.makeRe(normal, { ...PATH_GLOB_OPTIONS, debug: true });
  } catch (error) {
    throw new PatternError(`is not a valid glob: ${(error as Error).message}`);
  }
  const isMatch = picomatch(normal, { ...PATH_GLOB_OPTIONS, nocase: anyCase });
  if (normal.startsWith("/")) return (subject) => subject.kind === "path" && isMatch(subject.absolute);
  // picomatch lets `src/**` match `src` itself; `**` likewise covers the worktree itself.
  const coversRoot = normal === "**" || isMatch(".");
  const matchesRelative = (subject: PathSubject) =>
    subject.relative !== null && (subject.relative === "." ? coversRoot : isMatch(subject.relative));
  return (subject) => subject.kind === "path" && matchesRelative(subject);
}

function compileTextPattern(pattern: string): SubjectMatcher {
  const segments = textSegments(pattern);
  return (subject) => subject.kind === "text" && matchSegments(segments, subject.value);
}

/** Splits a text pattern into the literal runs between its `*`s, resolving `\` escapes. */
function textSegments(pattern: string): string[] {
  const segments = [""];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      segments.push("");
    } else if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) throw new PatternError("ends with a lone backslash (write \\\\ for a backslash)");
      segments[segments.length - 1] += next;
      i++;
    } else {
      segments[segments.length - 1] += c;
    }
  }
  return segments;
}

// Literal runs separated by `*`: the first must start the value, the last must end it,
// and the ones between are found left to right. Taking the leftmost occurrence is always
// right, so nothing backtracks, where a regex with many `.*` could take exponential time.
function matchSegments(segments: string[], value: string): boolean {
  const first = segments[0];
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1];
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  const end = value.length - last.length;
  let at = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const found = value.indexOf(segments[i], at);
    if (found === -1 || found + segments[i].length > end) return false;
    at = found + segments[i].length;
  }
  return true;
}
