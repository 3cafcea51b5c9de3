// Virtual clock of the reference mock. Long operations (an upgrade "takes
// hours") are scheduled in virtual time, which runs `speed` times faster than
// the wall clock, so tests and real clients never wait. Tests can also step it
// explicitly with advance().

export interface Timer {
  cancel(): void;
}

interface Scheduled {
  at: number; // virtual epoch ms
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class VirtualClock {
  private readonly startReal: number;
  private readonly startVirtual: number;
  private offset = 0; // virtual ms added by advance()
  private seq = 0;
  private queue: Scheduled[] = [];
  private realTimer: NodeJS.Timeout | undefined;
  readonly speed: number;

  /**
   * @param speed virtual milliseconds per real millisecond (default 3600: an
   *   hour-long upgrade completes in one real second).
   * @param start virtual time at creation (default: real now).
   */
  constructor(opts: { speed?: number; start?: Date } = {}) {
    this.speed = opts.speed ?? 3600;
    this.startReal = Date.now();
    this.startVirtual = (opts.start ?? new Date()).getTime();
  }

  /** Virtual epoch milliseconds. */
  nowMs(): number {
    return this.startVirtual + (Date.now() - this.startReal) * this.speed + this.offset;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** ISO-8601 timestamp of virtual now, second precision, UTC (`2026-11-22T10:00:00Z`). */
  isoNow(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Run fn after `virtualMs` of virtual time. */
  schedule(virtualMs: number, fn: () => void): Timer {
    const item: Scheduled = { at: this.nowMs() + Math.max(0, virtualMs), seq: this.seq++, fn, cancelled: false };
    this.queue.push(item);
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.arm();
    return { cancel: () => { item.cancelled = true; } };
  }

  /**
   * Move virtual time forward and run everything that becomes due, in order.
   * Time stands at each task's due time while it runs, so what a task
   * schedules is timed from then (a chain of steps completes within one
   * large advance, as it would in real time).
   */
  advance(virtualMs: number): void {
    const target = this.nowMs() + virtualMs;
    for (;;) {
      const next = this.queue.find((q) => !q.cancelled);
      if (!next || next.at > target) break;
      const gap = next.at - this.nowMs();
      if (gap > 0) this.offset += gap;
      this.runDue();
    }
    const rest = target - this.nowMs();
    if (rest > 0) this.offset += rest;
    this.runDue();
  }

  /** Run every pending task now, in order (a test hook: "let all jobs finish"). */
  drain(maxSteps = 10_000): void {
    for (let i = 0; i < maxSteps; i++) {
      const next = this.queue.find((q) => !q.cancelled);
      if (!next) return;
      const gap = next.at - this.nowMs();
      if (gap > 0) this.offset += gap;
      this.runDue();
    }
  }

  /** Stop the real timer (call on server close). */
  stop(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    this.queue = [];
  }

  private runDue(): void {
    const now = this.nowMs();
    while (this.queue.length && this.queue[0].at <= now) {
      const item = this.queue.shift()!;
      if (!item.cancelled) item.fn();
    }
    this.arm();
  }

  private arm(): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    const next = this.queue.find((q) => !q.cancelled);
    if (!next) return;
    const realDelay = Math.max(0, Math.ceil((next.at - this.nowMs()) / this.speed));
    this.realTimer = setTimeout(() => this.runDue(), realDelay);
    this.realTimer.unref();
  }
}
