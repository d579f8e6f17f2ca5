// The narrow collaborators retry code reads time and chance through. Tests
// inject fakes; the defaults are the real thing.
import { CallAbortedError } from '../errors/transport-error';

// Time is strategy-core's Clock, re-exported under the names retry code has always used.
export { type Clock, systemClock } from '@e6data-ts/strategy-core';

/** Resolves after `ms`; rejects at once (with a CallAbortedError) when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Waits `ms` on a real timer; rejects with CallAbortedError when `signal` aborts first. */
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
