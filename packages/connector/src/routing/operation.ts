// One caller-visible operation (an execute, a fetch, a schema call): its
// caller's abort signal and its absolute deadline, shared by every call and
// every retry wait inside it.
import { CallAbortedError, realSleep } from '@e6data-ts/grpc-transport';
import { ConfigurationError, E6DataError } from '../errors';

/** Per-call limits: an abort signal and a time limit for the whole operation. */
export interface OperationOptions {
  /** Aborting stops the operation; a running query is cancelled on the engine too. */
  signal?: AbortSignal;
  /** Time limit of the whole operation, retries included, in milliseconds. */
  timeoutMs?: number;
}

export interface Operation {
  readonly signal: AbortSignal | undefined;
  /** Epoch milliseconds; Infinity when the caller set none (each call still has its own deadline). */
  readonly deadline: number;
  /** Retries made for this operation (shared by the operations of one query, so its trace counts them all). */
  readonly retries: { count: number };
}

/** Reads and checks the caller's options. */
export function startOperation(options: OperationOptions | undefined, now: number, retries: { count: number } = { count: 0 }): Operation {
  const signal = options?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ConfigurationError('signal', 'signal must be an AbortSignal');
  const timeoutMs = options?.timeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw new ConfigurationError('timeoutMs', `timeoutMs must be a positive, finite number of milliseconds, got ${String(timeoutMs)}`);
  }
  return { signal, deadline: timeoutMs === undefined ? Number.POSITIVE_INFINITY : now + timeoutMs, retries };
}

/** The deadline of one call: the operation's, or `kindMs` from now when that is earlier. */
export function callDeadline(op: Operation, kindMs: number, now: number): number {
  return Math.min(op.deadline, now + kindMs);
}

/** Throws the typed error for an operation whose signal fired or whose deadline passed. */
export function checkOperation(op: Operation, now: number, method: string): void {
  if (op.signal?.aborted) throw abortedError(op.signal.reason, method, 'not-sent');
  if (now >= op.deadline) throw deadlineError(method, 'not-sent');
}

export function abortedError(reason: unknown, method: string, stage: E6DataError['stage'], queryId?: string): E6DataError {
  const transport = new CallAbortedError(reason, { method });
  return new E6DataError(transport.message, { code: 'ABORTED', stage, kind: 'fatal', method, ...(queryId === undefined ? {} : { queryId }), cause: reason });
}

export function deadlineError(method: string, stage: E6DataError['stage'], queryId?: string): E6DataError {
  return new E6DataError(`${method}: the operation's deadline passed`, {
    code: 'DEADLINE_EXCEEDED',
    stage,
    kind: 'transient',
    method,
    ...(queryId === undefined ? {} : { queryId }),
  });
}

/** Resolves after `ms`, or rejects with a CallAbortedError when `signal` aborts (the transport's own sleep). */
export const sleep = realSleep;
