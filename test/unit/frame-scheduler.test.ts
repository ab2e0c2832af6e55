import { expect, test } from "bun:test";
import { FrameScheduler, type FrameTimers } from "../../src/tui/frame-scheduler.ts";

// A clock the test moves by hand: timers run only when the test says, so the counts
// below say what is drawn when, without measuring any time.
function manualClock() {
  let now = 0;
  const pending: { at: number; run: () => void; id: number }[] = [];
  let nextId = 0;
  const timers: FrameTimers = {
    set(run, ms) {
      const id = ++nextId;
      pending.push({ at: now + ms, run, id });
      return id;
    },
    clear(handle) {
      const index = pending.findIndex((timer) => timer.id === handle);
      if (index >= 0) pending.splice(index, 1);
    },
  };
  /** Moves the clock forward, running every timer that comes due, in order. */
  function advance(ms: number): void {
    const until = now + ms;
    for (;;) {
      pending.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = pending[0];
      if (!next || next.at > until) break;
      pending.shift();
      now = next.at;
      next.run();
    }
    now = until;
  }
  return { timers, advance, pending: () => pending.length };
}

test("a lone change is drawn when the current turn ends, without waiting for a frame", () => {
  const clock = manualClock();
  let draws = 0;
  const frames = new FrameScheduler(() => draws++, 16, clock.timers);
  frames.request();
  expect(draws).toBe(0);
  clock.advance(0);
  expect(draws).toBe(1);
});

test("changes made together are drawn once", () => {
  const clock = manualClock();
  let draws = 0;
  const frames = new FrameScheduler(() => draws++, 16, clock.timers);
  for (let i = 0; i < 100; i++) frames.request();
  clock.advance(0);
  expect(draws).toBe(1);
});

test("a burst during a frame is drawn in one go when the frame ends, then it goes quiet", () => {
  const clock = manualClock();
  let draws = 0;
  const frames = new FrameScheduler(() => draws++, 16, clock.timers);
  frames.request();
  clock.advance(0);
  for (let i = 0; i < 50; i++) {
    clock.advance(0.2);
    frames.request();
  }
  expect(draws).toBe(1);
  clock.advance(16);
  expect(draws).toBe(2);
  clock.advance(100);
  expect(draws).toBe(2);
  expect(clock.pending()).toBe(0);
  // Quiet again: the next change is drawn at once.
  frames.request();
  clock.advance(0);
  expect(draws).toBe(3);
});

test("a steady stream is drawn at most once per frame", () => {
  const clock = manualClock();
  let draws = 0;
  const frames = new FrameScheduler(() => draws++, 16, clock.timers);
  for (let t = 0; t < 160; t++) {
    frames.request();
    clock.advance(1);
  }
  expect(draws).toBeGreaterThanOrEqual(9);
  expect(draws).toBeLessThanOrEqual(11);
});

test("stop cancels what is waiting", () => {
  const clock = manualClock();
  let draws = 0;
  const frames = new FrameScheduler(() => draws++, 16, clock.timers);
  frames.request();
  frames.stop();
  clock.advance(100);
  expect(draws).toBe(0);
  expect(clock.pending()).toBe(0);
});
