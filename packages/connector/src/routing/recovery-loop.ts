// The one retry loop of the connector. A call fails; its transport reading
// (kind, ambiguous) and the rules decide what happens next:
// - strategy-mismatch (HTTP 456): the plan's hook decides. Work-starting calls
//   re-detect the live deployment and go again; per-query calls raise
//   QueryLostError from the hook (their deployment is gone).
// - access-denied: log in again on the same deployment, go again.
// - cluster-suspended (HTTP 503): resume the cluster (when auto-resume is on), go again once.
// - transient: go again only when the call is idempotent or was never sent;
//   an ambiguous failure of execute is never sent twice.
// - fatal: raised at once.
// The first recovery of each kind goes again at once and for free (its hook
// just fixed the cause); every other retry spends a token of the endpoint's
// budget and waits with full-jitter backoff, and no wait starts that would end
// past the operation's deadline.
import { isRetryable, nextDelayMs, TransportError, type ErrorKind } from '@e6data-ts/grpc-transport';
import { type RetryReason } from '../diagnostics/connector-events';
import { E6DataError, stageOf, type Stage } from '../errors';
import { abortedError, checkOperation, deadlineError, sleep, type Operation } from './operation';
import { type RetryBudget } from './retry-budget';

export interface RecoveryHooks {
  /** HTTP 456. Throw to stop (a lost query); return to go again. */
  onStrategyMismatch(error: TransportError): Promise<void>;
  /** The session is unknown or expired: log in again. */
  onAccessDenied(error: TransportError): Promise<void>;
  /** HTTP 503: resume, or throw when auto-resume is off. */
  onClusterSuspended(error: TransportError): Promise<void>;
}

export interface RecoveryPlan {
  /** The engine method, for errors and events. */
  method: string;
  /** Sending the call twice does no harm. */
  idempotent: boolean;
  op: Operation;
  queryId?: string;
  hooks: RecoveryHooks;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  budget: RetryBudget;
  /** Told before each retry. */
  onRetry(reason: RetryReason, attempt: number, delayMs: number): void;
  now(): number;
  random(): number;
}

/**
 * Runs `call(attempt)` until it succeeds or the rules stop it. Errors come out
 * as E6DataError with the stage of the last failure; errors a hook throws
 * (QueryLostError, CutoverHoldError...) come out as they are.
 */
export async function runWithRecovery<T>(call: (attempt: number) => Promise<T>, plan: RecoveryPlan): Promise<T> {
  const recovered = new Set<ErrorKind>();
  for (let attempt = 1; ; attempt++) {
    checkOperation(plan.op, plan.now(), plan.method);
    let failure: TransportError;
    try {
      const result = await call(attempt);
      plan.budget.recordSuccess();
      return result;
    } catch (err) {
      if (err instanceof E6DataError) throw err;
      failure = TransportError.from(err, { method: plan.method });
    }
    if (failure.code === 'ABORTED') {
      // Our own deadline or the caller's signal: say which.
      if (plan.op.signal?.aborted) throw abortedError(plan.op.signal.reason, plan.method, 'ambiguous', plan.queryId);
      throw wrap(failure, plan, 'ambiguous');
    }
    const kind = failure.kind;
    const retryable =
      isRetryable(kind, { idempotent: plan.idempotent, ambiguous: failure.ambiguous }) && !(kind === 'cluster-suspended' && recovered.has(kind));
    if (!retryable) throw wrap(failure, plan);
    // The first recovery of a kind is free: its hook fixes the cause (a new
    // deployment, a new session, a resumed cluster) and the call goes again at
    // once. Every other retry waits and spends a token of the endpoint's budget.
    const hooked = kind !== 'transient';
    const firstRecovery = hooked && !recovered.has(kind);
    if (attempt >= plan.maxAttempts) throw wrap(failure, plan, undefined, ` (gave up after ${attempt} attempts)`);
    if (!firstRecovery && !plan.budget.trySpend()) {
      throw new E6DataError(`${failure.message} (not retried: the endpoint's retry budget is spent)`, {
        code: 'RETRY_BUDGET_EXHAUSTED',
        stage: stageOf(failure),
        kind,
        method: plan.method,
        ...(plan.queryId === undefined ? {} : { queryId: plan.queryId }),
        cause: failure,
      });
    }
    const delayMs = firstRecovery ? 0 : nextDelayMs(attempt, () => plan.random(), plan);
    if (plan.now() + delayMs >= plan.op.deadline) {
      throw deadlineError(plan.method, stageOf(failure), plan.queryId);
    }
    if (kind === 'strategy-mismatch') await plan.hooks.onStrategyMismatch(failure);
    else if (kind === 'access-denied') await plan.hooks.onAccessDenied(failure);
    else if (kind === 'cluster-suspended') await plan.hooks.onClusterSuspended(failure);
    if (hooked) recovered.add(kind);
    plan.op.retries.count += 1;
    plan.onRetry(kind as RetryReason, attempt, delayMs);
    if (delayMs > 0) {
      try {
        await sleep(delayMs, plan.op.signal);
      } catch {
        throw abortedError(plan.op.signal?.reason, plan.method, stageOf(failure), plan.queryId);
      }
    }
  }
}

function wrap(failure: TransportError, plan: RecoveryPlan, stage?: Stage, suffix = ''): E6DataError {
  return new E6DataError(failure.message + suffix, {
    code: failure.code,
    stage: stage ?? stageOf(failure),
    kind: failure.kind,
    method: plan.method,
    ...(plan.queryId === undefined ? {} : { queryId: plan.queryId }),
    cause: failure,
  });
}
