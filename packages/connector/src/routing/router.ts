// Which deployment each call goes to, and what happens when it is refused.
// - Work-starting calls (prepare, schema calls, dry run) go where new work goes
//   now: the pending strategy when the cluster announced one, else the active
//   one, detecting it first when unknown. A 456 forgets the cached strategy and
//   detects again; when both deployments refuse (a switch in progress) new work
//   is held, re-detecting with backoff, up to the cutover hold.
// - Per-query calls go to the deployment, planner and session their query
//   started on. A 456 there means that deployment is gone: QueryLostError.
import { nextDelayMs, readNewStrategy, TransportError, type CallHeaders, type EngineClient } from '@e6data-ts/grpc-transport';
import { type Strategy, type StrategyStore } from '@e6data-ts/strategy-core';
import { type RetryReason } from '../diagnostics/connector-events';
import { CutoverHoldError, E6DataError, QueryLostError, StrategyDetectionError } from '../errors';
import { log } from '../options/logger';
import { type ResolvedOptions } from '../options/connect-options';
import { type ClusterResumer } from '../session/cluster-resume';
import { type SessionManager } from '../session/session-manager';
import { callDeadline, sleep, type Operation } from './operation';
import { runWithRecovery, type RecoveryHooks } from './recovery-loop';
import { type RetryBudget } from './retry-budget';

/** Where a work-starting call goes, as the attempt that makes it sees it. */
export interface WorkTarget {
  readonly strategy: Strategy;
  readonly sessionId: string;
  /** Headers of the call (strategy and cluster name). */
  readonly headers: CallHeaders;
  /** The call's deadline for its kind (epoch ms). */
  deadline(kindMs: number): number;
  /** True when the call starts on an announced (pending) deployment rather than the active one. */
  readonly onPending: boolean;
}

/** The route a query keeps from prepare to clear. `sessionId` changes only when its session is renewed. */
export interface QueryRoute {
  readonly queryId: string;
  readonly strategy: Strategy;
  readonly engineIP: string;
  sessionId: string;
}

export interface RouterDeps {
  client: EngineClient;
  store: StrategyStore;
  sessions: SessionManager;
  resumer: ClusterResumer;
  budget: RetryBudget;
  options: ResolvedOptions;
  now(): number;
  random(): number;
  onRetry(reason: RetryReason, method: string, attempt: number, delayMs: number, queryId: string | undefined): void;
}

export class Router {
  constructor(private readonly deps: RouterDeps) {}

  /** Runs a work-starting call on the deployment that takes new work, recovering per the rules. */
  startWork<T>(method: string, op: Operation, call: (target: WorkTarget) => Promise<T>, idempotent = true): Promise<T> {
    let current: { strategy: Strategy; sessionId: string | undefined } | undefined;
    const hooks: RecoveryHooks = {
      onStrategyMismatch: async () => this.redetect(current?.strategy, op),
      onAccessDenied: async () => {
        if (current !== undefined) await this.deps.sessions.renew(current.strategy, current.sessionId, op);
      },
      onClusterSuspended: (error) => this.resume(error, op),
    };
    return runWithRecovery(async () => {
      const onPending = this.deps.store.getPending() !== null;
      const strategy = this.deps.store.strategyForNewQuery() ?? (await this.detectOrHold(op));
      current = { strategy, sessionId: undefined };
      const sessionId = await this.deps.sessions.session(strategy, op);
      current.sessionId = sessionId;
      const target: WorkTarget = {
        strategy,
        sessionId,
        headers: this.headers(strategy),
        deadline: (kindMs) => callDeadline(op, kindMs, this.deps.now()),
        onPending,
      };
      const result = await call(target);
      this.observe(result);
      return result;
    }, this.plan(method, op, idempotent, hooks, undefined));
  }

  /**
   * Runs a call about a running query on that query's own deployment. A 456
   * raises QueryLostError (with `rowsHandedOut()` at that moment); the caller
   * decides whether a re-run is allowed.
   */
  queryCall<T>(route: QueryRoute, method: string, op: Operation, idempotent: boolean, rowsHandedOut: () => number, call: (headers: CallHeaders) => Promise<T>): Promise<T> {
    const hooks: RecoveryHooks = {
      onStrategyMismatch: (error) => Promise.reject(new QueryLostError(route.queryId, route.strategy, rowsHandedOut(), { method, cause: error })),
      onAccessDenied: async () => {
        route.sessionId = await this.deps.sessions.renew(route.strategy, route.sessionId, op);
      },
      onClusterSuspended: (error) => this.resume(error, op),
    };
    return runWithRecovery(async () => {
      const result = await call({ ...this.headers(route.strategy), plannerIp: route.engineIP });
      this.observe(result);
      return result;
    }, this.plan(method, op, idempotent, hooks, route.queryId));
  }

