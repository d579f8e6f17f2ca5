import type { Strategy } from './strategy';

/**
 * Why the store's state changed:
 * - `set`: setActive named a different strategy (detection found it).
 * - `pending-set`: a new pending strategy was announced; active is unchanged.
 * - `pending-applied`: applyPending made pending active.
 * - `drained`: the last query pinned to the old strategy ended, so pending became active.
 * - `cleared`: clear() forgot active and pending.
 * - `expired`: the active strategy outlived the store's TTL.
 */
export type TransitionReason = 'set' | 'pending-set' | 'pending-applied' | 'drained' | 'cleared' | 'expired';

/** One change of a store's state, delivered to `onTransition` listeners for logs and metrics. */
export interface StrategyTransition {
  readonly reason: TransitionReason;
  /** Active strategy before the change. */
  readonly from: Strategy | null;
  /** Active strategy after the change (equal to `from` for `pending-set`). */
  readonly to: Strategy | null;
  /** Pending strategy after the change. */
  readonly pending: Strategy | null;
  /** Clock time of the change. */
  readonly at: number;
}

/** Called with each change of one store's state. */
export type StrategyTransitionListener = (transition: StrategyTransition) => void;

/** Calling it removes the listener; calling it again does nothing. */
export type Unsubscribe = () => void;
