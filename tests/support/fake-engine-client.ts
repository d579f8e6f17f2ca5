// An in-memory e6data cluster behind the EngineClient interface, for unit tests
// of the connector (no sockets). By default it behaves like a healthy cluster
// with `blue` live: sessions per deployment, prepared queries with results in
// batches, the 456 of a deployment that does not take the call, the 503 of a
// suspended cluster, `Access denied` for a session it does not know. On top of
// that a test scripts answers per method (and strategy): a response, a failure
// shaped like the ones grpc-js reports, a delay, or a call held until the test
// lets it go. Every call is recorded with its request and its wire headers.
//
// Failures leave a fake client exactly as they leave the real one: raw grpc-js
// errors become TransportErrors (the password of the call masked), an aborted
// signal rejects with CallAbortedError, a passed deadline with DEADLINE_EXCEEDED.
import {
  buildMetadata,
  CallAbortedError,
  ClientClosedError,
  encodeChunk,
  encodeResultMetadata,
  ENGINE_METHOD_NAMES,
  TransportError,
  WORK_STARTING_METHODS,
  type CallOptions,
  type EngineClient,
  type EngineMethodName,
  type VectorTypeName,
} from '@e6data-ts/grpc-transport';
import { parseStrategy, type Strategy } from '@e6data-ts/strategy-core';

/** Engine methods plus the three ClusterService calls, named as the fake records them. */
export type FakeMethod = EngineMethodName | 'cluster.status' | 'cluster.resume' | 'cluster.suspend';

/** One call as it went on the (fake) wire. */
export interface RecordedCall {
  /** Order of the call among every call the fake saw, from 1. */
  readonly seq: number;
  readonly method: FakeMethod;
  readonly request: Readonly<Record<string, unknown>>;
  /** The wire headers, lowercased as sent: `strategy`, `cluster-name`, `plannerip`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The `strategy` header, when one was sent. */
  readonly strategy: Strategy | undefined;
  /** Absolute deadline of the call (epoch ms), when it had one. */
  readonly deadline: number | undefined;
  readonly signal: AbortSignal | undefined;
  /** Which client made it (index in `FakeEngine.clients`). */
  readonly client: number;
  outcome: 'pending' | 'ok' | 'failed' | 'aborted';
  /** The response, once it answered. */
  response?: unknown;
  /** What the call failed with, as the connector saw it. */
  error?: unknown;
}

/** A failure as grpc-js reports it: a status code and the details text. */
export type GrpcFailure = Error & { readonly code: number; readonly details: string };

const STATUS_NAMES: Readonly<Record<number, string>> = {
  2: 'UNKNOWN',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

/** A grpc-js shaped failure: `{ code, details }` with grpc-js's message. */
export function grpcFailure(code: number, details: string): GrpcFailure {
  return Object.assign(new Error(`${code} ${STATUS_NAMES[code] ?? 'STATUS'}: ${details}`), { code, details });
}

/** The failures the cluster produces, each a fresh error per use. */
export const failures = {
  /** HTTP 456 from the router: this deployment does not take the call. */
  strategyMismatch: (): GrpcFailure => grpcFailure(2, 'Received HTTP status code 456'),
  /** The engine does not know the session. */
  accessDenied: (): GrpcFailure => grpcFailure(13, 'Access denied'),
  /** HTTP 503 from the router: the cluster is suspended. */
  suspended: (): GrpcFailure => grpcFailure(14, 'Received HTTP status code 503'),
  /** The call never left: no connection. */
  notSent: (): GrpcFailure => grpcFailure(14, 'No connection established'),
  /** The connection broke while the call was out: it may have run. */
  dropped: (): GrpcFailure => grpcFailure(14, 'Connection dropped'),
  /** The cluster refused the credentials. */
  badCredentials: (): GrpcFailure => grpcFailure(16, 'bad token'),
};

/** How the fake answers one call: a response, or a throw/rejection with a failure. */
export type Answer = (call: RecordedCall, engine: FakeEngine) => unknown;

/** Always answers `value`. */
export function respond(value: unknown): Answer {
  return () => value;
}

/** Fails with a fresh `make()` each time. */
export function fail(make: () => Error): Answer {
  return () => {
    throw make();
  };
}

/** Waits `ms` (the call's signal still aborts it), then answers with `answer` (default: the healthy cluster's answer). */
export function delayed(ms: number, answer?: Answer): Answer {
  return async (call, engine) => {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      call.signal?.addEventListener('abort', () => clearTimeout(timer), { once: true });
    });
    return (answer ?? engine.healthy)(call, engine);
  };
}

