// A cursor runs one statement at a time and hands out its rows. Life cycle of
// a query: prepare (on the deployment that takes new work) -> execute ->
// result metadata and first batch (asked for together) -> batches, one kept
// in flight ahead of the reader -> exhausted (clear sent in the background) |
// cancelled | cleared | failed. From prepare to its end the query keeps its
// deployment, planner address and session, and stays pinned in the endpoint's
// store, so a pending deployment is promoted only when the old one's last
// query has ended.
import { Readable } from 'node:stream';
import {
  decodeChunk,
  decodeChunkColumns,
  type ChunkColumn,
  decodeResultMetadata,
  type CallHeaders,
  type CellValue,
  type ExplainAnalyzeResponse,
  type ParameterValue,
  type PrepareStatementResponse,
} from '@e6data-ts/grpc-transport';
import { type Strategy } from '@e6data-ts/strategy-core';
import { type ConnectionContext } from '../connection-context';
import { traced } from '../diagnostics/channels';
import { ClosedError, E6DataError, QueryCancelledError, QueryLostError } from '../errors';
import { log } from '../options/logger';
import { bindParameters, toServerParams, type QueryParameters } from '../params';
import { abortedError, checkOperation, deadlineError, startOperation, type Operation, type OperationOptions } from '../routing/operation';
import { type QueryRoute, type WorkTarget } from '../routing/router';
import { arrowSchema, loadArrow, toRecordBatch, type ArrowRecordBatch, type ArrowTable } from './arrow';
import { isReadOnlyStatement } from './read-only';

/** One row: the columns' values in order, per the connector's value table. */
export type Row = CellValue[];

/** A result column as the result metadata describes it. */
export interface ColumnDescription {
  readonly name: string;
  /** The e6data type name (`LONG`, `STRING`, `DECIMAL128`...). */
  readonly type: string;
}

/** What happened to a query on its way through the cluster, for logs and drills. */
export interface QueryTrace {
  readonly queryId: string;
  /** The deployment it ran on (after a re-run, the one it ran on last). */
  readonly strategy: Strategy;
  /** Calls of this query that were tried again (456 re-detection, access denied, 503, transient failures, cutover hold). */
  readonly retries: number;
  /** True when it was run again on the live deployment after its own went away (rerunOnLoss). */
  readonly rerun: boolean;
  /** True when it started on a deployment the cluster had announced (pending) rather than the active one. */
  readonly moved: boolean;
  /** Rows handed to the caller so far. */
  readonly rowsHandedOut: number;
}

/** One result column of a batch in columnar form: typed values, NULL flags, and its name from the result metadata. */
export type ResultColumn = ChunkColumn & { readonly name: string };

/** One result batch in columnar form (see decodeChunkColumns for each column type's arrays). */
export interface ColumnBatch {
  readonly rowCount: number;
  readonly columns: readonly ResultColumn[];
}

/** The engine's status of a query. */
export interface QueryStatus {
  /** True while the query is running or has results to read. */
  readonly ok: boolean;
  /** Rows the engine has sent so far. */
  readonly rowCount: number;
}

/** explainAnalyze's answer. */
export interface ExplainAnalyzeResult {
  readonly plan: string;
  readonly isCached: boolean;
  readonly parsingTimeMs: number;
  readonly queueingTimeMs: number;
}

/** Where a cursor's statements run: their catalog and schema. */
export interface CursorOptions {
  /** Catalog of this cursor's statements (default: the connection's). */
  catalog?: string;
  /** Schema of this cursor's statements (default: the connection's `database`). */
  database?: string;
}

type QueryEnd = 'exhausted' | 'cleared' | 'cancelled' | 'failed' | 'lost';

/** A statement from prepare to its end. */
interface RunningQuery {
  readonly route: QueryRoute;
  readonly description: readonly ColumnDescription[];
  /** Total rows when the engine knows them up front; -1 while streaming. */
  rowCount: number;
  buffer: Row[];
  pos: number;
  /** The batch in flight ahead of the reader: its bytes, or null at the end. */
  prefetch: Promise<Buffer | null> | null;
  /** A batch received and not decoded yet: rows or columns, as the reader asks. */
  raw: Buffer | null;
  exhausted: boolean;
  end: QueryEnd | null;
  rowsHandedOut: number;
  /** Rows of every batch received so far (handed out or not): the row count once the result ends. */
  rowsReceived: number;
  /** Aborted on cancel and close: stops the calls in flight. */
  readonly abort: AbortController;
  readonly statement: PreparedText;
  readonly retries: { count: number };
  readonly moved: boolean;
  rerun: boolean;
  /** Why a lost or failed query ended: raised again by every later fetch, so a broken result never reads as a finished one. */
  failure: Error | undefined;
  /** Detaches the caller's abort listener. */
  detach: () => void;
}

