import { RETRY_REASONS, type RetryReason } from './connector-events';

/** Counters of one connection (or, summed, of a pool). */
export interface ConnectionStats {
  /** Statements executed (each rerun counts once more). */
  queries: number;
  /** Retries by reason. */
  retries: Record<RetryReason, number>;
  /** Detections that found the live deployment. */
  detections: number;
  /** Times the endpoint's active deployment changed while this connection watched. */
  switches: number;
  /** Queries whose deployment went away (rerun or not). */
  lost: number;
  /** Lost queries run again on the live deployment. */
  rerun: number;
}

export function emptyStats(): ConnectionStats {
  return {
    queries: 0,
    retries: Object.fromEntries(RETRY_REASONS.map((r) => [r, 0])) as Record<RetryReason, number>,
    detections: 0,
    switches: 0,
    lost: 0,
    rerun: 0,
  };
}

/** A deep copy, so callers cannot change the live counters. */
export function copyStats(stats: ConnectionStats): ConnectionStats {
  return { ...stats, retries: { ...stats.retries } };
}

/** Adds `from` into `into`, field by field. */
export function addStats(into: ConnectionStats, from: ConnectionStats): ConnectionStats {
  into.queries += from.queries;
  into.detections += from.detections;
  into.switches += from.switches;
  into.lost += from.lost;
  into.rerun += from.rerun;
  for (const reason of RETRY_REASONS) into.retries[reason] += from.retries[reason];
  return into;
}
