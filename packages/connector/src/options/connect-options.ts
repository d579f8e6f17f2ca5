// What connect() accepts, and its validation: every option checked once, up
// front, with a ConfigurationError that names the option (and suggests the
// intended name for a misspelt one) and never quotes a password or token.
import { closestName, type ChannelOptionValue, type Int64Mode } from '@e6data-ts/grpc-transport';
import { getDefaultRegistry, type StrategyRegistry } from '@e6data-ts/strategy-core';
import { ConfigurationError } from '../errors';
import { silentLogger, type ConnectorLogger } from './logger';
import { describe, integerIn, nonNegativeMs, positiveMs } from './option-checks';

/** Deadlines per kind of call, in milliseconds. */
export interface TimeoutOptions {
  /** authenticate and the cluster's status/resume calls (default 30 s). */
  connectMs?: number;
  /** prepareStatement: planning can be slow on real clusters (default 10 minutes, like the reference client). */
  prepareMs?: number;
  /** executeStatement: the engine may hold it until the query has run (default 10 minutes). */
  executeMs?: number;
  /** getResultMetadata and getNextResultBatch (default 5 minutes). */
  fetchMs?: number;
  /** Every other call: status, clear, cancel, explain, schema calls, dry run (default 60 s). */
  defaultMs?: number;
}

/** How failed calls are retried. */
export interface RetryOptions {
  /** Attempts of one call, the first included (default 5). */
  maxAttempts?: number;
  /** Cap of the first backoff wait (default 100 ms); doubles per attempt, full jitter. */
  baseDelayMs?: number;
  /** No backoff wait is longer (default 2 s). */
  maxDelayMs?: number;
  /** Retry tokens per endpoint: a retry spends one, a success refills a tenth (default 50). */
  budget?: number;
}

/** A pino-compatible logger (pino, bunyan-style or console-like); every method is optional. */
export type { ConnectorLogger } from './logger';

/** Everything connect() accepts; unknown fields are refused by name. */
export interface ConnectOptions {
  host: string;
  /** Default 80 (real clusters listen there in plaintext). */
  port?: number;
  username: string;
  /** The user's password or access token. Never logged, never in an error message. */
  password: string;
  /** Catalog of prepare and schema calls (default ''). */
  catalog?: string;
  /** Schema (database) queries run in (default ''). */
  database?: string;
  /** The cluster's name: sent as the `cluster-name` header, and part of the endpoint's identity. */
  cluster?: string;
  /** TLS (default false; true when caCert is given). */
  secure?: boolean;
  /** The CA to trust: a file path or the PEM itself. */
  caCert?: string | Buffer;
  /** On HTTP 503 resume the suspended cluster and retry once (default true). */
  autoResume?: boolean;
  /** How long auto-resume waits for the cluster to become active (default 5 minutes). */
  resumeTimeoutMs?: number;
  timeouts?: TimeoutOptions;
  /** grpc-js channel options, or the reference client's `grpc_options` names. */
  channelOptions?: Readonly<Record<string, ChannelOptionValue>>;
  retry?: RetryOptions;
  /** How long new work waits while both deployments refuse it (a switch in progress), default 30 s. */
  cutoverHoldMs?: number;
  /**
   * Re-run a read-only statement (SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN)
   * whose deployment disappeared before it handed out any row (default false).
   */
  rerunOnLoss?: boolean;
  /** Where blue/green state is kept; the process-wide registry by default. */
  strategyRegistry?: StrategyRegistry;
  /** Silent by default. */
  logger?: ConnectorLogger;
  /** How LONG values come back: bigint (default), number (RangeError past 2^53) or string. */
  int64?: Int64Mode;
  /** `client` (default): bind parameters into the SQL text; `server`: send them as executeStatementV2 params. */
  parameters?: 'client' | 'server';
  /** Rows of result batches kept ahead of the reader (default 1 batch prefetched). */
  prefetchBatches?: number;
}

export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly catalog: string;
  readonly database: string;
  readonly cluster: string;
  readonly secure: boolean;
  readonly caCert: string | Buffer | undefined;
  readonly autoResume: boolean;
  readonly resumeTimeoutMs: number;
  readonly timeouts: Required<TimeoutOptions>;
  readonly channelOptions: Readonly<Record<string, ChannelOptionValue>>;
  readonly retry: Required<RetryOptions>;
  readonly cutoverHoldMs: number;
  readonly rerunOnLoss: boolean;
  readonly strategyRegistry: StrategyRegistry;
  readonly logger: ConnectorLogger;
  readonly int64: Int64Mode;
  readonly parameters: 'client' | 'server';
  readonly prefetchBatches: number;
}

