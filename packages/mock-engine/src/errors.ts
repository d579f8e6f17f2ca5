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
  | 'UNKNOWN';

/**
 * The base error of the mock cluster (gateway, deployment controller, fail
 * points, admin API, launcher and CLI). Messages name the problem and never
 * carry a password or token.
 */
export class MockClusterError extends Error {
  override readonly name: string = 'MockClusterError';
  readonly code: MockClusterErrorCode;

  constructor(code: MockClusterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** Returns `reason` when it already is a MockClusterError, otherwise wraps it with code UNKNOWN. */
  static from(reason: unknown): MockClusterError {
    if (reason instanceof MockClusterError) return reason;
    const message = reason instanceof Error ? reason.message : `unexpected failure: ${String(reason)}`;
    return new MockClusterError('UNKNOWN', message, { cause: reason });
  }
}

/** A bad option, flag or admin request body. `field` names the offending input. */
export class InvalidOptionError extends MockClusterError {
  override readonly name: string = 'InvalidOptionError';
  readonly field: string;

  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTION', `${field}: ${message}`, options);
    this.field = field;
  }
}

/** The admin API refused a request or could not be reached. `status` is the HTTP status when there was one. */
export class AdminRequestError extends MockClusterError {
  override readonly name: string = 'AdminRequestError';
  readonly status: number | undefined;

  constructor(
    code: 'ADMIN_HTTP' | 'ADMIN_TIMEOUT' | 'ADMIN_UNREACHABLE',
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(code, message, options);
    this.status = options?.status;
  }
}