/** The healthy cluster's answer with `new_strategy` set to `value` (valid or not). */
export function announcing(value: string, answer?: Answer): Answer {
  return async (call, engine) => ({ ...((await (answer ?? engine.healthy)(call, engine)) as object), new_strategy: value });
}

/** A call the test answers by hand. `started` resolves with the call once it arrives. */
export class HeldAnswer {
  readonly started: Promise<RecordedCall>;
  private markStarted!: (call: RecordedCall) => void;
  private held: { call: RecordedCall; engine: FakeEngine; resolve(value: unknown): void; reject(err: unknown): void } | null = null;

  constructor() {
    this.started = new Promise((resolve) => {
      this.markStarted = resolve;
    });
  }

  /** Use as the scripted answer (for one call). */
  readonly answer: Answer = (call, engine) =>
    new Promise((resolve, reject) => {
      this.held = { call, engine, resolve, reject };
      this.markStarted(call);
    });

  /** Lets the call answer what a healthy cluster would answer now. */
  release(): void {
    const held = this.requireHeld();
    try {
      held.resolve(held.engine.healthy(held.call, held.engine));
    } catch (err) {
      held.reject(err);
    }
  }

  /** Lets the call answer `value`. */
  resolve(value: unknown): void {
    this.requireHeld().resolve(value);
  }

  /** Lets the call fail with `err` (a grpc-js shaped failure). */
  reject(err: unknown): void {
    this.requireHeld().reject(err);
  }

  private requireHeld(): NonNullable<HeldAnswer['held']> {
    if (this.held === null) throw new Error('the held call has not arrived yet: await `started` first');
    return this.held;
  }
}

/** Rows of a result, batch by batch, with the column types the fake encodes them as. */
export interface FakeResult {
  readonly columns: readonly { readonly name: string; readonly type: VectorTypeName }[];
  readonly batches: readonly (readonly (readonly unknown[])[])[];
}

/** One LONG column `n` holding 0..rows-1, in batches of `batchSize`. */
export function numbersResult(rows: number, batchSize = rows): FakeResult {
  const batches: unknown[][][] = [];
  for (let start = 0; start < rows; start += batchSize) {
    batches.push(Array.from({ length: Math.min(batchSize, rows - start) }, (_, i) => [BigInt(start + i)]));
  }
  return { columns: [{ name: 'n', type: 'LONG' }], batches };
}

/** What a prepared query holds on the fake engine. */
export interface FakeQuery {
  readonly queryId: string;
  readonly strategy: Strategy;
  readonly sessionId: string;
  readonly engineIP: string;
  readonly sql: string;
  readonly result: FakeResult;
  executed: boolean;
  nextBatch: number;
  state: 'prepared' | 'running' | 'cleared' | 'cancelled';
}

interface ScriptEntry {
  readonly method: FakeMethod;
  readonly strategy: Strategy | undefined;
  remaining: number;
  readonly answer: Answer;
}

export interface FakeEngineOptions {
  user?: string;
  password?: string;
  /** The clock deadlines are read against; the connector's `runtime.now` when a test injects one. */
  now?: () => number;
}