/** Port used when `port` is not given (e6data clusters serve plaintext gRPC on 80). */
export const DEFAULT_PORT = 80;
/** Time limits used for each stage when `timeouts` does not set them. */
export const DEFAULT_TIMEOUTS: Readonly<Required<TimeoutOptions>> = Object.freeze({
  connectMs: 30_000,
  prepareMs: 600_000,
  executeMs: 600_000,
  fetchMs: 300_000,
  defaultMs: 60_000,
});
/** Retry limits used when `retry` does not set them. */
export const DEFAULT_RETRY: Readonly<Required<RetryOptions>> = Object.freeze({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000, budget: 50 });
/** How long a query may wait for a cutover to finish when `cutoverHoldMs` is not given. */
export const DEFAULT_CUTOVER_HOLD_MS = 30_000;
export const DEFAULT_RESUME_TIMEOUT_MS = 300_000;

const KNOWN_OPTIONS: Readonly<Record<keyof ConnectOptions, true>> = {
  host: true,
  port: true,
  username: true,
  password: true,
  catalog: true,
  database: true,
  cluster: true,
  secure: true,
  caCert: true,
  autoResume: true,
  resumeTimeoutMs: true,
  timeouts: true,
  channelOptions: true,
  retry: true,
  cutoverHoldMs: true,
  rerunOnLoss: true,
  strategyRegistry: true,
  logger: true,
  int64: true,
  parameters: true,
  prefetchBatches: true,
};

/** Checks `options` (plus any extra names the caller accepts, such as a pool's) and fills in the defaults. */
export function resolveConnectOptions(options: unknown, extraOptions: readonly string[] = []): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigurationError('options', 'connect() needs an options object');
  const o = options as Record<string, unknown>;
  const known = [...Object.keys(KNOWN_OPTIONS), ...extraOptions];
  for (const name of Object.keys(o)) {
    if (known.includes(name)) continue;
    const guess = closestName(name, known);
    throw new ConfigurationError(name, `unknown option "${name}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`);
  }
  const host = text(o, 'host', { required: true }).trim();
  const port = o.port === undefined ? DEFAULT_PORT : o.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConfigurationError('port', `port must be an integer from 1 to 65535, got ${describe(port)}`);
  }
  const username = text(o, 'username', { required: true });
  const password = secret(o, 'password');
  const caCert = o.caCert;
  if (caCert !== undefined && typeof caCert !== 'string' && !Buffer.isBuffer(caCert)) {
    throw new ConfigurationError('caCert', 'caCert must be a file path or the PEM text or bytes');
  }
  const secure = bool(o, 'secure', caCert !== undefined);
  if (!secure && caCert !== undefined) {
    throw new ConfigurationError('caCert', 'caCert is given but secure is false: a CA certificate only applies to a TLS connection');
  }
  const int64 = o.int64 ?? 'bigint';
  if (int64 !== 'bigint' && int64 !== 'number' && int64 !== 'string') {
    throw new ConfigurationError('int64', `int64 must be 'bigint', 'number' or 'string', got ${describe(int64)}`);
  }
  const parameters = o.parameters ?? 'client';
  if (parameters !== 'client' && parameters !== 'server') {
    throw new ConfigurationError('parameters', `parameters must be 'client' or 'server', got ${describe(parameters)}`);
  }
  const registry = o.strategyRegistry ?? getDefaultRegistry();
  if (typeof registry !== 'object' || registry === null || typeof (registry as { get?: unknown }).get !== 'function') {
    throw new ConfigurationError('strategyRegistry', 'strategyRegistry must be a StrategyRegistry');
  }
  const logger = o.logger ?? silentLogger;
  if (typeof logger !== 'object' || logger === null) throw new ConfigurationError('logger', 'logger must be an object with debug/info/warn/error methods');
  const channelOptions = o.channelOptions ?? {};
  if (typeof channelOptions !== 'object' || channelOptions === null || Array.isArray(channelOptions)) {
    throw new ConfigurationError('channelOptions', 'channelOptions must be an object of grpc channel options');
  }
  return {
    host,
    port,
    username,
    password,
    catalog: text(o, 'catalog'),
    database: text(o, 'database'),
    cluster: text(o, 'cluster').trim(),
    secure,
    caCert,
    autoResume: bool(o, 'autoResume', true),
    resumeTimeoutMs: positiveMs(o.resumeTimeoutMs, 'resumeTimeoutMs', DEFAULT_RESUME_TIMEOUT_MS),
    timeouts: resolveTimeouts(o.timeouts),
    channelOptions: channelOptions as Record<string, ChannelOptionValue>,
    retry: resolveRetry(o.retry),
    cutoverHoldMs: nonNegativeMs(o.cutoverHoldMs, 'cutoverHoldMs', DEFAULT_CUTOVER_HOLD_MS),
    rerunOnLoss: bool(o, 'rerunOnLoss', false),
    strategyRegistry: registry as StrategyRegistry,
    logger,
    int64,
    parameters,
    prefetchBatches: integerIn(o.prefetchBatches, 'prefetchBatches', 1, 0, 16),
  };
}

