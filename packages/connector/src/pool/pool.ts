// A pool of connections to one endpoint, on generic-pool. Every connection of
// a pool shares the endpoint's StrategyStore (the registry hands them the same
// one), so a switch one connection sees moves them all.
import { EventEmitter } from 'node:events';
import { createPool as createGenericPool, type Pool as GenericPool } from 'generic-pool';
import { endpointKey } from '@e6data-ts/strategy-core';
import { openConnection, type Connection, type ConnectionRuntime, type QueryResult } from '../connection';
import { traced } from '../diagnostics/channels';
import { addStats, emptyStats, type ConnectionStats } from '../diagnostics/connection-stats';
import { watchStore } from '../diagnostics/strategy-watch';
import { type ConnectorEvents } from '../diagnostics/connector-events';
import { AuthenticationError, ClosedError, ConfigurationError, E6DataError } from '../errors';
import { sleep } from '../routing/operation';
import { resolveConnectOptions, type ConnectOptions } from '../options/connect-options';
import { integerAtLeast, positiveMs } from '../options/option-checks';
import { type QueryParameters } from '../params';
import { type OperationOptions } from '../routing/operation';

/** ConnectOptions for every pooled connection, plus the pool's size and timing limits. */
export interface PoolOptions extends ConnectOptions {
  /** Connections kept open even when idle (default 0). */
  min?: number;
  /** Most connections open at once (default 10). */
  max?: number;
  /** How long acquire waits for a free connection (default 30 s). */
  acquireTimeoutMs?: number;
  /** An idle connection above `min` is closed after this long (default 30 s). */
  idleTimeoutMs?: number;
  /** A connection is retired after this long, when next returned (default: never). */
  maxLifetimeMs?: number;
  /** Check a connection with a cheap call before lending it (default false). */
  validateOnBorrow?: boolean;
}

/** Longest wait between two failed attempts to open a pool connection. */
const MAX_CREATE_BACKOFF_MS = 2_000;

const POOL_OPTIONS = ['min', 'max', 'acquireTimeoutMs', 'idleTimeoutMs', 'maxLifetimeMs', 'validateOnBorrow'] as const;

/** What the pool holds right now, and what its connections counted (closed ones included). */
export interface PoolStats extends ConnectionStats {
  size: number;
  available: number;
  borrowed: number;
  pending: number;
  min: number;
  max: number;
}

interface Pooled {
  readonly connection: Connection;
  readonly createdAt: number;
}

// strategyChange is not forwarded: every connection of the pool shares one
// store, so the pool reports each of its transitions once, from the store.
const FORWARDED: readonly (keyof ConnectorEvents)[] = ['detect', 'retry', 'queryLost'];

/** A pool of connections to one endpoint (see createPool): acquire/release, or run a query on whichever connection is free. */
export class Pool extends EventEmitter {
  private readonly pool: GenericPool<Pooled>;
  private readonly byConnection = new Map<Connection, Pooled>();
  private readonly retired: ConnectionStats = emptyStats();
  private closing: Promise<void> | null = null;
  private readonly unsubscribe: () => void;
  private switches = 0;

  /** @internal Use createPool(). */
  constructor(options: PoolOptions, runtime: ConnectionRuntime = {}) {
    super();
    const resolved = resolveConnectOptions(pickConnect(options), [...POOL_OPTIONS]);
    const min = integerAtLeast(options.min, 'min', 0, 0);
    const max = integerAtLeast(options.max, 'max', 10, 0);
    if (max < 1) throw new ConfigurationError('max', 'max must be at least 1');
    if (min > max) throw new ConfigurationError('min', `min (${min}) must not exceed max (${max})`);
    const acquireTimeoutMs = positiveMs(options.acquireTimeoutMs, 'acquireTimeoutMs', 30_000);
    const idleTimeoutMs = positiveMs(options.idleTimeoutMs, 'idleTimeoutMs', 30_000);
    const maxLifetimeMs = options.maxLifetimeMs === undefined ? Number.POSITIVE_INFINITY : positiveMs(options.maxLifetimeMs, 'maxLifetimeMs', 0);
    const now = runtime.now ?? Date.now;
    this.pool = createGenericPool<Pooled>(
      {
        create: async () => {
          // generic-pool asks again at once after a failed create, for as long
          // as an acquire waits: back off, so a down cluster or a bad password
          // is not hammered with logins.
          if (this.createFailures > 0) await sleep(Math.min(MAX_CREATE_BACKOFF_MS, 100 * 2 ** Math.min(this.createFailures - 1, 5)), undefined);
          let connection: Connection;
          try {
            connection = await openConnection(resolved, runtime);
          } catch (err) {
            this.createFailures += 1;
            // Credentials or options that are wrong stay wrong: every waiting borrower learns it now.
            if (err instanceof AuthenticationError || err instanceof ConfigurationError) for (const fail of [...this.waiters]) fail(err);
            throw err;
          }
          this.createFailures = 0;
          // A failure that a later attempt got past is no longer the reason an acquire times out.
          this.lastCreateError = undefined;
          for (const event of FORWARDED) (connection as EventEmitter).on(event, (payload: unknown) => this.emit(event, payload));
          const pooled = { connection, createdAt: now() };
          this.byConnection.set(connection, pooled);
          return pooled;
        },
        destroy: async (pooled) => {
          this.byConnection.delete(pooled.connection);
          addStats(this.retired, pooled.connection.stats());
          await pooled.connection.close();
        },
        validate: async (pooled) => {
          if (pooled.connection.isClosed || now() - pooled.createdAt > maxLifetimeMs) return false;
          if (options.validateOnBorrow !== true) return true;
          try {
            await pooled.connection.getSchemaNames({ timeoutMs: Math.min(acquireTimeoutMs, 5_000) });
            return true;
          } catch {
            return false;
          }
        },
      },
      {
        min,
        max,
        acquireTimeoutMillis: acquireTimeoutMs,
        idleTimeoutMillis: idleTimeoutMs,
        evictionRunIntervalMillis: Math.min(idleTimeoutMs, 10_000),
        testOnBorrow: true,
        testOnReturn: maxLifetimeMs !== Number.POSITIVE_INFINITY,
        autostart: true,
      },
    );
    const endpoint = { host: resolved.host, port: resolved.port, clusterName: resolved.cluster };
    const store = resolved.strategyRegistry.get(endpoint);
    this.unsubscribe = watchStore(store, endpointKey(endpoint), (event, switched) => {
      if (switched) this.switches += 1;
      this.emit('strategyChange', event);
    });
    // generic-pool reports factory failures on an event; acquire() still rejects with its own timeout.
    this.pool.on('factoryCreateError', (err: unknown) => {
      this.lastCreateError = err;
    });
  }

