/** The one source of time a store reads; inject a fake one to test expiry. */
export interface Clock {
  /** Milliseconds since an arbitrary, fixed origin (Date.now by default). */
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: (): number => Date.now() });
