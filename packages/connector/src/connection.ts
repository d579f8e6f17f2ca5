// A connection to one e6data cluster: one gRPC channel, one session per
// deployment (created on demand), and the endpoint's shared blue/green state.
import { EventEmitter } from 'node:events';
import { createEngineClient, type EngineClient, type GFieldInfo, InvalidOptionError } from '@e6data-ts/grpc-transport';
import { endpointKey, type StrategyStore } from '@e6data-ts/strategy-core';
import { type ConnectionContext } from './connection-context';
import { publish, traced, watchRegistry } from './diagnostics/channels';
import { copyStats, emptyStats, type ConnectionStats } from './diagnostics/connection-stats';
import { type ConnectorEvents, type QueryLostEvent, type RetryReason, type StrategyChangeEvent } from './diagnostics/connector-events';
import { watchStore } from './diagnostics/strategy-watch';
import { ClosedError, ConfigurationError, E6DataError } from './errors';
import { resolveConnectOptions, type ConnectOptions, type ResolvedOptions } from './options/connect-options';
import { log } from './options/logger';
import { type QueryParameters } from './params';
import { Cursor, type ColumnDescription, type CursorOptions, type QueryTrace, type Row } from './cursor/cursor';
import { startOperation, type OperationOptions } from './routing/operation';
import { budgetFor } from './routing/retry-budget';
import { Router } from './routing/router';
import { ClusterResumer } from './session/cluster-resume';
import { SessionManager } from './session/session-manager';

/** The whole result of connection.query(). */
export interface QueryResult {
  readonly columns: readonly ColumnDescription[];
  readonly rows: Row[];
  readonly queryId: string;
  readonly rowCount: number;
  readonly trace: QueryTrace;
}

/** One column as getColumns() lists it. */
export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
}

/** Injected by tests and by the pool; real defaults otherwise. */
export interface ConnectionRuntime {
  now?: () => number;
  random?: () => number;
  /** Builds the wire client (a fake in unit tests). */
  createClient?: (options: ResolvedOptions) => EngineClient;
}

type Listener<K extends keyof ConnectorEvents> = (...args: ConnectorEvents[K]) => void;

/**
 * Connects and authenticates (detecting the live deployment) before it
 * resolves, so wrong credentials or an unreachable cluster fail here.
 */
export async function connect(options: ConnectOptions, runtime: ConnectionRuntime = {}): Promise<Connection> {
  const resolved = resolveConnectOptions(options);
  return openConnection(resolved, runtime);
}

/** connect() for options already resolved (the pool resolves once for all its connections). */
export async function openConnection(resolved: ResolvedOptions, runtime: ConnectionRuntime = {}): Promise<Connection> {
  const connection = new Connection(resolved, runtime);
  try {
    await traced('connect', () => ({ host: resolved.host, port: resolved.port, cluster: resolved.cluster }), () => connection.ready());
  } catch (err) {
    await connection.close();
    throw resolved.secure ? explainTlsFailure(err, resolved) : err;
  }
  return connection;
}

// What grpc-js reports when the server's certificate is refused: the TLS error text inside a bare UNAVAILABLE.
const TLS_FAILURE = /certificate|self[- ]signed|altnames|handshake|SSL|TLS|CERT_|unable to verify/i;

/**
 * grpc reports a refused certificate as "engine unavailable", which sends the
 * reader looking for a dead cluster; say that the TLS handshake failed and why.
 */
function explainTlsFailure(err: unknown, options: ResolvedOptions): unknown {
  if (!(err instanceof E6DataError) || err.code !== 'UNAVAILABLE' || !TLS_FAILURE.test(err.message)) return err;
  const trust = options.caCert === undefined ? 'the system CAs' : 'the given caCert';
  return new E6DataError(
    `TLS handshake with ${options.host}:${options.port} failed: the server's certificate is not trusted by ${trust} or does not name the host (${err.message})`,
    { code: err.code, stage: 'not-sent', ...(err.kind === undefined ? {} : { kind: err.kind }), ...(err.method === undefined ? {} : { method: err.method }), cause: err },
  );
}

/**
 * A logged-in connection to one e6data endpoint (made by connect()): runs
 * queries and makes cursors, follows the cluster's blue/green deployments, and
 * emits the events ConnectorEvents lists.
 */
export class Connection extends EventEmitter {
  /** `host:port/cluster`, the identity of the endpoint's blue/green state. */
  readonly endpoint: string;
  /** The endpoint's blue/green state, shared by every connection to it. */
  readonly strategyStore: StrategyStore;

  private readonly options: ResolvedOptions;
  private readonly client: EngineClient;
  private readonly sessions: SessionManager;
  private readonly router: Router;
  private readonly counters: ConnectionStats = emptyStats();
  private readonly cursors = new Set<{ close(): Promise<void> }>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly unsubscribe: () => void;
  private readonly now: () => number;
  private closing: Promise<void> | null = null;

