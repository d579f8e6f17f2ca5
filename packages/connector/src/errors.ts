// The connector's error family. Every failure a caller sees is an E6DataError
// (or, for a bad bound value, a ParameterError, which is a TypeError) whose
// `stage` says how far the request got, so a caller knows what is safe to
// replay, and whose `code` says what went wrong. Messages never carry a
// password, a token or a bound parameter value.
import { TransportError, type ErrorKind, type TransportErrorCode } from '@e6data-ts/grpc-transport';
import { type Strategy } from '@e6data-ts/strategy-core';

/**
 * How far a request got before it failed:
 * - `not-sent`: it never left this process (bad input, closed client, no connection).
 * - `rejected`: the cluster's router turned it away (HTTP 456 or 503) before any engine saw it.
 * - `ambiguous`: it may have reached an engine; it may or may not have run.
 * - `executed`: an engine accepted it (the query ran, or is running); the failure came later.
 * Only `not-sent` and `rejected` work is safe to send again as it is.
 */
export type Stage = 'not-sent' | 'rejected' | 'ambiguous' | 'executed';

/** An E6DataError's stable code: the transport's codes plus the connector's own. */
export type E6DataErrorCode =
  | TransportErrorCode
  | 'INVALID_CONFIGURATION'
  | 'INVALID_PARAMETER'
  | 'AUTHENTICATION_FAILED'
  | 'STRATEGY_DETECTION_FAILED'
  | 'CUTOVER_HOLD_EXPIRED'
  | 'RETRY_BUDGET_EXHAUSTED'
  | 'QUERY_LOST'
  | 'QUERY_CANCELLED'
  | 'CLUSTER_RESUME_FAILED'
  | 'DECODE_FAILED'
  | 'CLOSED'
  | 'POOL_ACQUIRE_TIMEOUT'
  | 'OPTIONAL_DEPENDENCY_MISSING';

export interface E6DataErrorInit {
  code: E6DataErrorCode;
  stage: Stage;
  /** The transport's reading of the failure, when it came from a call. */
  kind?: ErrorKind;
  /** The engine call that failed (`prepareStatementV2`, `getNextResultBatch`...). */
  method?: string;
  queryId?: string;
  strategy?: Strategy;
  cause?: unknown;
}

/** The base of every error the connector raises. */
export class E6DataError extends Error {
  override readonly name: string = 'E6DataError';
  readonly code: E6DataErrorCode;
  readonly stage: Stage;
  readonly kind: ErrorKind | undefined;
  readonly method: string | undefined;
  readonly queryId: string | undefined;
  readonly strategy: Strategy | undefined;

  constructor(message: string, init: E6DataErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.stage = init.stage;
    this.kind = init.kind;
    this.method = init.method;
    this.queryId = init.queryId;
    this.strategy = init.strategy;
  }

  /**
   * `reason` itself when it already is an E6DataError; otherwise the reason
   * wrapped with the stage its transport reading implies (see stageOf), or the
   * `stage` given.
   */
  static from(reason: unknown, context: Partial<Omit<E6DataErrorInit, 'code' | 'cause' | 'kind'>> = {}): E6DataError {
    if (reason instanceof E6DataError) return reason;
    const transport = TransportError.from(reason, context.method === undefined ? {} : { method: context.method });
    return new E6DataError(transport.message, {
      code: transport.code,
      kind: transport.kind,
      stage: context.stage ?? stageOf(transport),
      ...(context.method === undefined ? (transport.method === undefined ? {} : { method: transport.method }) : { method: context.method }),
      ...(context.queryId === undefined ? {} : { queryId: context.queryId }),
      ...(context.strategy === undefined ? {} : { strategy: context.strategy }),
      cause: reason,
    });
  }
}

/**
 * The stage a transport failure implies on its own: a 456 or 503 answered by
 * the router, or an `Access denied` for an unknown session, is `rejected`; a
 * failure known never to have left is `not-sent`; an engine that answered with
 * a gRPC error of its own saw the request (`executed`); anything else may have
 * reached an engine (`ambiguous`).
 */
