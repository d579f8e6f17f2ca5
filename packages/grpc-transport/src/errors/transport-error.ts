// The package's error family. Every failure a caller sees from this package is
// a TransportError whose `kind` says what to do about it; retryability is data
// on the error, not string matching scattered through callers.
import { status as GrpcStatus, type Metadata } from '@grpc/grpc-js';
import { type ErrorKind } from './error-kind';
import { analyseFailure, type FailureAnalysis, type FailureCode } from './failure-analysis';

/** A TransportError's stable code: the failure as classified, or a client-side refusal. */
export type TransportErrorCode = FailureCode | 'INVALID_OPTION' | 'CLIENT_CLOSED' | 'RETRY_EXHAUSTED';

/** What a TransportError is built from. */
export interface TransportErrorInit {
  code: TransportErrorCode;
  kind: ErrorKind;
  /** True when the request may have reached an engine; see FailureAnalysis. */
  ambiguous?: boolean;
  grpcCode?: number;
  details?: string;
  httpStatus?: number;
  /** Trailers the server sent with the failure, when any. */
  metadata?: Metadata;
  /** The engine method the failure belongs to, when known. */
  method?: string;
  cause?: unknown;
}

/** Context for TransportError.from: which call failed and how far it got. */
export interface FromOptions {
  /** The engine method being called; prefixes the message. */
  method?: string;
  /**
   * Values that must never appear in a message (the password or token of the
   * call). A server that echoes them back in its details gets them masked.
   */
  secrets?: readonly (string | undefined)[];
}

const MASK = '***';

/** The base of every error this package raises: `code` and `kind` say what failed, `ambiguous` whether the request may have reached an engine. */
export class TransportError extends Error {
  override readonly name: string = 'TransportError';
  readonly code: TransportErrorCode;
  readonly kind: ErrorKind;
  readonly ambiguous: boolean;
  readonly grpcCode: number | undefined;
  readonly details: string | undefined;
  readonly httpStatus: number | undefined;
  readonly metadata: Metadata | undefined;
  readonly method: string | undefined;

  constructor(message: string, init: TransportErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.kind = init.kind;
    this.ambiguous = init.ambiguous ?? true;
    this.grpcCode = init.grpcCode;
    this.details = init.details;
    this.httpStatus = init.httpStatus;
    this.metadata = init.metadata;
    this.method = init.method;
  }

  /** The gRPC status name (`UNAVAILABLE`), when the failure carried a gRPC code. */
  get grpcStatusName(): string | undefined {
    return this.grpcCode === undefined ? undefined : GrpcStatus[this.grpcCode];
  }

  /**
   * `reason` itself when it already is a TransportError; otherwise the typed
   * error its classification calls for, with `reason` as the cause.
   */
  static from(reason: unknown, options: FromOptions = {}): TransportError {
    if (reason instanceof TransportError) return reason;
    const analysis = analyseFailure(reason);
    const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
    const details = analysis.details === undefined ? undefined : mask(analysis.details, secrets);
    const init: TransportErrorInit = {
      code: analysis.code,
      kind: analysis.kind,
      ambiguous: analysis.ambiguous,
      ...(analysis.grpcCode === undefined ? {} : { grpcCode: analysis.grpcCode }),
      ...(details === undefined ? {} : { details }),
      ...(analysis.httpStatus === undefined ? {} : { httpStatus: analysis.httpStatus }),
      ...(metadataOf(reason) ?? {}),
      ...(options.method === undefined ? {} : { method: options.method }),
      cause: maskedCause(reason, secrets),
    };
    const message = describe(analysis, details, options.method);
    switch (analysis.code) {
      case 'STRATEGY_MISMATCH':
        return new StrategyMismatchError(message, init);
      case 'ACCESS_DENIED':
        return new AccessDeniedError(message, init);
      case 'CLUSTER_SUSPENDED':
        return new ClusterSuspendedError(message, init);
      case 'UNAVAILABLE':
        return new UnavailableError(message, init);
      case 'DEADLINE_EXCEEDED':
        return new DeadlineExceededError(message, init);
      case 'ABORTED':
        return new CallAbortedError(reason, options.method === undefined ? {} : { method: options.method });
      case 'CALL_FAILED':
        return new TransportError(message, init);
    }
  }
}

/** HTTP 456: the requested deployment does not take this call. */
export class StrategyMismatchError extends TransportError {
  override readonly name: string = 'StrategyMismatchError';
}

