import { type Strategy } from '@e6data-ts/strategy-core';
import { DEFAULT_USERS } from '../cluster/credentials';
import { DEFAULT_MOCK_TABLE_ROWS } from '../dataset/seed-script';
import { EngineError } from './engine-error';
import { type MockUser } from './session-store';

export type { MockUser };

/** The narrow logger the engine writes through (the cluster's logger fits). */
export interface EngineLogger {
  info(message: string, fields?: object): void;
  warn(message: string, fields?: object): void;
  error(message: string, fields?: object): void;
}

/** How one mock engine is started: its name, address, users, data set and timings. */
export interface EngineOptions {
  /** The deployment this engine is. */
  name: 'blue' | 'green';
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: an ephemeral port, read back from `MockEngine.port`. */
  port?: number;
  /** Default DEFAULT_USERS. */
  users?: MockUser[];
  /** Rows per getNextResultBatch, default 1000. */
  batchRows?: number;
  /** Idle session expiry, default 30 minutes. A query untouched for twice this time is freed. */
  sessionIdleMs?: number;
  /** SQL scripts (file contents) run after the seeded data set (or instead of it, with seed: false). */
  initSql?: string[];
  /** Build the seeded data set, default true. */
  seed?: boolean;
  /** Rows of mock_table, default 10,000. */
  mockTableRows?: number;
  /** Read for session and query expiry; default Date.now. */
  clock?: { now(): number };
  /** Default: silent. */
  logger?: EngineLogger;
}

export { DEFAULT_USERS };
/** Interface an engine listens on unless told otherwise. */
export const DEFAULT_HOST = '127.0.0.1';
/** Rows per result batch unless told otherwise. */
export const DEFAULT_BATCH_ROWS = 1000;
/** A session unused this long is forgotten (the next call gets Access denied). */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60 * 1000;

export interface ResolvedEngineOptions {
  readonly name: Strategy;
  readonly host: string;
  readonly port: number;
  readonly users: readonly MockUser[];
  readonly batchRows: number;
  readonly sessionIdleMs: number;
  readonly initSql: readonly string[];
  readonly seed: boolean;
  readonly mockTableRows: number;
  readonly clock: { now(): number };
  readonly logger: EngineLogger;
}

const silentLogger: EngineLogger = Object.freeze({ info() {}, warn() {}, error() {} });
const systemClock = Object.freeze({ now: (): number => Date.now() });

function invalid(field: string, why: string): EngineError {
  return new EngineError('INVALID_OPTION', `${field}: ${why}`);
}

function integerIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(field, `must be an integer from ${min} to ${max}, got ${String(value)}`);
  return value;
}

/** Fills in defaults and refuses impossible values (the message names the option, never a token). */
export function resolveEngineOptions(options: EngineOptions): ResolvedEngineOptions {
  if (options.name !== 'blue' && options.name !== 'green') throw invalid('name', `must be 'blue' or 'green', got ${JSON.stringify(options.name)}`);
  const users: MockUser[] = options.users ?? [...DEFAULT_USERS];
  if (!Array.isArray(users) || users.length === 0) throw invalid('users', 'at least one user is needed');
  users.forEach((entry, i) => {
    if (typeof entry?.user !== 'string' || entry.user === '') throw invalid(`users[${i}].user`, 'must be a non-empty string');
    if (typeof entry.token !== 'string' || entry.token === '') throw invalid(`users[${i}].token`, 'must be a non-empty string');
  });
  const initSql = options.initSql ?? [];
  if (!Array.isArray(initSql) || initSql.some((script) => typeof script !== 'string')) throw invalid('initSql', 'must be a list of SQL texts');
  const host = options.host ?? DEFAULT_HOST;
  if (typeof host !== 'string' || host.trim() === '') throw invalid('host', 'must be a non-empty string');
  if (options.sessionIdleMs !== undefined && !(options.sessionIdleMs > 0)) throw invalid('sessionIdleMs', `must be positive, got ${String(options.sessionIdleMs)}`);
  return {
    name: options.name,
    host,
    port: integerIn('port', options.port ?? 0, 0, 65_535),
    users: users.map((u) => ({ user: u.user, token: u.token })),
    batchRows: integerIn('batchRows', options.batchRows ?? DEFAULT_BATCH_ROWS, 1, 1_000_000),
    sessionIdleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
    initSql: [...initSql],
    seed: options.seed ?? true,
    mockTableRows: integerIn('mockTableRows', options.mockTableRows ?? DEFAULT_MOCK_TABLE_ROWS, 0, 100_000_000),
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
  };
}
