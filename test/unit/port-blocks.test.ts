import { expect, test } from "bun:test";
import { firstFreeBlock, portEnvironment } from "../../src/core/sessions/port-blocks.ts";

test("the lowest block no live session holds", () => {
  const range = { from: 20000, to: 20039 };
  expect(firstFreeBlock(range, [])).toBe(20000);
  expect(firstFreeBlock(range, [20000, 20020])).toBe(20010);
  expect(firstFreeBlock(range, [20000, 20010, 20020, 20030])).toBeNull();
});

test("a block must fit whole in the range, and clear of blocks from an older range", () => {
  expect(firstFreeBlock({ from: 20000, to: 20018 }, [20000])).toBeNull();
  expect(firstFreeBlock({ from: 20000, to: 20039 }, [20005])).toBe(20020);
});

test("a session without a block gets no variable", () => {
  expect(portEnvironment(null)).toEqual({});
  expect(portEnvironment(20010)).toEqual({ CSM_PORT_BASE: "20010" });
});
