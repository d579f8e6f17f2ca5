// What a Connection (and a Pool) tells its listeners. Events carry ids,
// strategies, counts and times: never SQL parameters, passwords or tokens.
import { type Strategy, type TransitionReason } from '@e6data-ts/strategy-core';

/** Why a call was tried again. `cutover-hold`: both deployments refused new work and the call waited. */
export type RetryReason = 'strategy-mismatch' | 'access-denied' | 'cluster-suspended' | 'transient' | 'cutover-hold';

/** Every RetryReason, in a fixed order. */
export const RETRY_REASONS: readonly RetryReason[] = Object.freeze([
  'strategy-mismatch',
  'access-denied',
  'cluster-suspended',
  'transient',
  'cutover-hold',
] as const);

/** Detection found the live deployment. */
export interface DetectEvent {
  readonly strategy: Strategy;
  /** authenticate calls it took (1: blue answered; 2: blue refused, green answered). */
  readonly attempts: number;
  readonly durationMs: number;
}

/** The endpoint's blue/green state changed (shared by every connection to the endpoint). */
export interface StrategyChangeEvent {
  readonly endpoint: string;
  readonly from: Strategy | null;
  readonly to: Strategy | null;
  readonly pending: Strategy | null;
  readonly reason: TransitionReason;
  readonly at: number;
}

/** A call is about to be tried again. */
export interface RetryEvent {
  readonly method: string;
  readonly reason: RetryReason;
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly queryId?: string;
}

/** A running query's deployment went away. */
export interface QueryLostEvent {
  readonly queryId: string;
  readonly strategy: Strategy;
  readonly rowsHandedOut: number;
  /** True when the statement was run again on the live deployment (rerunOnLoss). */
  readonly rerun: boolean;
}

/** Event name -> listener arguments, for typed `on`/`off`. */
export interface ConnectorEvents {
  detect: [DetectEvent];
  strategyChange: [StrategyChangeEvent];
  retry: [RetryEvent];
  queryLost: [QueryLostEvent];
}
