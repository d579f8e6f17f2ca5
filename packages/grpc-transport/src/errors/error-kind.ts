/**
 * What a failure means for the caller, per docs/wire.md section 4:
 * - `strategy-mismatch`: the load balancer answered HTTP 456; the requested
 *   deployment does not take this call. Re-detect the strategy.
 * - `access-denied`: the engine does not know the session (expired or from the
 *   other deployment). Log in again.
 * - `cluster-suspended`: the load balancer answered HTTP 503. Resume the cluster.
 * - `transient`: the connection failed or the call ran out of time. Retry only
 *   when it is safe (see `isRetryable`).
 * - `fatal`: anything else, including our own aborts. Never retried.
 */
export type ErrorKind = 'strategy-mismatch' | 'access-denied' | 'cluster-suspended' | 'transient' | 'fatal';

/** Every ErrorKind, in a fixed order (for tables and exhaustive tests). */
export const ERROR_KINDS: readonly ErrorKind[] = Object.freeze([
  'strategy-mismatch',
  'access-denied',
  'cluster-suspended',
  'transient',
  'fatal',
] as const);