  private lastCreateError: unknown = undefined;
  private createFailures = 0;
  /** Rejecters of the acquires waiting now. */
  private readonly waiters = new Set<(err: unknown) => void>();

  /** Borrows a connection; release it with release(). Prefer withConnection(). */
  async acquire(): Promise<Connection> {
    if (this.closing !== null) throw new ClosedError('pool', 'acquire');
    return traced<Connection>(
      'poolAcquire',
      () => ({ size: this.pool.size, available: this.pool.available }),
      () =>
        new Promise<Connection>((resolve, reject) => {
          let settled = false;
          const fail = (err: unknown): void => {
            this.waiters.delete(fail);
            if (settled) return;
            settled = true;
            reject(err instanceof Error ? err : new Error(String(err)));
          };
          this.waiters.add(fail);
          this.pool.acquire().then(
            (pooled) => {
              this.waiters.delete(fail);
              // This borrower already gave up (a fatal create error): the connection goes back.
              if (settled) {
                void this.pool.release(pooled);
                return;
              }
              settled = true;
              resolve(pooled.connection);
            },
            (err: unknown) => fail(this.acquireError(err)),
          );
        }),
    );
  }

  private acquireError(err: unknown): E6DataError {
    const cause = this.lastCreateError ?? err;
    if (cause instanceof E6DataError) return cause;
    return new E6DataError(`acquire: no connection within the pool's acquire timeout (${(err as Error).message})`, {
      code: 'POOL_ACQUIRE_TIMEOUT',
      stage: 'not-sent',
      method: 'acquire',
      cause,
    });
  }

  /** Gives a borrowed connection back. */
  async release(connection: Connection): Promise<void> {
    const pooled = this.byConnection.get(connection);
    if (pooled === undefined) return;
    if (connection.isClosed) await this.pool.destroy(pooled);
    else await this.pool.release(pooled);
  }

  /** Runs `fn` with a borrowed connection and always gives it back. */
  async withConnection<T>(fn: (connection: Connection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await fn(connection);
    } finally {
      await this.release(connection);
    }
  }

  /** connection.query() on a borrowed connection. */
  query(sql: string, params?: QueryParameters, options?: OperationOptions): Promise<QueryResult> {
    return this.withConnection((connection) => connection.query(sql, params, options));
  }

  /** Pool sizes and the counters of every connection it has had. */
  stats(): PoolStats {
    const totals = addStats(emptyStats(), this.retired);
    for (const connection of this.byConnection.keys()) addStats(totals, connection.stats());
    return {
      ...totals,
      switches: this.switches,
      size: this.pool.size,
      available: this.pool.available,
      borrowed: this.pool.borrowed,
      pending: this.pool.pending,
      min: this.pool.min,
      max: this.pool.max,
    };
  }

  /** Waits for borrowed connections to come back, then closes every connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async (): Promise<void> => {
      await this.pool.drain();
      await this.pool.clear();
      this.unsubscribe();
    })();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A pool of connections to one endpoint. Nothing connects until the first acquire (or `min` > 0). */
export function createPool(options: PoolOptions, runtime: ConnectionRuntime = {}): Pool {
  return new Pool(options, runtime);
}

function pickConnect(options: PoolOptions): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...options };
  for (const name of POOL_OPTIONS) delete rest[name];
  return rest;
}