interface PreparedText {
  readonly sql: string;
  readonly params: ParameterValue[];
  readonly readOnly: boolean;
}

/** Where a prepared query went (filled in by the prepare attempt that succeeded). */
interface Prepared {
  response: PrepareStatementResponse;
  target: WorkTarget;
}

/** Runs one query at a time and reads its result row by row, in batches, as a stream or as Arrow; made by `connection.cursor()`. */
export class Cursor implements AsyncIterable<Row> {
  private query: RunningQuery | null = null;
  private closed = false;
  private readonly background = new Set<Promise<unknown>>();
  private readonly catalog: string;
  private readonly database: string;

  /** @internal Created by Connection.cursor(). */
  constructor(
    private readonly ctx: ConnectionContext,
    options: CursorOptions = {},
  ) {
    this.catalog = options.catalog ?? ctx.options.catalog;
    this.database = options.database ?? ctx.options.database;
    ctx.cursorOpened(this);
  }

  /**
   * Runs `sql` and returns its query id once the engine has accepted it and the
   * first rows are on their way. A trailing semicolon is dropped. `params`
   * bind to `?` (an array) or `:name` (an object). `signal` and `timeoutMs`
   * bound the whole call; when either fires while the query runs, the query is
   * cancelled on the engine too.
   */
  async execute(sql: string, params?: QueryParameters, options?: OperationOptions): Promise<string> {
    this.assertUsable('execute');
    if (typeof sql !== 'string' || sql.trim() === '') throw new E6DataError('execute: the SQL text is empty', { code: 'INVALID_OPTION', stage: 'not-sent', method: 'execute' });
    const statement = this.statementText(sql, params);
    const op = startOperation(options, this.ctx.now());
    this.settleCurrent();
    return traced(
      'query',
      () => ({ sql, catalog: this.catalog, database: this.database }),
      () => this.run(statement, op, false),
    );
  }

  /** Column names and types of the current result; null before execute. */
  get description(): readonly ColumnDescription[] | null {
    return this.query?.description ?? null;
  }

  /** Rows in the result when known (exhausted, or announced by the engine); -1 otherwise. */
  get rowCount(): number {
    return this.query?.rowCount ?? -1;
  }

  /** The current query's id; null before execute. */
  get queryId(): string | null {
    return this.query?.route.queryId ?? null;
  }

