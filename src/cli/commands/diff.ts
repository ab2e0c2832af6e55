import { createContext } from "../../core/context.ts";
import { diffStat, diffWithFiles } from "../../core/sessions/diff.ts";
import type { DiffFile, DiffStat, FileDiff } from "../../core/sessions/diff-types.ts";
import { checkName } from "../../shared/names.ts";
import { printable } from "../../shared/printable.ts";
import { parseFlags } from "../args.ts";
import { jsonText, type Output } from "../io.ts";

// `csm diff NAME`: what the session changed against its base, for a review before merging.
// It runs here through core (git is the truth; no hub needed). Paths and file contents
// are foreign text: they reach the terminal only through printable().

interface Colours {
  header(text: string): string;
  hunk(text: string): string;
  added(text: string): string;
  removed(text: string): string;
}

const sgr = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const COLOURS: Colours = { header: sgr("1"), hunk: sgr("36"), added: sgr("32"), removed: sgr("31") };
const identity = (text: string) => text;
const PLAIN: Colours = { header: identity, hunk: identity, added: identity, removed: identity };

const STATUS_WORD: Record<DiffFile["status"], string> = {
  added: "added",
  modified: "modified",
  deleted: "deleted",
  renamed: "renamed",
  untracked: "untracked",
  "type-changed": "type",
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** The file table and the summary line; pure, so it is read the same in a test. */
export function formatStat(stat: DiffStat): string[] {
  // reduce, not Math.max(...files): a session may change more files than a call takes arguments.
  const addedWidth = stat.files.reduce((width, file) => Math.max(width, String(file.added).length + 1), 2);
  const removedWidth = stat.files.reduce((width, file) => Math.max(width, String(file.removed).length + 1), 2);
  const countsWidth = Math.max("binary".length, addedWidth + removedWidth + 1);
  const statusWidth = Math.max(...Object.values(STATUS_WORD).map((word) => word.length));
  const lines = stat.files.map((file) => {
    const counts = (file.binary ? "binary" : `${`+${file.added}`.padStart(addedWidth)} ${`-${file.removed}`.padStart(removedWidth)}`).padEnd(countsWidth);
    const path = file.oldPath === null ? printable(file.path) : `${printable(file.oldPath)} → ${printable(file.path)}`;
    return `${STATUS_WORD[file.status].padEnd(statusWidth)}  ${counts}  ${path}`;
  });
  lines.push(
    `${plural(stat.files.length, "file")}, +${stat.added} -${stat.removed}; ${plural(stat.ahead, "commit")} ahead, ${stat.behind} behind base ${printable(stat.baseRef)}`,
  );
  return lines;
}

/** One file's unified diff, made printable first and then coloured line by line. */
export function formatFileDiff(file: FileDiff, colours: Colours): string[] {
  if (file.binary || file.diff === "") return [];
  const lines = printable(file.diff, { multiline: true }).replace(/\n$/, "").split("\n");
  let inHunk = false;
  return lines.map((line) => {
    if (line.startsWith("@@")) {
      inHunk = true;
      return colours.hunk(line);
    }
    if (line.startsWith("diff --git ")) inHunk = false;
    if (!inHunk) return colours.header(line);
    if (line.startsWith("+")) return colours.added(line);
    if (line.startsWith("-")) return colours.removed(line);
    return line;
  });
}

export async function run(argv: string[], io: Output): Promise<number> {
  const { flags, positionals } = parseFlags("diff", argv, { stat: { type: "boolean" }, json: { type: "boolean" } }, { min: 1, max: 1 });
  const name = checkName("session", positionals[0]!);
  const ctx = await createContext();
  try {
    if (flags.stat) {
      const stat = await diffStat(ctx, name);
      io.out(flags.json ? jsonText(stat, 2) : formatStat(stat).join("\n"));
      return 0;
    }
    const full = await diffWithFiles(ctx, name);
    if (flags.json) {
      io.out(jsonText(full, 2));
      return 0;
    }
    const colours = process.env.NO_COLOR || !process.stdout.isTTY ? PLAIN : COLOURS;
    io.out(formatStat(full.stat).join("\n"));
    for (const file of full.files) {
      const lines = formatFileDiff(file, colours);
      if (lines.length > 0) io.out(`\n${lines.join("\n")}`);
    }
    return 0;
  } finally {
    ctx.close();
  }
}