/** The fake cluster: state, script and call log shared by every client it hands out. */
export class FakeEngine {
  /** Deployments that take new work (authenticate, prepare, schema calls); others answer 456. */
  readonly takesNewWork = new Set<Strategy>(['blue']);
  /** Deployments that still serve calls about their queries; others answer 456. */
  readonly serves = new Set<Strategy>(['blue', 'green']);
  /** The cluster's status as ClusterService reports it; anything but `active` makes engine calls answer 503. */
  clusterStatus = 'active';
  /** Status polls that answer `resuming` after a resume, before the cluster is `active`. */
  resumePolls = 0;
  /** Decides the rows of each prepared statement (default: one LONG column, one row `1`). */
  resultFor: (sql: string) => FakeResult = () => ({ columns: [{ name: 'n', type: 'LONG' }], batches: [[[1n]]] });

  readonly calls: RecordedCall[] = [];
  readonly clients: EngineClient[] = [];
  readonly queries = new Map<string, FakeQuery>();
  /** Session id -> the deployment it was created on. */
  readonly sessions = new Map<string, Strategy>();

  private readonly script: ScriptEntry[] = [];
  private readonly user: string;
  private readonly password: string;
  private readonly now: () => number;
  private seq = 0;
  private ids = 0;
  private pollsLeft = 0;

  constructor(options: FakeEngineOptions = {}) {
    this.user = options.user ?? 'user@example.com';
    this.password = options.password ?? 'test-token';
    this.now = options.now ?? Date.now;
  }

  /** The `runtime.createClient` hook: a new client on this cluster per call. */
  readonly createClient = (): EngineClient => {
    const client = this.newClient(this.clients.length);
    this.clients.push(client);
    return client;
  };

  /** Answers the next `times` calls of `method` (on `strategy`, when given) with `answer`. */
  on(method: FakeMethod, answer: Answer, options: { strategy?: Strategy; times?: number } = {}): this {
    this.script.push({ method, strategy: options.strategy, remaining: options.times ?? 1, answer });
    return this;
  }

  /** Answers every call of `method` (on `strategy`, when given) with `answer` from now on. */
  always(method: FakeMethod, answer: Answer, options: { strategy?: Strategy } = {}): this {
    return this.on(method, answer, { ...options, times: Number.POSITIVE_INFINITY });
  }

  /** Drops every scripted answer not used yet. */
  resetScript(): void {
    this.script.length = 0;
  }

  /** Calls of `method` (all calls without it), optionally only those sent to `strategy`. */
  callsOf(method?: FakeMethod, strategy?: Strategy): RecordedCall[] {
    return this.calls.filter((c) => (method === undefined || c.method === method) && (strategy === undefined || c.strategy === strategy));
  }

