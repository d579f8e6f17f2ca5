import { type Strategy } from '@e6data-ts/strategy-core';
import { type ClusterLogger } from '../logger';
import { type Clock } from '../timers';
import { type CallLog, type CallOutcome } from './call-log';
import { type Http2Stream, type RawHeaders } from './h2';
import { type RelayListener, type RelayOutcome } from './relay-call';

/** The routing headers a call carried, as the call log keeps them. */
export interface CallHeaders {
  readonly strategy: string | null;
  readonly clusterName: string | null;
  readonly plannerIp: string | null;
}

/** What every call through one gateway shares. */
export interface CallContext {
  readonly callLog: CallLog;
  readonly clock: Clock;
  readonly logger: ClusterLogger;
}

/**
 * One QueryEngineService call on its way through the gateway, from arrival
 * to its single call-log record (the first outcome wins; later ones, such as
 * a client leaving after its answer, are ignored).
 */
export class EngineCall implements RelayListener {
  /** The fail point that fired for the call, if any. */
  failPoint: string | null = null;
  /** Set once the call is forwarded: the deployment it went to and whether its answer is being corrupted. */
  forwardedTo: Strategy | null = null;
  corrupting = false;
  private recorded = false;

  constructor(
    private readonly context: CallContext,
    readonly stream: Http2Stream,
    readonly headers: RawHeaders,
    readonly path: string,
    readonly method: string,
    readonly seen: CallHeaders,
    private readonly started: number,
    /** The `strategy` header when it names a deployment; null when absent. */
    readonly requested: Strategy | null,
    /** The deployment the call names, or the one taking new work when it names none. */
    readonly target: Strategy,
  ) {}

  record(deployment: Strategy | null, outcome: CallOutcome, grpcStatus: number | null, httpStatus: number | null): void {
    if (this.recorded) return;
    this.recorded = true;
    const { callLog, clock } = this.context;
    callLog.record({
      rpc: this.method,
      deployment,
      strategy: this.seen.strategy,
      clusterName: this.seen.clusterName,
      plannerIp: this.seen.plannerIp,
      outcome,
      grpcStatus,
      httpStatus,
      failPoint: this.failPoint,
      durationMs: clock.now() - this.started,
    });
  }

  relayDone(outcome: RelayOutcome, grpcStatus: number | null, upstreamName: string): void {
    if (outcome === 'upstream-error') this.context.logger.warn(`call to ${upstreamName} failed`, { path: this.path, grpcStatus });
    this.record(this.forwardedTo, this.corrupting && outcome !== 'cancelled' ? 'fail-point' : outcome, grpcStatus, 200);
  }
}