export function stageOf(error: TransportError): Stage {
  if (error.kind === 'strategy-mismatch' || error.kind === 'cluster-suspended' || error.kind === 'access-denied') return 'rejected';
  if (error.code === 'INVALID_OPTION' || error.code === 'CLIENT_CLOSED') return 'not-sent';
  if (error.kind === 'fatal' && error.code === 'CALL_FAILED' && error.grpcCode !== undefined) return 'executed';
  return error.ambiguous ? 'ambiguous' : 'not-sent';
}

/** An option given to connect() or createPool() is wrong. Names the option, never its value when it is a secret. */
export class ConfigurationError extends E6DataError {
  override readonly name: string = 'ConfigurationError';
  /** The option at fault, as the caller spelled it (`port`, `timeouts.prepareMs`). */
  readonly option: string;

  constructor(option: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'INVALID_CONFIGURATION', stage: 'not-sent', cause: options.cause });
    this.option = option;
  }
}

/**
 * A bound parameter cannot be sent: an unsupported value type, or parameters
 * that do not match the statement's placeholders. A TypeError, as JavaScript
 * raises for a value of the wrong type; it names the parameter (`1`, `:name`),
 * never its value.
 */
export class ParameterError extends TypeError {
  override readonly name: string = 'ParameterError';
  readonly code = 'INVALID_PARAMETER' as const;
  readonly stage = 'not-sent' as const;
  /** The parameter at fault: its 1-based position or its `:name`; null when the problem is the whole set. */
  readonly parameter: number | string | null;

  constructor(parameter: number | string | null, message: string) {
    super(message);
    this.parameter = parameter;
  }
}

/** The cluster refused the user name and password (or token). Never retried. */
export class AuthenticationError extends E6DataError {
  override readonly name: string = 'AuthenticationError';
}

/** Neither deployment took `authenticate`; carries what each attempt failed with. */
export class StrategyDetectionError extends E6DataError {
  override readonly name: string = 'StrategyDetectionError';
  readonly attempts: readonly { readonly strategy: Strategy; readonly error: unknown }[];

  constructor(message: string, attempts: readonly { strategy: Strategy; error: unknown }[], init: Omit<E6DataErrorInit, 'code'>) {
    super(message, { ...init, code: 'STRATEGY_DETECTION_FAILED' });
    this.attempts = Object.freeze(attempts.map((a) => Object.freeze({ ...a })));
  }
}

/** Both deployments kept refusing new work (a switch in progress) for longer than the cutover hold or the caller's deadline. */
export class CutoverHoldError extends E6DataError {
  override readonly name: string = 'CutoverHoldError';
  /** How long new work waited for a deployment to take it. */
  readonly heldMs: number;

  constructor(message: string, heldMs: number, init: Omit<E6DataErrorInit, 'code'>) {
    super(message, { ...init, code: 'CUTOVER_HOLD_EXPIRED' });
    this.heldMs = heldMs;
  }
}

/**
 * The deployment a running query lived on is gone (a 456 on a call about the
 * query): its results cannot be read any more. `rowsHandedOut` says how many of
 * its rows the caller already has; with `rerunOnLoss`, a read-only statement
 * that had handed out none is run again instead of raising this.
 */
export class QueryLostError extends E6DataError {
  override readonly name: string = 'QueryLostError';
  readonly rowsHandedOut: number;

  constructor(queryId: string, strategy: Strategy, rowsHandedOut: number, init: { method?: string; cause?: unknown } = {}) {
    super(
      `query ${queryId} was lost: its deployment (${strategy}) no longer serves it` +
        (init.method === undefined ? '' : ` (${init.method} answered HTTP 456)`) +
        `; ${rowsHandedOut} row(s) had been handed out`,
      { code: 'QUERY_LOST', stage: 'executed', kind: 'strategy-mismatch', queryId, strategy, ...init },
    );
    this.rowsHandedOut = rowsHandedOut;
  }
}

/** The query was cancelled (cursor.cancel(), an abort signal or a timeout) while the caller waited on it. */
export class QueryCancelledError extends E6DataError {
  override readonly name: string = 'QueryCancelledError';
}

/** A method was called on a connection, cursor or pool after close(). */
export class ClosedError extends E6DataError {
  override readonly name: string = 'ClosedError';

  constructor(what: 'connection' | 'cursor' | 'pool', method: string) {
    super(`${method}: the ${what} is closed`, { code: 'CLOSED', stage: 'not-sent', method });
  }
}
