// The TypeScript form of the reference client's `re_auth` decorator, widened
// to every recoverable failure: run the call, and on a failure the rules allow,
// run the matching recovery hook, wait, and try again, within a bounded number
// of attempts and a time budget.
import { type ErrorKind } from '../errors/error-kind';
import { CallAbortedError, TransportError } from '../errors/transport-error';
import { type AttemptRecord, RetryExhaustedError } from './retry-exhausted-error';
import { isRetryable, nextDelayMs } from './retry-policy';
import { realSleep, systemClock, type Clock, type Sleep } from './runtime';

/** Attempts of one call, the first included, unless told otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Cap of the first backoff wait. */
export const DEFAULT_BASE_DELAY_MS = 100;
/** No backoff wait is longer than this. */
export const DEFAULT_MAX_DELAY_MS = 5_000;
/** Time all attempts of one call may take together. */
export const DEFAULT_BUDGET_MS = 60_000;

/** A recovery hook. It gets the classified failure and the caller's signal. */
export type RecoveryHook = (error: TransportError, signal: AbortSignal | undefined) => Promise<void>;

/** Told to the `onRetry` hook before each new attempt. */
export interface RetryInfo extends AttemptRecord {
  /** The attempt about to start. */
  nextAttempt: number;
  /** Since the first attempt started. */
  elapsedMs: number;
}

/** How withReAuth recovers from each kind of failure, and how long it keeps trying. */
export interface ReAuthOptions {
  /** On access-denied: log in again (on the same strategy). */
  reAuthenticate: RecoveryHook;
  /** On a 456: the caller forgets the cached strategy and detects it again. */
  onStrategyMismatch: RecoveryHook;
  /** On a 503: resume the cluster. Without it a 503 is not retried; with it, retried once. */
  onClusterSuspended?: RecoveryHook;
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Time from the first attempt after which no retry starts (default 60 s). A
   * retry whose wait would end past the budget is not waited for. Recovery
   * hooks bound their own time (resume polling has its own timeout).
   */
  budgetMs?: number;
  /** The call may safely run twice (default false). */
  idempotent?: boolean;
  /** Aborting stops the wait (or hook) at once and rejects with a CallAbortedError carrying the reason. */
  signal?: AbortSignal;
  clock?: Clock;
  /** Uniform in [0, 1). */
  random?: () => number;
  sleep?: Sleep;
  /** Called before each retry, for logs and metrics. */
  onRetry?: (info: RetryInfo) => void;
}

/**
 * Runs `fn(attempt)` (attempt is 1-based) until it succeeds or a failure is
 * not to be retried.
 *
 * - A failure the rules do not retry (fatal, an ambiguous failure of a
 *   non-idempotent call, a second 503, a 503 without a hook) is rethrown
 *   exactly as `fn` threw it: no wrapping, so callers see the client's own
 *   typed error.
 * - A retryable failure with no attempt or budget left ends in a
 *   RetryExhaustedError carrying every attempt (error, kind, delay).
 * - A recovery hook that throws ends the run with the hook's error.
 * - The first failure of a recovery kind (456, access denied, 503) is retried
 *   at once, since its hook has just fixed the cause; later failures of the
 *   same kind, and every transient one, wait with exponential backoff and full jitter.
 */
export async function withReAuth<T>(fn: (attempt: number) => Promise<T>, options: ReAuthOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  if (!(budgetMs >= 0)) throw new RangeError(`budgetMs must be >= 0, got ${budgetMs}`);
  const backoff = { baseDelayMs: options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS, maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS };
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  const { signal } = options;
  const idempotent = options.idempotent ?? false;

  const started = clock.now();
  const attempts: AttemptRecord[] = [];
  const recovered = new Set<ErrorKind>();

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new CallAbortedError(signal.reason);
    try {
      return await fn(attempt);
    } catch (error) {
      const failure = TransportError.from(error);
      const hook = hookFor(failure.kind, options);
      const retryable =
        isRetryable(failure.kind, { idempotent, ambiguous: failure.ambiguous }) &&
        !(failure.kind === 'cluster-suspended' && (hook === undefined || recovered.has('cluster-suspended')));
      if (!retryable) throw error;

      const firstRecovery = hook !== undefined && !recovered.has(failure.kind);
      const delayMs = firstRecovery ? 0 : nextDelayMs(attempt, random, backoff);
      const record: AttemptRecord = { attempt, error, kind: failure.kind, delayMs };
      attempts.push(record);
      const elapsedMs = clock.now() - started;
      if (attempt >= maxAttempts) throw new RetryExhaustedError('attempts', attempts, elapsedMs);
      if (elapsedMs + delayMs > budgetMs) throw new RetryExhaustedError('budget', attempts, elapsedMs);

      if (hook !== undefined) {
        await untilAborted(hook(failure, signal), signal);
        recovered.add(failure.kind);
      }
      options.onRetry?.({ ...record, nextAttempt: attempt + 1, elapsedMs: clock.now() - started });
      if (delayMs > 0) await untilAborted(sleep(delayMs, signal), signal);
    }
  }
}

function hookFor(kind: ErrorKind, options: ReAuthOptions): RecoveryHook | undefined {
  switch (kind) {
    case 'strategy-mismatch':
      return options.onStrategyMismatch;
    case 'access-denied':
      return options.reAuthenticate;
    case 'cluster-suspended':
      return options.onClusterSuspended;
    case 'transient':
    case 'fatal':
      return undefined;
  }
}

/**
 * Settles with `work`, unless `signal` aborts first: then rejects at once with
 * a CallAbortedError, even if an injected sleep or hook ignores the signal.
 * The abandoned work may still settle later; Promise.race has subscribed to
 * it, so a late rejection is handled, and dropped.
 */
async function untilAborted(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return work;
  const aborted = new Promise<never>((_resolve, reject) => {
    const onAbort = (): void => reject(new CallAbortedError(signal.reason));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    // Detach once the work settles, so a long-lived signal does not collect listeners.
    const detach = (): void => signal.removeEventListener('abort', onAbort);
    void work.then(detach, detach);
  });
  try {
    await Promise.race([work, aborted]);
  } catch (err) {
    // A sleep rejects on abort with its own error; report the abort uniformly.
    if (signal.aborted) throw new CallAbortedError(signal.reason);
    throw err;
  }
}
