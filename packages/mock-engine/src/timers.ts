// The cluster reads phase times and the call log through strategy-core's Clock,
// the one clock type of the project; it is re-exported here for the cluster's parts.
export { type Clock, systemClock } from '@e6data-ts/strategy-core';

/** An armed timer; `cancel()` is safe to call more than once. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Where the cluster's timers come from. Injected so tests can drive phase
 * changes and schedules step by step instead of sleeping.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
}

/** Timers on Node's own setTimeout. */
export const systemTimers: Timers = Object.freeze({
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const handle = setTimeout(callback, ms);
    return { cancel: (): void => clearTimeout(handle) };
  },
});

/**
 * Timers that are tracked so `cancelAll()` can stop every pending one; the
 * cluster owns one of these so that close() leaves nothing armed.
 */
export class TimerGroup implements Timers {
  private readonly pending = new Set<TimerHandle>();

  constructor(private readonly base: Timers = systemTimers) {}

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const entry: TimerHandle = {
      cancel: () => {
        this.pending.delete(entry);
        inner.cancel();
      },
    };
    const inner = this.base.setTimeout(() => {
      this.pending.delete(entry);
      callback();
    }, ms);
    this.pending.add(entry);
    return entry;
  }

  cancelAll(): void {
    for (const timer of [...this.pending]) timer.cancel();
  }
}
