import { status as GrpcStatus } from '@grpc/grpc-js';
import { MockClusterError, type EngineErrorCode } from '../errors';

// Errors raised inside an engine. Their base, EngineError, is the package's
// MockClusterError by origin: catch MockClusterError for any failure of the
// package, EngineError for an engine's, and read `grpcStatus` for the status
// the engine answers with.

// The gRPC status each failure travels with. ACCESS_DENIED must be INTERNAL:
// that is what real clusters send, and what clients key their re-login on.
const GRPC_STATUS: Readonly<Record<EngineErrorCode, GrpcStatus>> = {
  AUTHENTICATION_FAILED: GrpcStatus.UNAUTHENTICATED,
  ACCESS_DENIED: GrpcStatus.INTERNAL,
  QUERY_NOT_FOUND: GrpcStatus.NOT_FOUND,
  QUERY_STATE: GrpcStatus.FAILED_PRECONDITION,
  QUERY_CANCELLED: GrpcStatus.CANCELLED,
  SQL_ERROR: GrpcStatus.INVALID_ARGUMENT,
  INVALID_PARAMETER: GrpcStatus.INVALID_ARGUMENT,
  VALUE_OUT_OF_RANGE: GrpcStatus.OUT_OF_RANGE,
  TABLE_NOT_FOUND: GrpcStatus.NOT_FOUND,
  INVALID_OPTION: GrpcStatus.INVALID_ARGUMENT,
  INIT_SQL_FAILED: GrpcStatus.INTERNAL,
  CLOSED: GrpcStatus.UNAVAILABLE,
  INTERNAL: GrpcStatus.INTERNAL,
};

/**
 * The message of anything thrown. Errors from DuckDB's native binding may come
 * from another realm (jest, worker threads), where `instanceof Error` fails, so
 * this reads the `message` property instead.
 */
export function messageOf(reason: unknown): string {
  if (typeof reason === 'object' && reason !== null && 'message' in reason && typeof reason.message === 'string') return reason.message;
  return String(reason);
}

/**
 * A failure inside an engine. `grpcStatus` is the status the engine answers
 * with; messages name the problem and never carry a password or token.
 */
export class EngineError extends MockClusterError {
  override readonly name: string = 'EngineError';
  override readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.code = code;
  }

  get grpcStatus(): GrpcStatus {
    return GRPC_STATUS[this.code];
  }

  /** Returns `reason` when it already is an EngineError, otherwise wraps it with code INTERNAL. */
  static override from(reason: unknown): EngineError {
    if (reason instanceof EngineError) return reason;
    return new EngineError('INTERNAL', `internal engine error: ${messageOf(reason)}`, { cause: reason });
  }
}

/** Unknown or expired session. The message always contains 'Access denied'. */
export class SessionAccessDeniedError extends EngineError {
  override readonly name: string = 'SessionAccessDeniedError';
  readonly reason: 'unknown-session' | 'expired-session';

  constructor(reason: 'unknown-session' | 'expired-session') {
    const why = reason === 'expired-session' ? 'session expired' : 'unknown session';
    super('ACCESS_DENIED', `Access denied: ${why}; authenticate again`);
    this.reason = reason;
  }
}

/** A call named a query this engine does not hold (NOT_FOUND, naming the query and the deployment). */
export class QueryNotFoundError extends EngineError {
  override readonly name: string = 'QueryNotFoundError';
  readonly queryId: string;

  constructor(queryId: string, deployment: string, detail?: string) {
    super('QUERY_NOT_FOUND', `query ${queryId} not found on deployment ${deployment}${detail ? ` (${detail})` : ''}`);
    this.queryId = queryId;
  }
}

/** DuckDB refused the statement; the message carries DuckDB's own text. */
export class SqlError extends EngineError {
  override readonly name: string = 'SqlError';

  constructor(duckdbMessage: string, options?: { cause?: unknown }) {
    super('SQL_ERROR', duckdbMessage, options);
  }

  /** Wraps whatever DuckDB threw, keeping its message (DuckDB never echoes credentials: it never sees any). */
  static fromDuckDB(reason: unknown): SqlError {
    return new SqlError(messageOf(reason), { cause: reason });
  }
}