function resolveTimeouts(raw: unknown): Required<TimeoutOptions> {
  if (raw === undefined) return { ...DEFAULT_TIMEOUTS };
  if (typeof raw !== 'object' || raw === null) throw new ConfigurationError('timeouts', 'timeouts must be an object of milliseconds per call kind');
  const given = raw as Record<string, unknown>;
  const names = Object.keys(DEFAULT_TIMEOUTS);
  for (const name of Object.keys(given)) {
    if (!names.includes(name)) {
      const guess = closestName(name, names);
      throw new ConfigurationError(`timeouts.${name}`, `unknown option "timeouts.${name}"${guess === undefined ? '' : ` (did you mean "timeouts.${guess}"?)`}`);
    }
  }
  const out = { ...DEFAULT_TIMEOUTS };
  for (const name of names as (keyof TimeoutOptions)[]) out[name] = positiveMs(given[name], `timeouts.${name}`, DEFAULT_TIMEOUTS[name]);
  return out;
}

function resolveRetry(raw: unknown): Required<RetryOptions> {
  if (raw === undefined) return { ...DEFAULT_RETRY };
  if (typeof raw !== 'object' || raw === null) throw new ConfigurationError('retry', 'retry must be an object');
  const given = raw as Record<string, unknown>;
  const names = Object.keys(DEFAULT_RETRY);
  for (const name of Object.keys(given)) {
    if (!names.includes(name)) {
      const guess = closestName(name, names);
      throw new ConfigurationError(`retry.${name}`, `unknown option "retry.${name}"${guess === undefined ? '' : ` (did you mean "retry.${guess}"?)`}`);
    }
  }
  return {
    maxAttempts: integerIn(given.maxAttempts, 'retry.maxAttempts', DEFAULT_RETRY.maxAttempts, 1, 100),
    baseDelayMs: nonNegativeMs(given.baseDelayMs, 'retry.baseDelayMs', DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: nonNegativeMs(given.maxDelayMs, 'retry.maxDelayMs', DEFAULT_RETRY.maxDelayMs),
    budget: integerIn(given.budget, 'retry.budget', DEFAULT_RETRY.budget, 1, 1_000_000),
  };
}

function text(o: Record<string, unknown>, name: string, opts: { required?: boolean } = {}): string {
  const value = o[name];
  if (value === undefined && !opts.required) return '';
  if (typeof value !== 'string') throw new ConfigurationError(name, `${name} must be a string, got ${describe(value)}`);
  if (opts.required && value.trim() === '') throw new ConfigurationError(name, `${name} must not be empty`);
  return value;
}

// The value is never described: a password pasted in the wrong shape is still a password.
function secret(o: Record<string, unknown>, name: string): string {
  const value = o[name];
  if (value === undefined) throw new ConfigurationError(name, `${name} is required`);
  if (typeof value !== 'string') throw new ConfigurationError(name, `${name} must be a string`);
  if (value === '') throw new ConfigurationError(name, `${name} must not be empty`);
  return value;
}

function bool(o: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = o[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigurationError(name, `${name} must be true or false, got ${describe(value)}`);
  return value;
}