  /** @internal Use connect(). */
  constructor(options: ResolvedOptions, runtime: ConnectionRuntime = {}) {
    super();
    this.options = options;
    this.now = runtime.now ?? Date.now;
    const random = runtime.random ?? Math.random;
    const endpoint = { host: options.host, port: options.port, clusterName: options.cluster };
    this.endpoint = endpointKey(endpoint);
    this.strategyStore = options.strategyRegistry.get(endpoint);
    this.client = (runtime.createClient ?? createWireClient)(options);
    this.sessions = new SessionManager({
      client: this.client,
      store: this.strategyStore,
      username: options.username,
      password: options.password,
      cluster: options.cluster,
      connectTimeoutMs: options.timeouts.connectMs,
      logger: options.logger,
      now: this.now,
      onDetect: (event) => {
        this.counters.detections += 1;
        this.emit('detect', event);
      },
      onResponse: (response) => this.router.observe(response),
    });
    const resumer = new ClusterResumer({
      client: this.client,
      username: options.username,
      password: options.password,
      cluster: options.cluster,
      connectTimeoutMs: options.timeouts.connectMs,
      resumeTimeoutMs: options.resumeTimeoutMs,
      logger: options.logger,
      now: this.now,
    });
    this.router = new Router({
      client: this.client,
      store: this.strategyStore,
      sessions: this.sessions,
      resumer,
      budget: budgetFor(this.strategyStore, options.retry.budget),
      options,
      now: this.now,
      random,
      onRetry: (reason, method, attempt, delayMs, queryId) => this.onRetry(reason, method, attempt, delayMs, queryId),
    });
    watchRegistry(options.strategyRegistry);
    this.unsubscribe = watchStore(this.strategyStore, this.endpoint, (event, switched) => this.onStrategyChange(event, switched));
  }

  /** @internal Detects the live deployment and logs in there. */
  async ready(): Promise<void> {
    const op = startOperation({ timeoutMs: this.options.timeouts.connectMs }, this.now());
    const strategy = this.strategyStore.strategyForNewQuery();
    if (strategy === null) await this.router.detectOrHold(op);
    else await this.router.startWork('authenticate', op, () => Promise.resolve(undefined));
  }

  /** A cursor for statements in `options.catalog` / `options.database` (default: the connection's). */
  cursor(options: CursorOptions = {}): Cursor {
    this.assertOpen('cursor');
    return new Cursor(this.context, options);
  }

  /** Runs `sql` and reads its whole result. `timeoutMs` and `signal` cover execute and every fetch. */
  async query(sql: string, params?: QueryParameters, options?: OperationOptions): Promise<QueryResult> {
    this.assertOpen('query');
    const op = startOperation(options, this.now());
    const remaining = (): OperationOptions => ({
      ...(op.signal === undefined ? {} : { signal: op.signal }),
      ...(op.deadline === Number.POSITIVE_INFINITY ? {} : { timeoutMs: Math.max(1, op.deadline - this.now()) }),
    });
    const cursor = new Cursor(this.context, {});
    try {
      const queryId = await cursor.execute(sql, params, remaining());
      const rows = await cursor.fetchAll(remaining());
      const trace = cursor.trace;
      return { columns: cursor.description ?? [], rows, queryId: trace?.queryId ?? queryId, rowCount: rows.length, trace: trace! };
    } finally {
      // The clear of a finished query need not hold up its rows: the connection waits for it on close().
      cursor.release();
    }
  }

  /** Schema names of the connection's catalog (or `catalog`). */
  async getSchemaNames(options: OperationOptions & { catalog?: string } = {}): Promise<string[]> {
    const response = await this.workCall('getSchemaNamesV2', options, (sessionId, headers, deadline, signal) =>
      this.client.getSchemaNamesV2({ sessionId, catalog: options.catalog ?? this.options.catalog }, { headers, deadline, ...signal }),
    );
    return response.schemas;
  }

  /** Table names of `schema`. */
  async getTables(schema: string, options: OperationOptions & { catalog?: string } = {}): Promise<string[]> {
    const response = await this.workCall('getTablesV2', options, (sessionId, headers, deadline, signal) =>
      this.client.getTablesV2({ sessionId, schema, catalog: options.catalog ?? this.options.catalog }, { headers, deadline, ...signal }),
    );
    return response.tables;
  }

  /** Columns of `schema`.`table`, with their e6data type names. */
  async getColumns(schema: string, table: string, options: OperationOptions & { catalog?: string } = {}): Promise<ColumnInfo[]> {
    const response = await this.workCall('getColumnsV2', options, (sessionId, headers, deadline, signal) =>
      this.client.getColumnsV2({ sessionId, schema, table, catalog: options.catalog ?? this.options.catalog }, { headers, deadline, ...signal }),
    );
    return response.fieldInfo.map((field: GFieldInfo) => ({ name: field.fieldName, type: field.fieldType }));
  }