/** The engine does not know the session: log in again. */
export class AccessDeniedError extends TransportError {
  override readonly name: string = 'AccessDeniedError';
}

/** HTTP 503: the cluster is suspended. */
export class ClusterSuspendedError extends TransportError {
  override readonly name: string = 'ClusterSuspendedError';
}

/** The connection failed or broke; `ambiguous` says whether the call may have run. */
export class UnavailableError extends TransportError {
  override readonly name: string = 'UnavailableError';
}

/** The call ran past its deadline; the engine may still have run it. */
export class DeadlineExceededError extends TransportError {
  override readonly name: string = 'DeadlineExceededError';
}

/** The caller's signal aborted the call or the wait before a retry. Never retried. */
export class CallAbortedError extends TransportError {
  override readonly name: string = 'CallAbortedError';
  /** The signal's reason, exactly as the caller gave it. */
  readonly reason: unknown;

  constructor(reason: unknown, options: { method?: string } = {}) {
    super(abortMessage(reason, options.method), {
      code: 'ABORTED',
      kind: 'fatal',
      ambiguous: true,
      ...(options.method === undefined ? {} : { method: options.method }),
      cause: reason,
    });
    this.reason = reason;
  }
}

function abortMessage(reason: unknown, method: string | undefined): string {
  const what = method === undefined ? 'aborted' : `${method}: aborted`;
  // Duck-typed: a DOMException from another realm is not `instanceof Error`.
  const text = typeof reason === 'string' ? reason : messageOf(reason);
  return text ? `${what} (${text})` : what;
}

const SUMMARIES: Record<FailureCode, string> = {
  STRATEGY_MISMATCH: 'strategy mismatch: the cluster answered HTTP 456, the requested deployment does not take this call',
  ACCESS_DENIED: 'access denied: the engine does not know the session (expired, or from the other deployment)',
  CLUSTER_SUSPENDED: 'cluster suspended: the cluster answered HTTP 503',
  UNAVAILABLE: 'engine unavailable',
  DEADLINE_EXCEEDED: 'deadline exceeded',
  ABORTED: 'aborted',
  CALL_FAILED: 'call failed',
};

function describe(analysis: FailureAnalysis, details: string | undefined, method: string | undefined): string {
  const status = analysis.grpcCode === undefined ? undefined : `${GrpcStatus[analysis.grpcCode]} (${analysis.grpcCode})`;
  const suffix = [status, details].filter((part) => part !== undefined && part !== '').join(': ');
  const text = suffix === '' ? SUMMARIES[analysis.code] : `${SUMMARIES[analysis.code]} [${suffix}]`;
  return method === undefined ? text : `${method}: ${text}`;
}

function messageOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = (value as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

/**
 * The raw failure kept as `cause`, or a copy of it with the secrets masked when
 * its message, details or stack carries one: `util.inspect` and loggers print
 * causes, so an echoed password must not survive there either.
 */
function maskedCause(reason: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return reason;
  if (typeof reason === 'string') return mask(reason, secrets);
  if (typeof reason !== 'object' || reason === null) return reason;
  const raw = reason as { message?: unknown; details?: unknown; stack?: unknown; code?: unknown; metadata?: unknown };
  const texts = [raw.message, raw.details, raw.stack].filter((t): t is string => typeof t === 'string');
  if (!texts.some((text) => secrets.some((secret) => text.includes(secret)))) return reason;
  const copy = new Error(typeof raw.message === 'string' ? mask(raw.message, secrets) : 'the call failed');
  copy.stack = typeof raw.stack === 'string' ? mask(raw.stack, secrets) : copy.stack;
  return Object.assign(copy, {
    ...(raw.code === undefined ? {} : { code: raw.code }),
    ...(typeof raw.details === 'string' ? { details: mask(raw.details, secrets) } : {}),
    ...(raw.metadata === undefined ? {} : { metadata: raw.metadata }),
  });
}

function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}

function metadataOf(reason: unknown): { metadata: Metadata } | undefined {
  if (typeof reason !== 'object' || reason === null) return undefined;
  const metadata = (reason as { metadata?: unknown }).metadata;
  // Duck-typed: a Metadata from another copy of grpc-js is still metadata.
  if (typeof metadata === 'object' && metadata !== null && typeof (metadata as Metadata).getMap === 'function') {
    return { metadata: metadata as Metadata };
  }
  return undefined;
}