  /** Calls still waiting for an answer. */
  pendingCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.outcome === 'pending');
  }

  /** Makes `strategy` the one deployment that takes new work (the router answers 456 for the other). */
  goLive(strategy: Strategy): void {
    this.takesNewWork.clear();
    this.takesNewWork.add(strategy);
  }

  /** Forgets every session, as engines do when sessions expire: their next calls answer `Access denied`. */
  expireSessions(strategy?: Strategy): void {
    for (const [id, owner] of this.sessions) if (strategy === undefined || owner === strategy) this.sessions.delete(id);
  }

  /** Queries prepared but neither cleared nor cancelled. */
  openQueries(): FakeQuery[] {
    return [...this.queries.values()].filter((q) => q.state === 'prepared' || q.state === 'running');
  }

  /** The answer of a healthy cluster in the fake's current state. */
  readonly healthy: Answer = (call) => this.answerHealthy(call);

  private newClient(index: number): EngineClient {
    let closed = false;
    const invoke = (method: FakeMethod) => (request: unknown, options: CallOptions = {}) => {
      if (closed) return Promise.reject(new ClientClosedError(method, 'fake:0'));
      return this.invoke(method, index, request, options);
    };
    const calls: Record<string, unknown> = {};
    for (const method of ENGINE_METHOD_NAMES) calls[method] = invoke(method);
    const client = {
      ...calls,
      target: 'fake:0',
      settings: { target: 'fake:0', secure: false, channelOptions: {}, inertOptions: [], defaultTimeoutMs: 60_000, prepareTimeoutMs: 600_000, executeTimeoutMs: 600_000 },
      cluster: { status: invoke('cluster.status'), resume: invoke('cluster.resume'), suspend: invoke('cluster.suspend') },
      get closed(): boolean {
        return closed;
      },
      close(): void {
        closed = true;
      },
    };
    return client as unknown as EngineClient;
  }

  private invoke(method: FakeMethod, client: number, request: unknown, options: CallOptions): Promise<unknown> {
    const { signal } = options;
    // Like grpc-js: an already-aborted call never goes on the wire.
    if (signal?.aborted) return Promise.reject(new CallAbortedError(signal.reason, { method }));
    const headers = buildMetadata(options.headers).getMap() as Record<string, string>;
    const deadline = options.deadline === undefined ? undefined : Number(options.deadline);
    const call: RecordedCall = {
      seq: ++this.seq,
      method,
      request: (request ?? {}) as Record<string, unknown>,
      headers,
      strategy: parseStrategy(headers.strategy) ?? undefined,
      deadline,
      signal,
      client,
      outcome: 'pending',
    };
    this.calls.push(call);
    const secrets = [typeof (request as { password?: unknown })?.password === 'string' ? (request as { password: string }).password : undefined];
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: RecordedCall['outcome']): boolean => {
        if (call.outcome !== 'pending') return false;
        call.outcome = outcome;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const succeed = (response: unknown): void => {
        if (!settle('ok')) return;
        call.response = response;
        resolve(response);
      };
      const finish = (outcome: 'failed' | 'aborted', error: TransportError): void => {
        if (!settle(outcome)) return;
        call.error = error;
        reject(error);
      };
      const onAbort = (): void => finish('aborted', new CallAbortedError(signal?.reason, { method }));
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadline !== undefined && Number.isFinite(deadline)) {
        timer = setTimeout(() => finish('failed', TransportError.from(grpcFailure(4, 'Deadline exceeded'), { method })), Math.max(0, deadline - this.now()));
      }
      // Answers come on a later turn of the event loop, as a real answer comes
      // from I/O: a caller that retries in a loop must not starve timers.
      void new Promise<void>((next) => setImmediate(next))
        .then(() => this.answerFor(call)(call, this))
        .then(
          succeed,
          (err: unknown) => finish('failed', TransportError.from(err, { method, secrets })),
        );
    });
  }

  private answerFor(call: RecordedCall): Answer {
    const entry = this.script.find((e) => e.method === call.method && e.remaining > 0 && (e.strategy === undefined || e.strategy === call.strategy));
    if (entry === undefined) return this.healthy;
    entry.remaining -= 1;
    return entry.answer;
  }

  // --- the healthy cluster -------------------------------------------------

  private answerHealthy(call: RecordedCall): unknown {
    const { method } = call;
    if (method === 'cluster.status') return this.clusterStatusAnswer();
    if (method === 'cluster.resume') return this.resumeAnswer();
    if (method === 'cluster.suspend') {
      this.clusterStatus = 'suspended';
      return { status: 'suspended' };
    }
    if (this.clusterStatus !== 'active') throw failures.suspended();
    const strategy = call.strategy ?? [...this.takesNewWork][0];
    if (strategy === undefined) throw failures.strategyMismatch();
    const startsWork = WORK_STARTING_METHODS.has(method);
    if (startsWork ? !this.takesNewWork.has(strategy) : method !== 'healthCheck' && !this.serves.has(strategy)) throw failures.strategyMismatch();
    if (method === 'authenticate') return this.authenticate(call.request, strategy);
    if (method === 'healthCheck') return {};
    const sessionId = this.checkSession(call.request, strategy);
    switch (method) {
      case 'prepareStatement':
      case 'prepareStatementV2':
        return this.prepare(call.request, strategy, sessionId);
      case 'dryRunV2':
        return { dryrunValue: 'plan: ok' };
      case 'getSchemaNames':
      case 'getSchemaNamesV2':
        return { schemas: ['main', 'sales'], sessionId };
      case 'getTables':
      case 'getTablesV2':
        return { tables: ['orders', 'customers'], sessionId };
      case 'getColumns':
      case 'getColumnsV2':
        return { fieldInfo: [{ fieldName: 'id', fieldType: 'LONG' }, { fieldName: 'name', fieldType: 'STRING' }], sessionId };
      default:
        return this.aboutQuery(method, this.queryOf(call.request, strategy), sessionId);
    }
  }

  private authenticate(request: Readonly<Record<string, unknown>>, strategy: Strategy): unknown {
    if (request.user !== this.user || request.password !== this.password) throw failures.badCredentials();
    const sessionId = `${strategy}-session-${++this.ids}`;
    this.sessions.set(sessionId, strategy);
    return { sessionId };
  }

  private checkSession(request: Readonly<Record<string, unknown>>, strategy: Strategy): string {
    const sessionId = request.sessionId;
    if (typeof sessionId !== 'string' || this.sessions.get(sessionId) !== strategy) throw failures.accessDenied();
    return sessionId;
  }

  private prepare(request: Readonly<Record<string, unknown>>, strategy: Strategy, sessionId: string): unknown {
    const queryId = `${strategy}-q${++this.ids}`;
    const engineIP = strategy === 'blue' ? '10.0.0.1' : '10.0.0.2';
    const sql = String(request.queryString);
    this.queries.set(queryId, {
      queryId,
      strategy,
      sessionId,
      engineIP,
      sql,
      result: this.resultFor(sql),
      executed: false,
      nextBatch: 0,
      state: 'prepared',
    });
    return { engineIP, queryId, sessionId };
  }

  private queryOf(request: Readonly<Record<string, unknown>>, strategy: Strategy): FakeQuery {
    const query = this.queries.get(String(request.queryId));
    if (query === undefined || query.strategy !== strategy) throw grpcFailure(5, `query ${String(request.queryId)} not found`);
    return query;
  }

  private aboutQuery(method: FakeMethod, query: FakeQuery, sessionId: string): unknown {
    const total = query.result.batches.reduce((sum, batch) => sum + batch.length, 0);
    switch (method) {
      case 'executeStatement':
      case 'executeStatementV2':
        query.executed = true;
        query.state = 'running';
        return { sessionId };
      case 'getResultMetadata':
        return {
          resultMetaData: encodeResultMetadata({ rowCount: total, columns: query.result.columns.map((c) => ({ name: c.name, type: c.type, zone: '', format: '' })) }),
          sessionId,
        };
      case 'getNextResultBatch': {
        const batch = query.result.batches[query.nextBatch];
        if (batch === undefined) return { resultBatch: Buffer.alloc(0), sessionId };
        query.nextBatch += 1;
        const vectors = query.result.columns.map((column, c) => ({ type: column.type, values: batch.map((row) => row[c]) }));
        return { resultBatch: encodeChunk({ rowCount: batch.length, vectors }), sessionId };
      }
      case 'status':
        return { status: query.state === 'running', rowCount: String(total), sessionId };
      case 'clear':
      case 'clearOrCancelQuery':
        query.state = 'cleared';
        return { sessionId };
      case 'cancelQuery':
        query.state = 'cancelled';
        return { sessionId };
      case 'explain':
        return { explain: `plan of ${query.queryId}`, sessionId };
      case 'explainAnalyze':
        return { explainAnalyze: `analysed plan of ${query.queryId}`, isCached: false, parsingTime: '3', queueingTime: '4', sessionId };
      default:
        throw grpcFailure(12, `${method} is not implemented by the fake engine`);
    }
  }

  private clusterStatusAnswer(): unknown {
    if (this.clusterStatus === 'resuming') {
      if (this.pollsLeft > 0) this.pollsLeft -= 1;
      else this.clusterStatus = 'active';
    }
    return { status: this.clusterStatus };
  }

  private resumeAnswer(): unknown {
    if (this.clusterStatus === 'suspended') {
      this.pollsLeft = this.resumePolls;
      this.clusterStatus = this.resumePolls > 0 ? 'resuming' : 'active';
    }
    return { status: this.clusterStatus };
  }
}
