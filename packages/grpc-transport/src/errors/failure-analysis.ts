// Reads a raw failure (a grpc-js ServiceError, a grpcio-shaped object, a Node
// system error, a string) and says what it means. Pure: no I/O, no classes, so
// both TransportError.from and classifyError can build on it without a cycle.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { type ErrorKind } from './error-kind';

/** Which typed error a failure becomes; also the `code` of that error. */
export type FailureCode =
  | 'STRATEGY_MISMATCH'
  | 'ACCESS_DENIED'
  | 'CLUSTER_SUSPENDED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'ABORTED'
  | 'CALL_FAILED';

export interface FailureAnalysis {
  kind: ErrorKind;
  code: FailureCode;
  /**
   * True when the request may have reached an engine (so a non-idempotent call
   * must not be sent again). False only when we know it did not: the
   * connection was never established, the stream was refused, or the load
   * balancer turned the call away at the HTTP level.
   */
  ambiguous: boolean;
  grpcCode?: number;
  details?: string;
  /** An HTTP status the details report (grpc-js and grpcio both spell it out). */
  httpStatus?: number;
}

const HTTP_STRATEGY_MISMATCH = 456;
const HTTP_SERVICE_UNAVAILABLE = 503;

// The HTTP status as each client spells it: grpc-js `Received HTTP status code 456`,
// grpcio `Received http2 header with status: 456`, the reference mock
// `Wrong strategy. Status: 456. ...`. The number must stand alone, so a query id
// such as `q4567` or a `status: 4567` never reads as 456.
const HTTP_STATUS_PATTERNS: readonly RegExp[] = [
  /\bstatus(?:\s+code)?\s*[:=]?\s*(\d{3})\b/i,
  /\bhttp(?:\/\d(?:\.\d)?)?\s+(?:error\s+)?(\d{3})\b/i,
];

// The call never left this process: no connection, or the server refused the
// stream before reading it (HTTP/2 REFUSED_STREAM guarantees no processing).
const NOT_SENT_PATTERN =
  /no connection established|stream refused|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|name resolution failed|failed to connect/i;

// The connection broke while the call was out: it may or may not have run.
const CONNECTION_LOST_PATTERN = /ECONNRESET|connection reset|connection dropped|GOAWAY|socket hang up|EPIPE|ECONNABORTED/i;

const ACCESS_DENIED_PATTERN = /access denied/i;

const NOT_SENT_SYSTEM_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const CONNECTION_LOST_SYSTEM_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

/** The HTTP status named in a failure's details, or undefined when none is. */
export function httpStatusIn(details: string): number | undefined {
  for (const pattern of HTTP_STATUS_PATTERNS) {
    const match = pattern.exec(details);
    if (!match?.[1]) continue;
    const value = Number(match[1]);
    if (value >= 100 && value <= 599) return value;
  }
  return undefined;
}

/** The gRPC status code of a failure, from a number or a status name ('UNKNOWN'). */
export function grpcCodeOf(err: unknown): GrpcStatus | undefined {
  if (!isObject(err)) return undefined;
  const code = err.code;
  if (typeof code === 'number' && Number.isInteger(code) && code >= 0 && code <= 16) return code;
  if (typeof code === 'string') {
    const byName = (GrpcStatus as unknown as Record<string, unknown>)[code.toUpperCase()];
    if (typeof byName === 'number') return byName;
  }
  return undefined;
}

/** The human-readable details of a failure: gRPC `details`, else the message. */
export function detailsOf(err: unknown): string | undefined {
  if (typeof err === 'string') return err;
  if (!isObject(err)) return undefined;
  if (typeof err.details === 'string') return err.details;
  if (typeof err.message === 'string') return err.message;
  return undefined;
}

function isAbort(err: unknown): boolean {
  if (!isObject(err)) return false;
  return err.name === 'AbortError' || err.name === 'TimeoutError';
}

function systemCodeOf(err: unknown): string | undefined {
  if (!isObject(err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/** What a raw failure means. TransportErrors are not re-read here; see classifyError. */
export function analyseFailure(err: unknown): FailureAnalysis {
  const grpcCode = grpcCodeOf(err);
  const details = detailsOf(err);
  const base = { ...(grpcCode === undefined ? {} : { grpcCode }), ...(details === undefined ? {} : { details }) };

  // An abort is the caller giving up: never retried, whatever else it says.
  if (isAbort(err)) return { ...base, kind: 'fatal', code: 'ABORTED', ambiguous: true };

  const httpStatus = details === undefined ? undefined : httpStatusIn(details);
  if (httpStatus === HTTP_STRATEGY_MISMATCH) {
    return { ...base, httpStatus, kind: 'strategy-mismatch', code: 'STRATEGY_MISMATCH', ambiguous: false };
  }
  if (httpStatus === HTTP_SERVICE_UNAVAILABLE) {
    return { ...base, httpStatus, kind: 'cluster-suspended', code: 'CLUSTER_SUSPENDED', ambiguous: false };
  }
  const withHttp = httpStatus === undefined ? base : { ...base, httpStatus };

  // PERMISSION_DENIED on an object is not cured by logging in again.
  if (details !== undefined && ACCESS_DENIED_PATTERN.test(details) && grpcCode !== GrpcStatus.PERMISSION_DENIED) {
    return { ...withHttp, kind: 'access-denied', code: 'ACCESS_DENIED', ambiguous: false };
  }

  if (grpcCode === GrpcStatus.DEADLINE_EXCEEDED) {
    // The engine may still be running the call when our deadline fires.
    return { ...withHttp, kind: 'transient', code: 'DEADLINE_EXCEEDED', ambiguous: true };
  }
  if (grpcCode === GrpcStatus.UNAVAILABLE) {
    const notSent = details !== undefined && NOT_SENT_PATTERN.test(details);
    return { ...withHttp, kind: 'transient', code: 'UNAVAILABLE', ambiguous: !notSent };
  }
  if (grpcCode !== undefined && grpcCode !== GrpcStatus.CANCELLED && details !== undefined && CONNECTION_LOST_PATTERN.test(details)) {
    return { ...withHttp, kind: 'transient', code: 'UNAVAILABLE', ambiguous: true };
  }

  if (grpcCode === undefined) {
    const systemCode = systemCodeOf(err);
    if (systemCode !== undefined && NOT_SENT_SYSTEM_CODES.has(systemCode)) {
      return { ...withHttp, kind: 'transient', code: 'UNAVAILABLE', ambiguous: false };
    }
    if (systemCode !== undefined && CONNECTION_LOST_SYSTEM_CODES.has(systemCode)) {
      return { ...withHttp, kind: 'transient', code: 'UNAVAILABLE', ambiguous: true };
    }
  }
  return { ...withHttp, kind: 'fatal', code: 'CALL_FAILED', ambiguous: true };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
