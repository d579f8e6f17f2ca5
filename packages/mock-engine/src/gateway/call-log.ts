import { type Strategy } from '@e6data-ts/strategy-core';
import { type Clock, systemClock } from '../timers';

/**
 * How a call through the gateway ended:
 * - `ok` / `grpc-error`: the engine (or the cluster service) answered, with gRPC status 0 / non-zero.
 * - `rejected`: HTTP 456, the named deployment does not take the call.
 * - `suspended`: HTTP 503, the cluster is suspended or resuming.
 * - `fail-point`: a fail point answered or dropped the call.
 * - `upstream-error`: the engine could not be reached or broke off.
 * - `cancelled`: the client went away first.
 */
export type CallOutcome = 'ok' | 'grpc-error' | 'rejected' | 'suspended' | 'fail-point' | 'upstream-error' | 'cancelled';

/**
 * One call as the gateway saw it. Only routing headers are kept (never
 * authorization values, never message bodies), each cut to a short length.
 */
export interface CallRecord {
  readonly seq: number;
  readonly at: number;
  /** Engine method name, or `ClusterService/<method>` for cluster calls. */
  readonly rpc: string;
  /** The deployment the call was routed (or refused) to; null for cluster calls. */
  readonly deployment: Strategy | null;
  readonly strategy: string | null;
  readonly clusterName: string | null;
  readonly plannerIp: string | null;
  readonly outcome: CallOutcome;
  readonly grpcStatus: number | null;
  readonly httpStatus: number | null;
  /** The fail point that fired, if any. */
  readonly failPoint: string | null;
  readonly durationMs: number;
}

/** A call as the gateway reports it; the log adds the sequence number and time. */
export type CallInput = Omit<CallRecord, 'seq' | 'at'>;

/** Calls per rpc, per deployment (`none` for cluster calls), per outcome. */
export type CallCounts = Record<string, Record<string, Partial<Record<CallOutcome, number>>>>;

/** What the call log holds at one moment. */
export interface CallLogSnapshot {
  /** Calls recorded since the last reset. */
  readonly total: number;
  /** Records no longer held because the log is capped. */
  readonly dropped: number;
  readonly limit: number;
  readonly counts: CallCounts;
  readonly entries: readonly CallRecord[];
}

export interface CallLogOptions {
  /** Records kept (oldest dropped first); counts are kept for every call regardless. Default 1,000. */
  limit?: number;
  clock?: Clock;
}

const MAX_HEADER_CHARS = 64;

/** The gateway's call log: a capped list of records and uncapped counts. */
export class CallLog {
  // A ring: once full, the slot of the oldest record takes the newest.
  private entries: CallRecord[] = [];
  private oldest = 0;
  private counts: CallCounts = {};
  private total = 0;
  private readonly limit: number;
  private readonly clock: Clock;

  constructor(options: CallLogOptions = {}) {
    this.limit = options.limit ?? 1_000;
    this.clock = options.clock ?? systemClock;
  }

  record(input: CallInput): CallRecord {
    this.total += 1;
    const record: CallRecord = {
      rpc: input.rpc,
      deployment: input.deployment,
      strategy: clip(input.strategy),
      clusterName: clip(input.clusterName),
      plannerIp: clip(input.plannerIp),
      outcome: input.outcome,
      grpcStatus: input.grpcStatus,
      httpStatus: input.httpStatus,
      failPoint: input.failPoint,
      durationMs: input.durationMs,
      seq: this.total,
      at: this.clock.now(),
    };
    if (this.entries.length < this.limit) {
      this.entries.push(record);
    } else if (this.limit > 0) {
      this.entries[this.oldest] = record;
      this.oldest = (this.oldest + 1) % this.limit;
    }
    const byDeployment = (this.counts[record.rpc] ??= {});
    const byOutcome = (byDeployment[record.deployment ?? 'none'] ??= {});
    byOutcome[record.outcome] = (byOutcome[record.outcome] ?? 0) + 1;
    return record;
  }

  /** The number of calls of `rpc` (optionally only to `deployment`, optionally only with `outcome`). */
  count(rpc: string, deployment?: Strategy | 'none', outcome?: CallOutcome): number {
    let n = 0;
    for (const [name, byOutcome] of Object.entries(this.counts[rpc] ?? {})) {
      if (deployment !== undefined && name !== deployment) continue;
      for (const [key, value] of Object.entries(byOutcome)) {
        if (outcome === undefined || key === outcome) n += value;
      }
    }
    return n;
  }

  snapshot(): CallLogSnapshot {
    return {
      total: this.total,
      dropped: this.total - this.entries.length,
      limit: this.limit,
      counts: structuredClone(this.counts),
      entries: [...this.entries.slice(this.oldest), ...this.entries.slice(0, this.oldest)],
    };
  }

  reset(): void {
    this.entries = [];
    this.oldest = 0;
    this.counts = {};
    this.total = 0;
  }
}

function clip(value: string | null): string | null {
  return value === null || value.length <= MAX_HEADER_CHARS ? value : `${value.slice(0, MAX_HEADER_CHARS)}…`;
}