  /** What happened to the current query; null before execute. */
  get trace(): QueryTrace | null {
    const q = this.query;
    if (q === null) return null;
    return {
      queryId: q.route.queryId,
      strategy: q.route.strategy,
      retries: q.retries.count,
      rerun: q.rerun,
      moved: q.moved,
      rowsHandedOut: q.rowsHandedOut,
    };
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** The next row, or null at the end of the result. */
  async fetchOne(options?: OperationOptions): Promise<Row | null> {
    const rows = await this.fetchRows(1, 'fetchOne', options);
    return rows[0] ?? null;
  }

  /** Up to `size` rows (default: the rest of the buffered batch, at least one); fewer only at the end. */
  async fetchMany(size?: number, options?: OperationOptions): Promise<Row[]> {
    if (size !== undefined && (!Number.isInteger(size) || size < 0)) {
      throw new E6DataError(`fetchMany: size must be an integer >= 0, got ${String(size)}`, { code: 'INVALID_OPTION', stage: 'not-sent', method: 'fetchMany' });
    }
    if (size !== undefined) return this.fetchRows(size, 'fetchMany', options);
    // The batch in hand, or the next one once it has been read: never a single row just because a batch ended.
    const q = await this.fill('fetchMany', options);
    return q === null ? [] : this.fetchRows(q.buffer.length - q.pos, 'fetchMany', options);
  }

  /** Every remaining row. */
  fetchAll(options?: OperationOptions): Promise<Row[]> {
    return this.fetchRows(Number.POSITIVE_INFINITY, 'fetchAll', options);
  }

  /**
   * The next result batch in columnar form (typed arrays where the type allows,
   * formatting on access), or null at the end. Whole batches only: a batch
   * already being read as rows must be finished as rows.
   */
  async fetchColumns(options?: OperationOptions): Promise<ColumnBatch | null> {
    const current = this.requireQuery('fetchColumns');
    if (current.pos < current.buffer.length) {
      throw new E6DataError('fetchColumns: the current batch is being read as rows; read the rest with fetchMany() first', {
        code: 'INVALID_OPTION',
        stage: 'not-sent',
        method: 'fetchColumns',
      });
    }
    const next = await this.nextRaw('fetchColumns', options);
    if (next === null) return null;
    const batch = this.decodeColumns(next.q, next.raw);
    next.q.rowsReceived += batch.rowCount;
    next.q.rowsHandedOut += batch.rowCount;
    return batch;
  }

  /** Every remaining batch in columnar form. Leaving the loop early clears the query on the engine. */
  async *batches(): AsyncGenerator<ColumnBatch, void, undefined> {
    let finished = false;
    try {
      for (;;) {
        const batch = await this.fetchColumns();
        if (batch === null) {
          finished = true;
          return;
        }
        yield batch;
      }
    } finally {
      if (!finished && !this.closed) await this.clear();
    }
  }

  /** The rest of the result as an Apache Arrow Table (needs the optional `apache-arrow` package). */
  async fetchArrow(): Promise<ArrowTable> {
    const arrow = await loadArrow();
    const batches: ArrowRecordBatch[] = [];
    for await (const batch of this.arrowBatches()) batches.push(batch);
    return batches.length === 0 ? new arrow.Table(arrowSchema(arrow, this.description ?? [], [])) : new arrow.Table(batches);
  }

  /** Every remaining batch as an Apache Arrow RecordBatch. Leaving the loop early clears the query. */
  async *arrowBatches(): AsyncGenerator<ArrowRecordBatch, void, undefined> {
    const arrow = await loadArrow();
    for await (const batch of this.batches()) yield toRecordBatch(arrow, batch);
  }

  /**
   * Rows one by one, fetching batches as the loop needs them. Leaving the loop
   * early (break, return, throw) clears the query on the engine.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<Row> {
    let finished = false;
    try {
      for (;;) {
        const batch = await this.nextBatch('iterate', undefined);
        if (batch === null) {
          finished = true;
          return;
        }
        for (const row of batch) yield row;
      }
    } finally {
      if (!finished && !this.closed) await this.clear();
    }
  }

  /** The rows as a Node Readable in object mode; a slow consumer stops the fetching (backpressure). Destroying it clears the query. */
  stream(options: { highWaterMark?: number } = {}): Readable {
    this.assertUsable('stream');
    if (this.query === null) throw new E6DataError('stream: execute a statement first', { code: 'INVALID_OPTION', stage: 'not-sent', method: 'stream' });
    const iterator = this[Symbol.asyncIterator]();
    return new Readable({
      objectMode: true,
      highWaterMark: options.highWaterMark ?? 1_024,
      read(): void {
        iterator.next().then(
          (step) => this.push(step.done === true ? null : step.value),
          (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
        );
      },
      destroy(err, callback): void {
        const closing = iterator.return?.();
        if (closing === undefined) {
          callback(err);
          return;
        }
        closing.then(
          () => callback(err),
          (closeErr: unknown) => callback(err ?? (closeErr instanceof Error ? closeErr : null)),
        );
      },
    });
  }

  /** The engine's status of the current query. */
  async status(options?: OperationOptions): Promise<QueryStatus> {
    const q = this.requireQuery('status');
    const response = await this.queryCall(q, 'status', options, true, (headers, deadline, signal) =>
      this.ctx.client.status(this.ref(q), { headers, deadline, signal }),
    );
    return { ok: response.status, rowCount: Number(response.rowCount) };
  }

  /** The engine's plan of the current query. */
  async explain(options?: OperationOptions): Promise<string> {
    const q = this.requireQuery('explain');
    const response = await this.queryCall(q, 'explain', options, true, (headers, deadline, signal) =>
      this.ctx.client.explain(this.ref(q), { headers, deadline, signal }),
    );
    return response.explain;
  }

  /** The engine's plan of the current query with what running it cost. */
  async explainAnalyze(options?: OperationOptions): Promise<ExplainAnalyzeResult> {
    const q = this.requireQuery('explainAnalyze');
    const response: ExplainAnalyzeResponse = await this.queryCall(q, 'explainAnalyze', options, true, (headers, deadline, signal) =>
      this.ctx.client.explainAnalyze(this.ref(q), { headers, deadline, signal }),
    );
    return {
      plan: response.explainAnalyze,
      isCached: response.isCached,
      parsingTimeMs: Number(response.parsingTime),
      queueingTimeMs: Number(response.queueingTime),
    };
  }

  /**
   * Cancels the current query on its own deployment. A fetch waiting on it
   * ends with QueryCancelledError. Does nothing once the query has ended.
   */
  async cancel(): Promise<void> {
    const q = this.query;
    if (q === null || q.end !== null) return;
    this.endQuery(q, 'cancelled');
    await this.sendCancel(q);
  }

  /** Frees the current query on the engine (idempotent). */
  async clear(): Promise<void> {
    const q = this.query;
    if (q !== null && q.end === null) this.endQuery(q, 'cleared');
    await this.drainBackground();
  }

  /** Clears the current query and closes the cursor; later calls raise ClosedError. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) {
      await this.drainBackground();
      return;
    }
    await this.clear();
    this.closed = true;
    this.ctx.cursorClosed(this);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * @internal Closes the cursor without waiting for the engine to free its
   * query: the clear goes on in the background and the connection's close()
   * waits for it. connection.query() returns its rows this way one round trip sooner.
   */
  release(): void {
    if (this.closed) return;
    this.settleCurrent();
    this.closed = true;
    this.ctx.cursorClosed(this);
  }

  // --- running a statement -------------------------------------------------

  private statementText(sql: string, params: QueryParameters | undefined): PreparedText {
    const trimmed = sql.replace(/;\s*$/, '');
    const readOnly = isReadOnlyStatement(trimmed);
    if (this.ctx.options.parameters === 'server') {
      const server = toServerParams(trimmed, params);
      return { sql: server.sql, params: server.params, readOnly };
    }
    return { sql: bindParameters(trimmed, params), params: [], readOnly };
  }

  private async run(statement: PreparedText, op: Operation, rerun: boolean): Promise<string> {
    const { ctx } = this;
    const maxRounds = ctx.options.retry.maxAttempts;
    for (let round = 1; ; round++) {
      let prepared: Prepared | undefined;
      await ctx.router.startWork('prepareStatementV2', op, async (target) => {
        const response = await ctx.client.prepareStatementV2(
          { sessionId: target.sessionId, schema: this.database, catalog: this.catalog, queryString: statement.sql, quoting: '' },
          { headers: target.headers, deadline: target.deadline(ctx.options.timeouts.prepareMs), ...signalOf(op) },
        );
        // Pinned before the router reads the response's new_strategy: otherwise an
        // announcement in this very answer would find the old deployment drained
        // and promote the pending one while this query is about to run there.
        ctx.store.registerQuery(response.queryId, target.strategy);
        prepared = { response, target };
        return response;
      });
      if (prepared === undefined) throw new E6DataError('prepare finished without an answer', { code: 'CALL_FAILED', stage: 'ambiguous' });
      const q = this.open(prepared, statement, op, rerun);
      ctx.stats.queries += 1;
      try {
        await this.start(q, op);
        return q.route.queryId;
      } catch (err) {
        const lost = err instanceof QueryLostError;
        // A 456 on execute comes from the router before any engine ran it:
        // safe to send the whole statement again, whatever it does.
        const neverRan = lost && err.method === 'executeStatementV2';
        const mayRerun = lost && !neverRan && ctx.options.rerunOnLoss && statement.readOnly && q.rowsHandedOut === 0;
        // The caller's signal may have cancelled the query already (its listener sends cancelQuery): do not send a second one.
        const cancelSent = q.end === 'cancelled';
        // A statement that ran out of time or was aborted is cancelled on the engine (cancel frees it; no clear besides).
        const stopped = err instanceof E6DataError && (err.code === 'DEADLINE_EXCEEDED' || err.code === 'ABORTED');
        this.endQuery(q, lost ? 'lost' : stopped ? 'cancelled' : 'failed');
        if (!cancelSent && stopped) this.track(this.sendCancel(q));
        if ((neverRan || mayRerun) && round < maxRounds) {
          if (mayRerun) this.reportLost(q, true);
          // The query prepared there is left behind (its deployment refuses calls about it): say which one.
          else ctx.emitRetry('strategy-mismatch', 'executeStatementV2', round, 0, q.route.queryId);
          rerun = rerun || mayRerun;
          op.retries.count += 1;
          continue;
        }
        if (lost) this.reportLost(q, false);
        throw err;
      }
    }
  }

  /** Pins a prepared query and makes it the cursor's current one. */
  private open(prepared: Prepared, statement: PreparedText, op: Operation, rerun: boolean): RunningQuery {
    const { response, target } = prepared;
    const route: QueryRoute = { queryId: response.queryId, strategy: target.strategy, engineIP: response.engineIP, sessionId: target.sessionId };
    this.ctx.store.registerQuery(route.queryId, route.strategy);
    const q: RunningQuery = {
      route,
      description: [],
      rowCount: -1,
      buffer: [],
      pos: 0,
      prefetch: null,
      raw: null,
      exhausted: false,
      end: null,
      rowsHandedOut: 0,
      rowsReceived: 0,
      abort: new AbortController(),
      statement,
      retries: op.retries,
      moved: target.onPending,
      rerun,
      failure: undefined,
      detach: () => undefined,
    };
    const signal = op.signal;
    if (signal !== undefined) {
      // The caller's signal keeps watching the query after execute returns: aborting it later cancels the query.
      const onAbort = (): void => void this.cancelQuery(q);
      signal.addEventListener('abort', onAbort, { once: true });
      q.detach = () => signal.removeEventListener('abort', onAbort);
    }
    this.query = q;
    return q;
  }

  /** execute, then the metadata and the first batch together. */
  private async start(q: RunningQuery, op: Operation): Promise<void> {
    const { ctx } = this;
    await ctx.router.queryCall(q.route, 'executeStatementV2', op, false, () => q.rowsHandedOut, (headers) =>
      ctx.client.executeStatementV2(
        { ...this.ref(q), shouldNotCache: false, params: q.statement.params },
        { headers, deadline: Math.min(op.deadline, ctx.now() + ctx.options.timeouts.executeMs), signal: this.signalFor(q, op) },
      ),
    );
    const metadata = ctx.router.queryCall(q.route, 'getResultMetadata', op, true, () => q.rowsHandedOut, (headers) =>
      ctx.client.getResultMetadata(this.ref(q), {
        headers,
        deadline: Math.min(op.deadline, ctx.now() + ctx.options.timeouts.fetchMs),
        signal: this.signalFor(q, op),
      }),
    );
    const first = this.fetchBatch(q, op);
    const [meta, raw] = await Promise.all([metadata, first]);
    const decoded = decodeResultMetadata(meta.resultMetaData);
    (q as { description: readonly ColumnDescription[] }).description = Object.freeze(decoded.columns.map((c) => Object.freeze({ name: c.name, type: c.type })));
    if (decoded.rowCount >= 0) q.rowCount = decoded.rowCount;
    if (raw === null) this.markExhausted(q);
    else {
      q.raw = raw;
      this.startPrefetch(q);
    }
  }

  // --- fetching ------------------------------------------------------------

  /**
   * Up to `n` rows. They count as handed out only when the call returns them:
   * a call that fails part-way hands out nothing (its error says so), and a
   * lost read-only query that had handed out nothing before the call can be
   * re-run however many batches the call had read (connection.query() is one
   * such call).
   */
  private async fetchRows(n: number, method: string, options: OperationOptions | undefined): Promise<Row[]> {
    const out: Row[] = [];
    let source = this.query;
    while (out.length < n) {
      const q = await this.fill(method, options);
      if (q === null) break;
      if (q !== source) {
        // The statement was re-run after its deployment went away: the rows
        // this call collected from the lost run are not part of the new result.
        out.length = 0;
        source = q;
      }
      const take = Math.min(n - out.length, q.buffer.length - q.pos);
      for (let i = 0; i < take; i++) out.push(q.buffer[q.pos + i]!);
      q.pos += take;
    }
    if (source !== null) source.rowsHandedOut += out.length;
    return out;
  }

  /** The unread rest of the buffered batch, handed out whole; null at the end of the result. */
  private async nextBatch(method: string, options: OperationOptions | undefined): Promise<Row[] | null> {
    const q = await this.fill(method, options);
    if (q === null) return null;
    const rows = q.pos === 0 ? q.buffer : q.buffer.slice(q.pos);
    q.buffer = [];
    q.pos = 0;
    q.rowsHandedOut += rows.length;
    return rows;
  }

  /**
   * Makes sure the current query has unread rows in its buffer, waiting for the
   * next batch when needed; null at the end of the result. A lost read-only
   * query that handed out no row is re-run here (rerunOnLoss).
   */
  private async fill(method: string, options: OperationOptions | undefined): Promise<RunningQuery | null> {
    for (;;) {
      const q = this.requireQuery(method);
      if (q.pos < q.buffer.length) return q;
      const next = await this.nextRaw(method, options);
      if (next === null) return null;
      next.q.buffer = this.decodeRows(next.q, next.raw);
      next.q.pos = 0;
      next.q.rowsReceived += next.q.buffer.length;
    }
  }

  /**
   * The next batch's bytes, waiting for the engine when none is at hand; null
   * at the end of the result. A lost read-only query that handed out no row is
   * re-run here (rerunOnLoss): the batch then comes from the new run.
   */
  private async nextRaw(method: string, options: OperationOptions | undefined): Promise<{ q: RunningQuery; raw: Buffer } | null> {
    for (;;) {
      const q = this.requireQuery(method);
      if (q.raw !== null) {
        const raw = q.raw;
        q.raw = null;
        return { q, raw };
      }
      if (q.end === 'cancelled') throw this.cancelledError(q, method);
      if ((q.end === 'lost' || q.end === 'failed') && q.failure !== undefined) throw q.failure;
      if (q.exhausted || q.end !== null) return null;
      const op = startOperation(options, this.ctx.now(), q.retries);
      // A prefetch was sent before this call and knows nothing of its deadline or signal: bound the wait here.
      const pending = q.prefetch === null ? this.fetchBatch(q, op) : withinOperation(q.prefetch, op, q.route.queryId, () => this.ctx.now());
      q.prefetch = null;
      let raw: Buffer | null;
      try {
        raw = await traced('fetch', () => ({ queryId: q.route.queryId }), () => pending);
      } catch (err) {
        if (q.end === 'cancelled') throw this.cancelledError(q, method);
        // The caller gave up waiting: the engine must stop too, not just this process.
        if (err instanceof E6DataError && (err.code === 'DEADLINE_EXCEEDED' || err.code === 'ABORTED')) {
          this.cancelQuery(q);
          throw err;
        }
        if (err instanceof QueryLostError && (await this.rerunLost(q, op))) continue;
        if (q.end === null) this.endQuery(q, err instanceof QueryLostError ? 'lost' : 'failed');
        let failure: Error = err instanceof Error ? err : new Error(String(err));
        if (err instanceof QueryLostError) {
          this.reportLost(q, false);
          // A prefetch fails ahead of the reader: count the rows handed out since, not those at the failure.
          if (err.rowsHandedOut !== q.rowsHandedOut) failure = new QueryLostError(q.route.queryId, q.route.strategy, q.rowsHandedOut, { method: err.method, cause: err.cause });
        }
        q.failure = failure;
        throw failure;
      }
      if (raw === null) {
        this.markExhausted(q);
        return null;
      }
      this.startPrefetch(q);
      return { q, raw };
    }
  }

  private decodeRows(q: RunningQuery, raw: Buffer): Row[] {
    return this.decoded(q, () => decodeChunk(raw, { int64: this.ctx.options.int64 }).rows);
  }

  private decodeColumns(q: RunningQuery, raw: Buffer): ColumnBatch {
    const decoded = this.decoded(q, () => decodeChunkColumns(raw, { int64: this.ctx.options.int64 }));
    const columns = decoded.columns.map((column, c) => Object.assign(column, { name: q.description[c]?.name ?? `column${c + 1}` }));
    return { rowCount: decoded.rowCount, columns };
  }

  /**
   * Runs a decoder. A LONG past 2^53 with int64 'number' raises the RangeError
   * the value table promises; any other batch that cannot be decoded fails the
   * query with DECODE_FAILED. Either way the query ends, and later fetches say why.
   */
  private decoded<T>(q: RunningQuery, decode: () => T): T {
    try {
      return decode();
    } catch (err) {
      this.endQuery(q, 'failed');
      q.failure = err instanceof RangeError ? err : this.decodeFailure(q, err);
      throw q.failure;
    }
  }

  private decodeFailure(q: RunningQuery, err: unknown): E6DataError {
    return new E6DataError(`getNextResultBatch: the result batch of query ${q.route.queryId} cannot be decoded (${(err as Error).message})`, {
      code: 'DECODE_FAILED',
      stage: 'executed',
      method: 'getNextResultBatch',
      queryId: q.route.queryId,
      strategy: q.route.strategy,
      cause: err,
    });
  }

  private fetchBatch(q: RunningQuery, op: Operation): Promise<Buffer | null> {
    const { ctx } = this;
    return ctx.router
      .queryCall(q.route, 'getNextResultBatch', op, false, () => q.rowsHandedOut, (headers) =>
        ctx.client.getNextResultBatch(this.ref(q), {
          headers,
          deadline: Math.min(op.deadline, ctx.now() + ctx.options.timeouts.fetchMs),
          signal: this.signalFor(q, op),
        }),
      )
      .then((response) => (response.resultBatch.length === 0 ? null : response.resultBatch));
  }

  private startPrefetch(q: RunningQuery): void {
    if (q.prefetch !== null || q.exhausted || q.end !== null || this.ctx.options.prefetchBatches === 0) return;
    const op = startOperation(undefined, this.ctx.now(), q.retries);
    q.prefetch = this.fetchBatch(q, op);
    // Observed when the reader asks for it; until then a failure must not go unhandled.
    q.prefetch.catch(() => undefined);
  }

  /** With rerunOnLoss, runs a lost read-only query again when none of its rows were handed out. */
  private async rerunLost(q: RunningQuery, op: Operation): Promise<boolean> {
    if (!this.ctx.options.rerunOnLoss || !q.statement.readOnly || q.rowsHandedOut > 0 || q.end !== null) return false;
    this.endQuery(q, 'lost');
    this.reportLost(q, true);
    log(this.ctx.options.logger, 'info', 'e6data: re-running a lost read-only query on the live deployment', { queryId: q.route.queryId, strategy: q.route.strategy });
    op.retries.count += 1;
    await this.run(q.statement, op, true);
    return true;
  }

  private markExhausted(q: RunningQuery): void {
    q.exhausted = true;
    if (q.rowCount < 0) q.rowCount = q.rowsReceived;
    this.endQuery(q, 'exhausted');
  }

  // --- ending a query ------------------------------------------------------

  /**
   * Unpins the query at once (so a pending deployment can be promoted) and
   * frees it on the engine in the background; close() and clear() wait for that.
   */
  private endQuery(q: RunningQuery, end: QueryEnd): void {
    if (q.end !== null) return;
    q.end = end;
    q.detach();
    if (end !== 'exhausted') {
      q.prefetch = null;
      q.abort.abort();
    }
    // Rows still buffered belong to a result the caller gave up: handing them
    // out later would pass a cut-off result for a whole one.
    if (end === 'cleared' || end === 'cancelled') {
      q.buffer = [];
      q.pos = 0;
      q.raw = null;
    }
    this.ctx.store.cleanupQuery(q.route.queryId);
    if (end === 'exhausted' || end === 'cleared' || end === 'failed') this.track(this.sendClear(q));
  }

  private sendClear(q: RunningQuery): Promise<void> {
    return this.sendEnd(q, 'clear');
  }

  private sendCancel(q: RunningQuery): Promise<void> {
    return this.sendEnd(q, 'cancelQuery');
  }

  /** Frees (clear) or stops (cancelQuery) a query on its own deployment; never fails the caller. */
  private async sendEnd(q: RunningQuery, method: 'clear' | 'cancelQuery'): Promise<void> {
    const { ctx } = this;
    const op = startOperation(undefined, ctx.now());
    try {
      await ctx.router.queryCall(q.route, method, op, true, () => q.rowsHandedOut, (headers) =>
        ctx.client[method](this.ref(q), { headers, deadline: ctx.now() + ctx.options.timeouts.defaultMs }),
      );
    } catch (err) {
      // Nothing the caller can do about a query that could not be freed: the engine expires it.
      log(ctx.options.logger, 'debug', `e6data: ${method} failed`, { queryId: q.route.queryId, error: (err as Error).message });
    }
  }

  /** The caller's signal fired while the query ran: cancel it on the engine. */
  private cancelQuery(q: RunningQuery): void {
    if (q.end !== null) return;
    this.endQuery(q, 'cancelled');
    this.track(this.sendCancel(q));
  }

  private reportLost(q: RunningQuery, rerun: boolean): void {
    this.ctx.stats.lost += 1;
    if (rerun) this.ctx.stats.rerun += 1;
    this.ctx.emitQueryLost({ queryId: q.route.queryId, strategy: q.route.strategy, rowsHandedOut: q.rowsHandedOut, rerun });
  }

  // --- helpers -------------------------------------------------------------

  private settleCurrent(): void {
    const q = this.query;
    if (q !== null && q.end === null) this.endQuery(q, 'cleared');
  }

  private queryCall<T>(
    q: RunningQuery,
    method: string,
    options: OperationOptions | undefined,
    idempotent: boolean,
    call: (headers: CallHeaders, deadline: number, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const op = startOperation(options, this.ctx.now(), q.retries);
    return this.ctx.router.queryCall(q.route, method, op, idempotent, () => q.rowsHandedOut, (headers) =>
      call(headers, Math.min(op.deadline, this.ctx.now() + this.ctx.options.timeouts.defaultMs), this.signalFor(q, op)),
    );
  }

  private ref(q: RunningQuery): { engineIP: string; sessionId: string; queryId: string } {
    return { engineIP: q.route.engineIP, sessionId: q.route.sessionId, queryId: q.route.queryId };
  }

  /** Calls of a query stop when the query is cancelled or closed, or when the operation's signal fires. */
  private signalFor(q: RunningQuery, op: Operation): AbortSignal {
    return op.signal === undefined ? q.abort.signal : AbortSignal.any([q.abort.signal, op.signal]);
  }

  private cancelledError(q: RunningQuery, method: string): QueryCancelledError {
    return new QueryCancelledError(`${method}: query ${q.route.queryId} was cancelled`, {
      code: 'QUERY_CANCELLED',
      stage: 'executed',
      method,
      queryId: q.route.queryId,
      strategy: q.route.strategy,
    });
  }

  private requireQuery(method: string): RunningQuery {
    this.assertUsable(method);
    if (this.query === null) throw new E6DataError(`${method}: no statement has been executed on this cursor`, { code: 'INVALID_OPTION', stage: 'not-sent', method });
    return this.query;
  }

  private assertUsable(method: string): void {
    if (this.closed) throw new ClosedError('cursor', method);
    this.ctx.assertOpen(method);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.background.delete(tracked));
    this.background.add(tracked);
    this.ctx.track(tracked);
  }

  private async drainBackground(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }
}

/**
 * `work`, or the operation's typed deadline/abort error when its deadline
 * passes or its signal fires first (`work` then settles unobserved).
 */
async function withinOperation<T>(work: Promise<T>, op: Operation, queryId: string, now: () => number): Promise<T> {
  const method = 'getNextResultBatch';
  const { signal, deadline } = op;
  if (signal === undefined && deadline === Number.POSITIVE_INFINITY) return work;
  checkOperation(op, now(), method);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortedError(signal?.reason, method, 'ambiguous', queryId));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (deadline !== Number.POSITIVE_INFINITY) timer = setTimeout(() => reject(deadlineError(method, 'ambiguous', queryId)), deadline - now());
  });
  stop.catch(() => undefined);
  try {
    return await Promise.race([work, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}

function signalOf(op: Operation): { signal?: AbortSignal } {
  return op.signal === undefined ? {} : { signal: op.signal };
}
