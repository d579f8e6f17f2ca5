// The narrow collaborators retry code reads time and chance through. Tests
// inject fakes; the defaults are the real thing.
import { CallAbortedError } from '../errors/transport-error';

export interface Clock {
  /** Milliseconds since an arbitrary, fixed origin. */
  now(): number;
}

/** Resolves after `ms`; rejects at once (with a CallAbortedError) when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const systemClock: Clock = Object.freeze({ now: (): number => Date.now() });

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CallAbortedError(signal.reason));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CallAbortedError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
