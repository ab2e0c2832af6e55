import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, truncateSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { LAST_OPTIMIZE_KEY, LAST_REFRESH_KEY, refreshIndex } from "../../src/core/conversations/refresh-index.ts";
import { ConversationIndex, INDEX_SCHEMA } from "../../src/store/conversation-index.ts";
import { readRangeOf } from "../../src/host/read-range.ts";

// The index against real files on disk: incremental passes, files that change under it,
// broken trees, a damaged or outdated index file, and two processes indexing at once.

let root: string;
let config: string;
let indexPath: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "csm-index-"));
  config = join(root, "claude");
  indexPath = join(root, "cache", "conversations.sqlite");
  mkdirSync(join(config, "projects", "-src-app"), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

let second = 0;
const prompt = (text: string) =>
  `${JSON.stringify({ parentUuid: null, isSidechain: false, type: "user", message: { role: "user", content: text }, timestamp: `2026-11-30T00:00:${String(second++ % 60).padStart(2, "0")}.000Z`, cwd: "/src/app" })}\n`;
const transcript = (id: string) => join(config, "projects", "-src-app", `${id}.jsonl`);

function withIndex<T>(work: (index: ConversationIndex) => T): T {
  const index = ConversationIndex.open(indexPath);
  try {
    return work(index);
  } finally {
    index.close();
  }
}

const searchIds = (index: ConversationIndex, word: string) => index.search(`"${word}"`, 10).map((hit) => hit.file.id);
const textRows = (index: ConversationIndex) => index.totals().textRows;

describe("incremental passes", () => {
  test("unchanged files are not read; a grown file is read from its offset; a shrunk one again from the start", () => {
    writeFileSync(transcript("a"), prompt("alpha"));
    writeFileSync(transcript("b"), prompt("bravo"));
    withIndex((index) => {
      expect(refreshIndex(index, config)).toMatchObject({ files: 2, read: 2 });
      expect(refreshIndex(index, config)).toMatchObject({ files: 2, read: 0, bytesRead: 0 });

      const more = prompt("charlie");
      appendFileSync(transcript("a"), more);
      expect(refreshIndex(index, config)).toMatchObject({ read: 1, bytesRead: more.length });
      expect(index.fileByPath(transcript("a"))!.facts.turns).toBe(2);
      expect(searchIds(index, "alpha")).toEqual(["a"]);
      expect(searchIds(index, "charlie")).toEqual(["a"]);

      // Rewritten shorter (claude never does; a person might): indexed afresh, old text gone.
      writeFileSync(transcript("a"), prompt("delta"));
      refreshIndex(index, config);
      expect(index.fileByPath(transcript("a"))!.facts.turns).toBe(1);
      expect(searchIds(index, "alpha")).toEqual([]);
      expect(searchIds(index, "delta")).toEqual(["a"]);
      expect(textRows(index)).toBe(2);

      rmSync(transcript("b"));
      expect(refreshIndex(index, config)).toMatchObject({ files: 1, removed: 1 });
      expect(searchIds(index, "bravo")).toEqual([]);
    });
  });

  test("a half-written last line is read once it is complete, and only then", () => {
    const whole = prompt("echo") + prompt("foxtrot");
    writeFileSync(transcript("a"), whole.slice(0, whole.length - 5));
    withIndex((index) => {
      refreshIndex(index, config);
      expect(index.fileByPath(transcript("a"))!.facts.turns).toBe(1);
      appendFileSync(transcript("a"), whole.slice(whole.length - 5));
      refreshIndex(index, config);
      expect(index.fileByPath(transcript("a"))!.facts.turns).toBe(2);
      expect(searchIds(index, "foxtrot")).toEqual(["a"]);
    });
  });

  test("a touched file (same size, new mtime) is not indexed twice", () => {
    writeFileSync(transcript("a"), prompt("golf"));
    withIndex((index) => {
      refreshIndex(index, config);
      utimesSync(transcript("a"), new Date(), new Date(Date.now() + 5000));
      refreshIndex(index, config);
      expect(textRows(index)).toBe(1);
      expect(index.fileByPath(transcript("a"))!.facts.turns).toBe(1);
    });
  });
});

test("a pass that finds nothing new writes nothing (problems as they were, its time at most once a second)", () => {
  writeFileSync(transcript("a"), prompt("alpha"));
  symlinkSync(transcript("loop"), transcript("loop"));
  withIndex((index) => {
    let clock = 1_000_000;
    const now = () => clock;
    refreshIndex(index, config, now);
    // Another connection sees every commit as a new data_version.
    const watcher = new Database(indexPath, { readonly: true });
    const version = () => (watcher.query("PRAGMA data_version").get() as { data_version: number }).data_version;
    try {
      const before = version();
      clock += 999;
      expect(refreshIndex(index, config, now)).toMatchObject({ read: 0, problems: [{ path: transcript("loop"), reason: "ELOOP" }] });
      expect(version()).toBe(before);
      expect(index.getMeta(LAST_REFRESH_KEY)).toBe("1000000");

      clock += 1;
      refreshIndex(index, config, now);
      expect(index.getMeta(LAST_REFRESH_KEY)).toBe("1001000");
      const stamped = version();
      expect(stamped).not.toBe(before);

      // A new problem, or a change, is written at once.
      rmSync(transcript("loop"));
      clock += 1;
      refreshIndex(index, config, now);
      expect(index.problems()).toEqual([]);
      expect(index.getMeta(LAST_REFRESH_KEY)).toBe("1001001");
      expect(version()).not.toBe(stamped);
    } finally {
      watcher.close();
    }
  });
});

describe("broken trees: reported, never thrown", () => {
  test("no projects dir at all", () => {
    rmSync(join(config, "projects"), { recursive: true });
    withIndex((index) => expect(refreshIndex(index, config)).toMatchObject({ files: 0, problems: [] }));
  });

  test("symlink loops, a directory and a fifo named like transcripts, an empty file", () => {
    writeFileSync(transcript("good"), prompt("hotel"));
    symlinkSync(transcript("loop"), transcript("loop"));
    symlinkSync(join(config, "projects", "cycle"), join(config, "projects", "cycle"));
    mkdirSync(transcript("dir"));
    Bun.spawnSync(["mkfifo", transcript("fifo")]);
    writeFileSync(transcript("empty"), "");
    withIndex((index) => {
      const report = refreshIndex(index, config);
      expect(report.files).toBe(2);
      expect(report.problems.map((p) => [p.path, p.reason]).sort()).toEqual(
        [
          [join(config, "projects", "cycle"), "ELOOP"],
          [transcript("loop"), "ELOOP"],
        ].sort(),
      );
      expect(searchIds(index, "hotel")).toEqual(["good"]);
      expect(index.problems()).toHaveLength(2);
    });
  });

  test("a file removed or emptied since the last pass is dropped from the index", () => {
    writeFileSync(transcript("a"), prompt("india"));
    writeFileSync(transcript("b"), prompt("juliet"));
    withIndex((index) => {
      const report = refreshIndex(index, config);
      expect(report.read).toBe(2);
      rmSync(transcript("a"));
      truncateSync(transcript("b"), 0);
      expect(refreshIndex(index, config)).toMatchObject({ files: 1, removed: 1 });
      expect(searchIds(index, "juliet")).toEqual([]);
    });
  });

  test("a file that vanishes between listing and reading, or cannot be read, is reported; the rest indexed; the next pass tries it again", () => {
    writeFileSync(transcript("a"), prompt("india"));
    writeFileSync(transcript("b"), prompt("juliet"));
    writeFileSync(transcript("c"), prompt("kilo"));
    withIndex((index) => {
      // The race itself: listed, then removed just before its bytes are read.
      const racing = (path: string, from: number, to: number) => {
        if (path === transcript("a")) rmSync(path);
        return path === transcript("b") ? { failure: "EACCES" } : readRangeOf(path, from, to);
      };
      const report = refreshIndex(index, config, Date.now, racing);
      expect(report).toMatchObject({ files: 3, read: 1 });
      expect(report.problems.sort((x, y) => x.path.localeCompare(y.path))).toEqual([
        { path: transcript("a"), reason: "vanished while being read" },
        { path: transcript("b"), reason: "cannot be read: EACCES" },
      ]);
      expect(index.problems()).toHaveLength(2);
      expect(searchIds(index, "kilo")).toEqual(["c"]);
      expect(searchIds(index, "juliet")).toEqual([]);

      // Readable again: indexed, and the problems are gone with the causes.
      expect(refreshIndex(index, config)).toMatchObject({ files: 2, read: 1, problems: [] });
      expect(searchIds(index, "juliet")).toEqual(["b"]);
      expect(index.problems()).toEqual([]);
    });
  });
});

describe("the index is a cache", () => {
  test("deleted, it is rebuilt by the next pass with nothing lost", () => {
    writeFileSync(transcript("a"), prompt("kilo"));
    withIndex((index) => refreshIndex(index, config));
    for (const suffix of ["", "-wal", "-shm"]) rmSync(indexPath + suffix, { force: true });
    withIndex((index) => {
      expect(refreshIndex(index, config).read).toBe(1);
      expect(searchIds(index, "kilo")).toEqual(["a"]);
    });
  });

  test("an index of another schema version is dropped and rebuilt", () => {
    writeFileSync(transcript("a"), prompt("lima"));
    withIndex((index) => refreshIndex(index, config));
    const raw = new Database(indexPath);
    raw.exec(`PRAGMA user_version = ${INDEX_SCHEMA + 7}`);
    raw.close();
    withIndex((index) => {
      expect(index.totals().files).toBe(0);
      expect(refreshIndex(index, config).read).toBe(1);
      expect(searchIds(index, "lima")).toEqual(["a"]);
    });
  });

  test("a damaged index file is replaced", () => {
    mkdirSync(join(root, "cache"), { recursive: true });
    writeFileSync(indexPath, "this is not a database at all, just garbage ".repeat(200));
    writeFileSync(transcript("a"), prompt("mike"));
    withIndex((index) => {
      refreshIndex(index, config);
      expect(searchIds(index, "mike")).toEqual(["a"]);
    });
  });
});

test("two processes indexing at once: every file once, no text twice", async () => {
  for (let i = 0; i < 300; i++) writeFileSync(transcript(`c${i}`), prompt(`november${i} common`).repeat(3));
  const script = `
    import { ConversationIndex } from ${JSON.stringify(join(import.meta.dir, "../../src/store/conversation-index.ts"))};
    import { refreshIndex } from ${JSON.stringify(join(import.meta.dir, "../../src/core/conversations/refresh-index.ts"))};
    const index = ConversationIndex.open(process.argv[2]);
    for (let i = 0; i < 3; i++) refreshIndex(index, process.argv[3]);
    index.close();`;
  writeFileSync(join(root, "indexer.ts"), script);
  const runs = [0, 1].map(() => Bun.spawn([process.execPath, join(root, "indexer.ts"), indexPath, config], { stdout: "pipe", stderr: "pipe" }));
  const codes = await Promise.all(runs.map((run) => run.exited));
  const errors = await Promise.all(runs.map((run) => new Response(run.stderr).text()));
  expect({ codes, errors }).toEqual({ codes: [0, 0], errors: ["", ""] });
  withIndex((index) => {
    expect(index.totals()).toMatchObject({ files: 300, textRows: 300 });
    expect(index.search('"common"', 1000)).toHaveLength(300);
    expect(refreshIndex(index, config).read).toBe(0);
  });
});

test("a pass that read many files merges the text index; a small pass merges it at most hourly; searches find the same", () => {
  const many = Array.from({ length: 120 }, (_, i) => `m${i}`);
  for (const id of many) writeFileSync(transcript(id), prompt(`word${id} common`));
  withIndex((index) => {
    let clock = 1_000_000;
    refreshIndex(index, config, () => clock);
    expect(index.getMeta(LAST_OPTIMIZE_KEY)).toBe(String(clock));
    expect(searchIds(index, "wordm7")).toEqual(["m7"]);
    expect(index.search(`"common"`, 200)).toHaveLength(120);

    clock += 60_000;
    appendFileSync(transcript("m1"), prompt("later"));
    refreshIndex(index, config, () => clock);
    expect(index.getMeta(LAST_OPTIMIZE_KEY)).toBe(String(1_000_000));

    clock += 60 * 60_000;
    appendFileSync(transcript("m2"), prompt("much later"));
    refreshIndex(index, config, () => clock);
    expect(index.getMeta(LAST_OPTIMIZE_KEY)).toBe(String(clock));
    expect(searchIds(index, "later").sort()).toEqual(["m1", "m2"]);
  });
});