  /** The engine's dry-run verdict on `sql` (planned, not run). */
  async dryRun(sql: string, options: OperationOptions = {}): Promise<string> {
    const response = await this.workCall('dryRunV2', options, (sessionId, headers, deadline, signal) =>
      this.client.dryRunV2(
        { engineIP: '', sessionId, schema: this.options.database, queryString: sql.replace(/;\s*$/, ''), catalog: this.options.catalog },
        { headers, deadline, ...signal },
      ),
    );
    return response.dryrunValue;
  }

  /** Counters since the connection opened (a copy). */
  stats(): ConnectionStats {
    return copyStats(this.counters);
  }

  /** Sessions this connection holds, by deployment. */
  sessionStrategies(): string[] {
    return this.sessions.held();
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.closing !== null;
  }

  /**
   * Closes every cursor (clearing their queries), waits for background clears,
   * and closes the channel. Idempotent; later calls raise ClosedError.
   */
  close(): Promise<void> {
    this.closing ??= (async (): Promise<void> => {
      await Promise.allSettled([...this.cursors].map((cursor) => cursor.close()));
      while (this.background.size > 0) await Promise.allSettled([...this.background]);
      this.unsubscribe();
      this.sessions.clear();
      this.client.close();
    })();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  override on<K extends keyof ConnectorEvents>(event: K, listener: Listener<K>): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override off<K extends keyof ConnectorEvents>(event: K, listener: Listener<K>): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }

  override once<K extends keyof ConnectorEvents>(event: K, listener: Listener<K>): this {
    return super.once(event, listener as (...args: unknown[]) => void);
  }

  private get context(): ConnectionContext {
    return {
      client: this.client,
      router: this.router,
      store: this.strategyStore,
      options: this.options,
      stats: this.counters,
      now: this.now,
      assertOpen: (method) => this.assertOpen(method),
      track: (work) => {
        const tracked = work.finally(() => this.background.delete(tracked));
        this.background.add(tracked);
      },
      cursorOpened: (cursor) => this.cursors.add(cursor),
      cursorClosed: (cursor) => this.cursors.delete(cursor),
      emitQueryLost: (event: QueryLostEvent) => {
        log(this.options.logger, 'warn', 'e6data: a running query lost its deployment', { ...event });
        this.emit('queryLost', event);
      },
      emitRetry: (reason, method, attempt, delayMs, queryId) => this.onRetry(reason, method, attempt, delayMs, queryId),
    };
  }

  private workCall<T>(
    method: string,
    options: OperationOptions,
    call: (sessionId: string, headers: Record<string, string>, deadline: number, signal: { signal?: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    this.assertOpen(method);
    const op = startOperation(options, this.now());
    return this.router.startWork(method, op, (target) =>
      call(target.sessionId, target.headers as Record<string, string>, target.deadline(this.options.timeouts.defaultMs), op.signal === undefined ? {} : { signal: op.signal }),
    );
  }

  private assertOpen(method: string): void {
    if (this.closing !== null) throw new ClosedError('connection', method);
  }

  private onRetry(reason: RetryReason, method: string, attempt: number, delayMs: number, queryId: string | undefined): void {
    this.counters.retries[reason] += 1;
    const event = { method, reason, attempt, delayMs, ...(queryId === undefined ? {} : { queryId }) };
    log(this.options.logger, 'debug', 'e6data: retrying a call', event);
    publish('retry', () => ({ endpoint: this.endpoint, ...event }));
    this.emit('retry', event);
  }

  private onStrategyChange(event: StrategyChangeEvent, switched: boolean): void {
    if (switched) this.counters.switches += 1;
    log(this.options.logger, 'info', 'e6data: strategy state changed', { ...event });
    this.emit('strategyChange', event);
  }
}

/**
 * grpc-js backs off reconnecting up to 120 s after a long outage, so a gateway
 * that came back after a restart would keep failing calls for minutes. A
 * cluster front door is worth retrying sooner; `channelOptions` overrides these.
 */
const RECONNECT_DEFAULTS = Object.freeze({ 'grpc.initial_reconnect_backoff_ms': 200, 'grpc.max_reconnect_backoff_ms': 5_000 });

function createWireClient(options: ResolvedOptions): EngineClient {
  try {
    return createEngineClient({
      host: options.host,
      port: options.port,
      ...(options.secure ? { secure: true } : {}),
      ...(options.caCert === undefined ? {} : { caCert: options.caCert }),
      channelOptions: { ...RECONNECT_DEFAULTS, ...options.channelOptions },
      defaultTimeoutMs: options.timeouts.defaultMs,
      prepareTimeoutMs: options.timeouts.prepareMs,
      executeTimeoutMs: options.timeouts.executeMs,
      warn: (message, fields) => log(options.logger, 'warn', `e6data: ${message}`, fields ?? {}),
    });
  } catch (err) {
    if (err instanceof InvalidOptionError) throw new ConfigurationError(err.option, err.message, { cause: err });
    throw E6DataError.from(err, { stage: 'not-sent' });
  }
}
