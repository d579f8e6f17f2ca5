import { status as GrpcStatus } from '@grpc/grpc-js';

export type EngineErrorCode =
  /** User unknown or token wrong. */
  | 'AUTHENTICATION_FAILED'
  /** Session unknown or expired: real clusters answer INTERNAL 'Access denied'. */
  | 'ACCESS_DENIED'
  /** No query with that id on this deployment (never prepared, cleared, or another user's). */
  | 'QUERY_NOT_FOUND'
  /** The call does not fit the query's state (batches before execute, execute twice...). */
  | 'QUERY_STATE'
  /** The query was cancelled; its results are gone. */
  | 'QUERY_CANCELLED'
  /** DuckDB refused the SQL (syntax, binding, catalog or runtime error). */
  | 'SQL_ERROR'
  /** An execute parameter has a bad index, type or value. */
  | 'INVALID_PARAMETER'
  /** A value has no e6data wire form (a HUGEINT past 64 bits, an infinite date...). */
  | 'VALUE_OUT_OF_RANGE'
  /** getColumns named a table the catalog does not hold. */
  | 'TABLE_NOT_FOUND'
  /** startEngine was given an impossible option. */
  | 'INVALID_OPTION'
  /** An initSql script (or the seed) failed while the engine started. */
  | 'INIT_SQL_FAILED'
  /** The engine is closing or closed. */
  | 'CLOSED'
  | 'INTERNAL';

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
 * The base error of the mock engine. `grpcStatus` is the status the engine
 * answers with; messages name the problem and never carry a password or token.
 */
export class EngineError extends Error {
  override readonly name: string = 'EngineError';
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get grpcStatus(): GrpcStatus {
    return GRPC_STATUS[this.code];
  }

  /** Returns `reason` when it already is an EngineError, otherwise wraps it with code INTERNAL. */
  static from(reason: unknown): EngineError {
    if (reason instanceof EngineError) return reason;
    return new EngineError('INTERNAL', `internal engine error: ${messageOf(reason)}`, { cause: reason });
  }
}

/** Unknown or expired session. The message always contains 'Access denied'. */
export class AccessDeniedError extends EngineError {
  override readonly name: string = 'AccessDeniedError';
  readonly reason: 'unknown-session' | 'expired-session';

  constructor(reason: 'unknown-session' | 'expired-session') {
    const why = reason === 'expired-session' ? 'session expired' : 'unknown session';
    super('ACCESS_DENIED', `Access denied: ${why}; authenticate again`);
    this.reason = reason;
  }
}

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
