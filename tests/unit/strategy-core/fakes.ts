// Small hand-written collaborators for strategy-core tests: a clock the test
// moves by hand and a logger that records what it was told.
import { type Clock, type StrategyLogger } from '@e6data-ts/strategy-core';

export class FakeClock implements Clock {
  constructor(private current = 1_000_000) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(ms: number): void {
    this.current = ms;
  }
}

export interface LogEntry {
  message: string;
  fields: Readonly<Record<string, unknown>> | undefined;
}

export class RecordingLogger implements StrategyLogger {
  readonly entries: LogEntry[] = [];

  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.entries.push({ message, fields });
  }

  get messages(): string[] {
    return this.entries.map((e) => e.message);
  }
}

/** What `fn` threw; fails the test when it does not throw. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err: unknown) {
    return err;
  }
  throw new Error('expected the call to throw, but it returned');
}
