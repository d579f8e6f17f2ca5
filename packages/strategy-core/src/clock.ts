/**
 * The one source of "now" across the project: strategy stores, retry policies
 * and the mock cluster all read time through it, so a test injects one fake.
 */
export interface Clock {
  /** Milliseconds since an arbitrary, fixed origin (Date.now by default). */
  now(): number;
}

/** The real clock: Date.now. */
export const systemClock: Clock = Object.freeze({ now: (): number => Date.now() });
