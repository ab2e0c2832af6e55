// When the dashboard draws. A change is drawn as soon as the current turn of the event
// loop ends, so a lone event or key shows at once and changes made together are drawn
// together; then, for one frame, further changes only mark the screen dirty and are drawn
// in one go when the frame ends. A burst of events costs at most one draw per frame, and
// a quiet moment costs no wait.

export interface FrameTimers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: FrameTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class FrameScheduler {
  /** A draw waiting for this turn to end, or the frame that follows a draw. */
  private timer: unknown = null;
  private dirty = false;

  constructor(
    private readonly draw: () => void,
    private readonly frameMs: number,
    private readonly timers: FrameTimers = realTimers,
  ) {}

  request(): void {
    if (this.timer !== null) {
      this.dirty = true;
      return;
    }
    this.timer = this.timers.set(() => this.drawFrame(), 0);
  }

  stop(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.dirty = false;
  }

  private drawFrame(): void {
    this.dirty = false;
    this.timer = this.timers.set(() => {
      this.timer = null;
      if (this.dirty) this.request();
    }, this.frameMs);
    this.draw();
  }
}
