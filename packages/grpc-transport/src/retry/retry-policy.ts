// The retry rules as small pure functions (docs/zero-downtime.md rules 5-9).
import { type ErrorKind } from '../errors/error-kind';

/** What the retry decision needs to know about the failed call. */
export interface RetryContext {
  /** Sending the call twice does no harm (reads, status, metadata). */
  idempotent: boolean;
  /** The failed attempt may have reached an engine (see TransportError.ambiguous). */
  ambiguous: boolean;
}

/**
 * Whether a failure of this kind may be retried:
 * - strategy-mismatch, access-denied, cluster-suspended: yes, once the recovery
 *   hook has run; the call never reached an engine that did work.
 * - transient: when the call is idempotent, or when it is known never to have
 *   been sent. A non-idempotent call (execute) is never re-sent after an
 *   ambiguous failure: it might run twice.
 * - fatal: never.
 */
export function isRetryable(kind: ErrorKind, context: RetryContext): boolean {
  switch (kind) {
    case 'strategy-mismatch':
    case 'access-denied':
    case 'cluster-suspended':
      return true;
    case 'transient':
      return context.idempotent || !context.ambiguous;
    case 'fatal':
      return false;
  }
}

/** The limits of the backoff between attempts. */
export interface BackoffOptions {
  /** The cap of the first wait. */
  baseDelayMs: number;
  /** No wait is longer than this. */
  maxDelayMs: number;
}

// 2^30 times any sane base is already past any sane cap; stop doubling there.
const MAX_EXPONENT = 30;

/**
 * Exponential backoff with full jitter: after failed attempt `attempt`
 * (1-based) wait a uniform random time in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))).
 * Full jitter spreads out clients that failed together (a cutover fails many
 * calls at the same instant), at the cost of an occasional near-zero wait.
 */
export function nextDelayMs(attempt: number, random: () => number, options: BackoffOptions): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer >= 1, got ${attempt}`);
  if (!(options.baseDelayMs >= 0) || !(options.maxDelayMs >= 0)) {
    throw new RangeError('baseDelayMs and maxDelayMs must be numbers >= 0');
  }
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(attempt - 1, MAX_EXPONENT));
  if (cap <= 0) return 0;
  // Clamp: an injected random() that returns 1 must not reach the cap.
  const unit = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(unit * cap);
}
