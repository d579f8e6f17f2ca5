// One query, from prepare to clear: its own DuckDB connection, its prepared
// statement and, once executed, a streaming result read batch by batch.
//
// Calls on one query run one at a time (a DuckDB result must not be read
// concurrently). Execution starts at execute and is not awaited there: an
// execution error surfaces at the next getResultMetadata / getNextResultBatch,
// and cancelQuery can interrupt a long query at any point.
//
// Result metadata's row count is exact when the whole result fits in the first
// batch (getResultMetadata reads that batch ahead); for longer results, which
// are streamed and never counted in advance, it is -1 ("unknown").
import { type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { encodeChunk, encodeResultMetadata, type ParameterValue } from '@e6data-ts/grpc-transport';
import { BatchReader } from './batch-reader';
import { type EngineDatabase } from './engine-database';
import { EngineError, SqlError } from './engine-error';
import { bindParameters } from './param-binding';
import { type QueryScope } from './query-scope';
import { columnMetadata, mapColumnType, toEncodeVector, type ColumnMapping } from './type-mapping';

export interface QueryContext {
  readonly deployment: string;
  readonly batchRows: number;
  readonly clock: { now(): number };
  readonly database: EngineDatabase;
}

export interface PrepareRequest {
  readonly id: string;
  readonly user: string;
  readonly sql: string;
  readonly catalog: string;
  readonly schema: string;
}

interface ResultColumn {
  readonly name: string;
  readonly mapping: ColumnMapping;
}

interface RunningResult {
  readonly reader: BatchReader;
  readonly columns: readonly ResultColumn[];
}

type QueryState =
  | { readonly tag: 'prepared' }
  | { readonly tag: 'running'; readonly result: Promise<RunningResult> }
  | { readonly tag: 'exhausted'; readonly result: RunningResult }
  | { readonly tag: 'failed'; readonly error: EngineError }
  | { readonly tag: 'cancelled' }
  | { readonly tag: 'cleared' };

export type QueryStateTag = QueryState['tag'];

export interface QueryStatus {
  /** True while the query is executed and healthy (running or fully read). */
  readonly ok: boolean;
  /** Rows handed out so far; the total once the result is exhausted. */
  readonly rowCount: number;
}

const EMPTY_BATCH = Buffer.alloc(0);

export class Query {
  private state: QueryState = { tag: 'prepared' };
  private lastActivityAt: number;
  private inFlight = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private params: readonly ParameterValue[] = [];
  private rowsSent = 0;
  private freed = false;

  private constructor(
    private readonly context: QueryContext,
    readonly id: string,
    readonly user: string,
    readonly sql: string,
    readonly scope: QueryScope,
    /** Milliseconds DuckDB took to parse and plan the statement. */
    readonly prepareMs: number,
    private readonly connection: DuckDBConnection,
    private readonly statement: DuckDBPreparedStatement,
  ) {
    this.lastActivityAt = context.clock.now();
  }

  /** Opens a connection in the request's scope and prepares the SQL there; a SQL error is a SqlError. */
  static async prepare(context: QueryContext, request: PrepareRequest): Promise<Query> {
    const started = context.clock.now();
    const { connection, scope } = await context.database.connect(request.catalog, request.schema);
    try {
      const statement = await connection.prepare(request.sql);
      const prepareMs = Math.max(0, context.clock.now() - started);
      return new Query(context, request.id, request.user, request.sql, scope, prepareMs, connection, statement);
    } catch (error) {
      context.database.release(connection);
      throw SqlError.fromDuckDB(error);
    }
  }

  get stateTag(): QueryStateTag {
    return this.state.tag;
  }

  /**
   * Starts execution. `params` null is the V1 call, which cannot bind
   * parameters; V2 binds them as real DuckDB parameters (see param-binding.ts).
   */
  execute(params: readonly ParameterValue[] | null): void {
    this.touch();
    if (this.state.tag !== 'prepared') throw this.stateError('executeStatement');
    if (params === null) {
      if (this.statement.parameterCount > 0) {
        throw new EngineError(
          'INVALID_PARAMETER',
          `query ${this.id} has ${this.statement.parameterCount} parameter(s); executeStatement cannot bind them, use executeStatementV2`,
        );
      }
    } else {
      bindParameters(this.statement, params);
      this.params = params;
    }
    const result = this.serial(async () => {
      const duckResult = await this.statement.stream();
      const columns = duckResult.columnNames().map((name, i) => ({ name, mapping: mapColumnType(duckResult.columnType(i)) }));
      return { reader: new BatchReader(duckResult, columns.length, this.context.batchRows), columns };
    });
    // Observed by the next metadata/batch call; this keeps an early failure from going unhandled meanwhile.
    result.catch(() => undefined);
    this.state = { tag: 'running', result };
  }

  /** The encoded result metadata (docs/wire.md 6.1). */
  metadata(): Promise<Buffer> {
    this.touch();
    return this.serial(async () => {
      const result = await this.currentResult('getResultMetadata');
      let rowCount: number;
      if (this.state.tag === 'exhausted') {
        rowCount = this.rowsSent;
      } else {
        await this.guard(() => result.reader.peek());
        rowCount = result.reader.totalRows ?? -1;
      }
      return encodeResultMetadata({ rowCount, columns: result.columns.map((c) => columnMetadata(c.name, c.mapping)) });
    });
  }

  /** The next encoded batch (a Thrift Chunk), or an empty buffer once the result is exhausted. */
  nextBatch(): Promise<Buffer> {
    this.touch();
    return this.serial(async () => {
      const result = await this.currentResult('getNextResultBatch');
      if (this.state.tag === 'exhausted') return EMPTY_BATCH;
      const batch = await this.guard(() => result.reader.next());
      if (batch === null) {
        this.state = { tag: 'exhausted', result };
        return EMPTY_BATCH;
      }
      const encoded = this.guardSync(() =>
        encodeChunk({
          rowCount: batch.rowCount,
          vectors: result.columns.map((column, c) => toEncodeVector(column.name, column.mapping, batch.columns[c] ?? [])),
        }),
      );
      this.rowsSent += batch.rowCount;
      return encoded;
    });
  }

  status(): QueryStatus {
    this.touch();
    const ok = this.state.tag === 'running' || this.state.tag === 'exhausted';
    return { ok, rowCount: this.rowsSent };
  }

  /** DuckDB's EXPLAIN (or EXPLAIN ANALYZE, which runs the statement) of this query, with its parameters. */
  async explain(analyze: boolean): Promise<string> {
    this.touch();
    if (this.state.tag === 'cancelled' || this.state.tag === 'cleared') throw this.stateError(analyze ? 'explainAnalyze' : 'explain');
    this.inFlight += 1;
    try {
      // A separate connection: this one may be holding an open result stream.
      const { connection } = await this.context.database.connect(this.scope.catalog, this.scope.schema ?? '');
      try {
        const statement = await connection.prepare(`EXPLAIN ${analyze ? 'ANALYZE ' : ''}${this.sql}`);
        try {
          if (this.params.length > 0) bindParameters(statement, this.params);
          const reader = await statement.runAndReadAll();
          return reader
            .getRows()
            .map((row) => String(row[1] ?? ''))
            .join('\n');
        } finally {
          statement.destroySync();
        }
      } catch (error) {
        throw error instanceof EngineError ? error : SqlError.fromDuckDB(error);
      } finally {
        this.context.database.release(connection);
      }
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Stops the query (interrupting DuckDB if it is working) and frees it. Idempotent. */
  cancel(): Promise<void> {
    return this.end('cancelled');
  }

  /** Frees the query and its result, interrupting work still running. Idempotent. */
  clear(): Promise<void> {
    return this.end('cleared');
  }

  /** True when no call is running on the query and none came for `idleMs`. */
  isIdle(now: number, idleMs: number): boolean {
    return this.inFlight === 0 && now - this.lastActivityAt >= idleMs;
  }

  private async end(tag: 'cancelled' | 'cleared'): Promise<void> {
    if (this.state.tag === 'cancelled' || this.state.tag === 'cleared') return;
    const wasRunning = this.state.tag === 'running';
    this.state = { tag };
    if (wasRunning) this.connection.interrupt();
    await this.tail;
    this.free();
  }

  private free(): void {
    if (this.freed) return;
    this.freed = true;
    this.statement.destroySync();
    this.context.database.release(this.connection);
  }

  private touch(): void {
    this.lastActivityAt = this.context.clock.now();
  }

  /** Runs `task` after every earlier call on this query settled. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    const run = async (): Promise<T> => {
      try {
        return await task();
      } finally {
        this.inFlight -= 1;
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async currentResult(call: string): Promise<RunningResult> {
    const state = this.state;
    switch (state.tag) {
      case 'running':
        return this.guard(() => state.result);
      case 'exhausted':
        return state.result;
      case 'failed':
        throw state.error;
      case 'prepared':
      case 'cancelled':
      case 'cleared':
        throw this.stateError(call);
    }
  }

  /** Runs DuckDB work; a failure fails the query (or reports the cancellation that caused it). */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.fail(error);
    }
  }

  private guardSync<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw this.fail(error);
    }
  }

  private fail(error: unknown): EngineError {
    if (this.state.tag === 'cancelled' || this.state.tag === 'cleared') return this.stateError('the running call');
    const failure = error instanceof EngineError ? error : SqlError.fromDuckDB(error);
    this.state = { tag: 'failed', error: failure };
    return failure;
  }

  private stateError(call: string): EngineError {
    const where = `query ${this.id} on deployment ${this.context.deployment}`;
    switch (this.state.tag) {
      case 'prepared':
        return new EngineError('QUERY_STATE', `${call}: ${where} has not been executed yet`);
      case 'cancelled':
        return new EngineError('QUERY_CANCELLED', `${call}: ${where} was cancelled`);
      case 'cleared':
        return new EngineError('QUERY_CANCELLED', `${call}: ${where} was cleared`);
      default:
        return new EngineError('QUERY_STATE', `${call}: ${where} was already executed`);
    }
  }
}
