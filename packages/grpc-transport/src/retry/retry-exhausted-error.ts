import { type ErrorKind } from '../errors/error-kind';
import { TransportError } from '../errors/transport-error';

/** One failed attempt, as withReAuth saw it. */
export interface AttemptRecord {
  /** 1-based. */
  attempt: number;
  /** What the attempt threw, unchanged. */
  error: unknown;
  kind: ErrorKind;
  /** The wait before the next attempt (0 when none was planned). */
  delayMs: number;
}

/** Which limit ended the retries: the attempt count or the time budget. */
export type ExhaustionReason = 'attempts' | 'budget';

/**
 * A retryable failure kept happening until the attempts or the time budget ran
 * out. Its kind is fatal: an outer retry loop must not multiply the attempts.
 */
export class RetryExhaustedError extends TransportError {
  override readonly name: string = 'RetryExhaustedError';
  readonly reason: ExhaustionReason;
  readonly attempts: readonly AttemptRecord[];
  readonly elapsedMs: number;

  constructor(reason: ExhaustionReason, attempts: readonly AttemptRecord[], elapsedMs: number) {
    const last = attempts[attempts.length - 1];
    super(exhaustedMessage(reason, attempts, elapsedMs), {
      code: 'RETRY_EXHAUSTED',
      kind: 'fatal',
      ambiguous: attempts.some((a) => TransportError.from(a.error).ambiguous),
      cause: last?.error,
    });
    this.reason = reason;
    this.attempts = Object.freeze([...attempts]);
    this.elapsedMs = elapsedMs;
  }

  /** The error of the final attempt. */
  get lastError(): unknown {
    return this.attempts[this.attempts.length - 1]?.error;
  }
}

function exhaustedMessage(reason: ExhaustionReason, attempts: readonly AttemptRecord[], elapsedMs: number): string {
  const last = attempts[attempts.length - 1];
  const why = reason === 'attempts' ? `after ${attempts.length} attempts` : `when the time budget ran out after ${attempts.length} attempts`;
  const lastText = last === undefined ? '' : `; last failure (${last.kind}): ${TransportError.from(last.error).message}`;
  return `gave up ${why} in ${Math.round(elapsedMs)} ms${lastText}`;
}
