// The package's error vocabulary: one base class, MockClusterError, and the
// codes of both origins. Errors raised by the cluster's own parts (gateway,
// deployment controller, fail points, admin API, launcher, CLI) subclass it
// here; errors raised inside an engine subclass it through EngineError
// (engine/engine-error.ts), which adds the gRPC status each code travels with.

/** Codes of failures in the cluster's own parts. */
export type MockClusterErrorCode =
  /** An option, flag or request body names an impossible value. */
  | 'INVALID_OPTION'
  /** A deployment was asked for while another one is still running. */
  | 'DEPLOYMENT_IN_PROGRESS'
  /** The cluster (or the part asked) was already closed. */
  | 'CLOSED'
  /** The admin API answered with an error status. */
  | 'ADMIN_HTTP'
  /** The admin API did not answer within the call's time limit. */
  | 'ADMIN_TIMEOUT'
  /** The admin API could not be reached at all. */
  | 'ADMIN_UNREACHABLE'
  /** A part of the cluster (a server, an engine, a child process) failed to start. */
  | 'LAUNCH_FAILED'
  /** A peer of the gateway (a client or an engine) broke the HTTP/2 or HPACK rules. */
  | 'HTTP2_PROTOCOL'
  | 'UNKNOWN';

/** Codes of failures inside an engine; each maps to one gRPC status (engine/engine-error.ts). */
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

/**
 * The base error of the mock engine package, whatever part raised it.
 * Messages name the problem and never carry a password or token.
 */
export class MockClusterError extends Error {
  override readonly name: string = 'MockClusterError';
  readonly code: MockClusterErrorCode | EngineErrorCode;

  constructor(code: MockClusterErrorCode | EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** Returns `reason` when it already is a MockClusterError (an EngineError included), otherwise wraps it with code UNKNOWN. */
  static from(reason: unknown): MockClusterError {
    if (reason instanceof MockClusterError) return reason;
    const message = reason instanceof Error ? reason.message : `unexpected failure: ${String(reason)}`;
    return new MockClusterError('UNKNOWN', message, { cause: reason });
  }
}

/**
 * A bad option, flag or admin request body given to the mock cluster. `field`
 * names the offending input. Distinct from grpc-transport's InvalidOptionError
 * (a client option), so `instanceof` tells the two apart.
 */
export class InvalidMockOptionError extends MockClusterError {
  override readonly name: string = 'InvalidMockOptionError';
  override readonly code = 'INVALID_OPTION' as const;
  readonly field: string;

  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTION', `${field}: ${message}`, options);
    this.field = field;
  }
}

/** The admin API refused a request or could not be reached. `status` is the HTTP status when there was one. */
export class AdminRequestError extends MockClusterError {
  override readonly name: string = 'AdminRequestError';
  override readonly code: 'ADMIN_HTTP' | 'ADMIN_TIMEOUT' | 'ADMIN_UNREACHABLE';
  readonly status: number | undefined;

  constructor(
    code: 'ADMIN_HTTP' | 'ADMIN_TIMEOUT' | 'ADMIN_UNREACHABLE',
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(code, message, options);
    this.code = code;
    this.status = options?.status;
  }
}

/** Why a server could not take its address: the port is taken, the address is not this machine's, or something else. */
export type ListenFailure = 'port-in-use' | 'address-not-local' | 'other';

/**
 * A part of the cluster (`component`: the gateway, the admin API, an engine)
 * could not listen on `host:port`. The message names the part and the address,
 * without the listening library's internals.
 */
export class ListenError extends MockClusterError {
  override readonly name: string = 'ListenError';
  override readonly code = 'LAUNCH_FAILED' as const;
  readonly component: string;
  readonly host: string;
  readonly port: number;
  readonly failure: ListenFailure;

  constructor(component: string, host: string, port: number, reason: unknown) {
    const failure = listenFailureOf(reason);
    const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const why =
      failure === 'port-in-use'
        ? `port ${port} is already in use`
        : failure === 'address-not-local'
          ? `${host} is not an address of this machine`
          : reason instanceof Error
            ? reason.message
            : String(reason);
    super('LAUNCH_FAILED', `the ${component} cannot listen on ${address}: ${why}`, { cause: reason });
    this.component = component;
    this.host = host;
    this.port = port;
    this.failure = failure;
  }
}

/** Reads a listen failure from a Node system error (its `code`) or from a library message quoting one. */
export function listenFailureOf(reason: unknown): ListenFailure {
  const code = typeof reason === 'object' && reason !== null && 'code' in reason ? String(reason.code) : '';
  const message = reason instanceof Error ? reason.message : String(reason);
  if (code === 'EADDRINUSE' || message.includes('EADDRINUSE')) return 'port-in-use';
  if (code === 'EADDRNOTAVAIL' || message.includes('EADDRNOTAVAIL')) return 'address-not-local';
  return 'other';
}