  /** Finds the live deployment, holding while both refuse new work. */
  async detectOrHold(op: Operation): Promise<Strategy> {
    const started = this.deps.now();
    const { retry, cutoverHoldMs } = this.deps.options;
    // Once holding, a detection round may not outlast the hold either.
    const heldOp: Operation = { ...op, deadline: Math.min(op.deadline, started + cutoverHoldMs) };
    let resumed = false;
    // What the deployments answered last: the cause a hold error reports, even when the hold ran out mid-round.
    let lastRefusal: StrategyDetectionError | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.sessions.detect(attempt === 1 ? op : heldOp);
      } catch (err) {
        // Detection runs outside the recovery loop, so it resumes a suspended cluster itself (once, as the loop would).
        if (err instanceof TransportError && err.kind === 'cluster-suspended' && !resumed) {
          resumed = true;
          await this.resume(err, op);
          op.retries.count += 1;
          this.deps.onRetry('cluster-suspended', 'authenticate', attempt, 0, undefined);
          continue;
        }
        if (!(err instanceof StrategyDetectionError)) {
          const failure = err instanceof E6DataError ? err : E6DataError.from(err, { method: 'authenticate' });
          if (attempt > 1 && this.deps.now() >= heldOp.deadline && heldOp.deadline < op.deadline) {
            throw new CutoverHoldError(`no deployment took new work within the cutover hold (${cutoverHoldMs} ms)`, this.deps.now() - started, {
              stage: 'rejected',
              kind: 'strategy-mismatch',
              method: 'authenticate',
              cause: lastRefusal ?? failure,
            });
          }
          throw failure;
        }
        lastRefusal = err;
        const delayMs = Math.max(10, nextDelayMs(attempt, () => this.deps.random(), { baseDelayMs: Math.max(retry.baseDelayMs, 50), maxDelayMs: Math.max(retry.maxDelayMs, 50) }));
        const heldMs = this.deps.now() - started;
        if (heldMs + delayMs > cutoverHoldMs || this.deps.now() + delayMs >= op.deadline) {
          throw new CutoverHoldError(
            `no deployment took new work for ${Math.round(heldMs)} ms (both answered HTTP 456; cutover hold ${cutoverHoldMs} ms` +
              (op.deadline === Number.POSITIVE_INFINITY ? ')' : ' or the caller\'s deadline)'),
            heldMs,
            { stage: 'rejected', kind: 'strategy-mismatch', method: 'authenticate', cause: err },
          );
        }
        op.retries.count += 1;
        this.deps.onRetry('cutover-hold', 'authenticate', attempt, delayMs, undefined);
        await sleep(delayMs, op.signal);
      }
    }
  }

  /** Takes `new_strategy` from any response: announced deployments become pending at once. */
  observe(response: unknown): void {
    const next = readNewStrategy(response, { warn: (message, fields) => log(this.deps.options.logger, 'warn', `e6data: ${message}`, fields ?? {}) });
    if (next === null) return;
    if (this.deps.store.setPending(next)) this.deps.store.applyPendingIfDrained();
  }

  private async redetect(refused: Strategy | undefined, op: Operation): Promise<void> {
    const store = this.deps.store;
    // Forget the strategy only if nobody has moved on from it already: the
    // other callers refused by the same switch join the first one's detection.
    if (refused === undefined || store.getActive() === refused || store.getPending() === refused) store.clear();
    if (store.strategyForNewQuery() === null) await this.detectOrHold(op);
  }

  private async resume(error: TransportError, op: Operation): Promise<void> {
    if (!this.deps.options.autoResume) throw E6DataError.from(error);
    await this.deps.resumer.resume(op);
  }

  private headers(strategy: Strategy): CallHeaders {
    return this.deps.options.cluster === '' ? { strategy } : { strategy, clusterName: this.deps.options.cluster };
  }

  private plan(method: string, op: Operation, idempotent: boolean, hooks: RecoveryHooks, queryId: string | undefined) {
    const { retry } = this.deps.options;
    return {
      method,
      idempotent,
      op,
      ...(queryId === undefined ? {} : { queryId }),
      hooks,
      maxAttempts: retry.maxAttempts,
      baseDelayMs: retry.baseDelayMs,
      maxDelayMs: retry.maxDelayMs,
      budget: this.deps.budget,
      onRetry: (reason: RetryReason, attempt: number, delayMs: number) => this.deps.onRetry(reason, method, attempt, delayMs, queryId),
      now: () => this.deps.now(),
      random: () => this.deps.random(),
    };
  }
}
