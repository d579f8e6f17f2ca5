// What each QueryEngineService call does, free of gRPC plumbing: typed request
// in, typed response out (without new_strategy, which grpc-adapter.ts adds),
// EngineErrors out.
import { randomUUID } from 'node:crypto';
import { StatementType } from '@duckdb/node-api';
import { type EngineMethodName, type EngineMethods, type QueryRef } from '@e6data-ts/grpc-transport';
import { type Strategy } from '@e6data-ts/strategy-core';
import { type EngineDatabase } from './engine-database';
import { EngineError, SqlError } from './engine-error';
import { MAIN_SCHEMA } from './query-scope';
import { Query, type QueryContext } from './query';
import { type QueryEnd, type QueryRegistry } from './query-registry';
import { type SessionStore } from './session-store';
import { e6dataTypeName } from './type-mapping';

type Response<M extends EngineMethodName> = Omit<EngineMethods[M][1], 'new_strategy'>;
/** One function per call; a synchronous answer or throw is as good as a promise. */
export type EngineHandlers = { [M in EngineMethodName]: (request: EngineMethods[M][0]) => Response<M> | Promise<Response<M>> };

export interface EngineServiceDeps {
  readonly name: Strategy;
  /** What prepare answers as engineIP (clients echo it as `plannerip`). */
  readonly engineIP: string;
  readonly sessions: SessionStore;
  readonly queries: QueryRegistry;
  readonly database: EngineDatabase;
  readonly context: QueryContext;
  /** A query nobody touched for this long is freed. */
  readonly queryIdleMs: number;
  readonly clock: { now(): number };
  /** True once the engine is closing: new queries are refused. */
  readonly closing: () => boolean;
}

// Sweeping walks every session and query, so it runs at most this often (on
// the injected clock); expiry itself is exact, checked whenever a session is used.
const SWEEP_INTERVAL_MS = 1_000;

export class EngineService implements EngineHandlers {
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: EngineServiceDeps) {}

  authenticate(request: EngineMethods['authenticate'][0]): Response<'authenticate'> {
    this.sweep();
    const session = this.deps.sessions.authenticate(request.user, request.password);
    return { sessionId: session.id, engineIP: this.deps.engineIP };
  }

  prepareStatement(request: EngineMethods['prepareStatement'][0]): Promise<Response<'prepareStatement'>> {
    return this.prepare(request.sessionId, '', request.schema, request.queryString);
  }

  prepareStatementV2(request: EngineMethods['prepareStatementV2'][0]): Promise<Response<'prepareStatementV2'>> {
    return this.prepare(request.sessionId, request.catalog, request.schema, request.queryString);
  }

  executeStatement(request: EngineMethods['executeStatement'][0]): Response<'executeStatement'> {
    this.query(request).execute(null);
    return { sessionId: request.sessionId };
  }

  executeStatementV2(request: EngineMethods['executeStatementV2'][0]): Response<'executeStatementV2'> {
    this.query(request).execute(request.params ?? []);
    return { sessionId: request.sessionId };
  }

  async getResultMetadata(request: EngineMethods['getResultMetadata'][0]): Promise<Response<'getResultMetadata'>> {
    return { resultMetaData: await this.query(request).metadata(), sessionId: request.sessionId };
  }

  async getNextResultBatch(request: EngineMethods['getNextResultBatch'][0]): Promise<Response<'getNextResultBatch'>> {
    return { resultBatch: await this.query(request).nextBatch(), sessionId: request.sessionId };
  }

  status(request: EngineMethods['status'][0]): Response<'status'> {
    const { ok, rowCount } = this.query(request).status();
    return { status: ok, rowCount: String(rowCount), sessionId: request.sessionId };
  }

  async clear(request: EngineMethods['clear'][0]): Promise<Response<'clear'>> {
    await this.end(request, 'cleared');
    return { sessionId: request.sessionId };
  }

  async cancelQuery(request: EngineMethods['cancelQuery'][0]): Promise<Response<'cancelQuery'>> {
    await this.end(request, 'cancelled');
    return { sessionId: request.sessionId };
  }

  async clearOrCancelQuery(request: EngineMethods['clearOrCancelQuery'][0]): Promise<Response<'clearOrCancelQuery'>> {
    // A query read to the end (or declared done by the client) is cleared; anything else is cancelled.
    await this.end(request, (query) => (request.isDone === true || query.stateTag === 'exhausted' ? 'cleared' : 'cancelled'));
    return { sessionId: request.sessionId };
  }

  async explain(request: EngineMethods['explain'][0]): Promise<Response<'explain'>> {
    return { explain: await this.query(request).explain(false), sessionId: request.sessionId };
  }

  async explainAnalyze(request: EngineMethods['explainAnalyze'][0]): Promise<Response<'explainAnalyze'>> {
    const query = this.query(request);
    const explainAnalyze = await query.explain(true);
    // The mock never caches results and never queues work.
    return { explainAnalyze, isCached: false, parsingTime: String(query.prepareMs), queueingTime: '0', sessionId: request.sessionId };
  }

  /**
   * Validates the SQL without running it. Valid: a JSON description of the
   * planned result, `{ valid, catalog, schema, statementType, parameterCount,
   * columns: [{ name, type }] }` (type = the e6data type name). Invalid: the
   * same gRPC error prepare would give.
   */
  async dryRunV2(request: EngineMethods['dryRunV2'][0]): Promise<Response<'dryRunV2'>> {
    this.deps.sessions.touch(request.sessionId);
    const { connection, scope } = await this.deps.database.connect(request.catalog, request.schema);
    try {
      const statement = await connection.prepare(request.queryString).catch((error: unknown) => {
        throw SqlError.fromDuckDB(error);
      });
      try {
        const columns = Array.from({ length: statement.columnCount }, (_, i) => ({
          name: statement.columnName(i),
          type: e6dataTypeName(statement.columnType(i)),
        }));
        const plan = {
          valid: true,
          catalog: scope.catalog,
          schema: scope.schema ?? MAIN_SCHEMA,
          statementType: StatementType[statement.statementType] ?? String(statement.statementType),
          parameterCount: statement.parameterCount,
          columns,
        };
        return { dryrunValue: JSON.stringify(plan) };
      } finally {
        statement.destroySync();
      }
    } finally {
      this.deps.database.release(connection);
    }
  }

  async getSchemaNames(request: EngineMethods['getSchemaNames'][0]): Promise<Response<'getSchemaNames'>> {
    this.deps.sessions.touch(request.sessionId);
    return { schemas: await this.deps.database.listSchemas(''), sessionId: request.sessionId };
  }

  async getSchemaNamesV2(request: EngineMethods['getSchemaNamesV2'][0]): Promise<Response<'getSchemaNamesV2'>> {
    this.deps.sessions.touch(request.sessionId);
    return { schemas: await this.deps.database.listSchemas(request.catalog), sessionId: request.sessionId };
  }

  async getTables(request: EngineMethods['getTables'][0]): Promise<Response<'getTables'>> {
    this.deps.sessions.touch(request.sessionId);
    return { tables: await this.deps.database.listTables('', request.schema), sessionId: request.sessionId };
  }

  async getTablesV2(request: EngineMethods['getTablesV2'][0]): Promise<Response<'getTablesV2'>> {
    this.deps.sessions.touch(request.sessionId);
    return { tables: await this.deps.database.listTables(request.catalog, request.schema), sessionId: request.sessionId };
  }

  async getColumns(request: EngineMethods['getColumns'][0]): Promise<Response<'getColumns'>> {
    return this.columns(request.sessionId, '', request.schema, request.table);
  }

  async getColumnsV2(request: EngineMethods['getColumnsV2'][0]): Promise<Response<'getColumnsV2'>> {
    return this.columns(request.sessionId, request.catalog, request.schema, request.table);
  }

  healthCheck(): Response<'healthCheck'> {
    return {};
  }

  /** Forgets expired sessions and frees queries nobody touched for the idle time. */
  sweep(): void {
    const now = this.deps.clock.now();
    if (now - this.lastSweepAt < SWEEP_INTERVAL_MS) return;
    this.lastSweepAt = now;
    this.deps.sessions.sweep();
    for (const query of this.deps.queries.all()) {
      if (!query.isIdle(now, this.deps.queryIdleMs)) continue;
      this.deps.queries.end(query, 'expired');
      // Freeing waits for nothing (the query is idle); a failure here has nobody to report to.
      query.clear().catch(() => undefined);
    }
  }

  private async prepare(sessionId: string, catalog: string, schema: string, sql: string): Promise<Response<'prepareStatement'>> {
    const session = this.deps.sessions.touch(sessionId);
    this.sweep();
    this.assertOpen();
    const query = await Query.prepare(this.deps.context, { id: randomUUID(), user: session.user, sql, catalog, schema });
    if (this.deps.closing()) {
      await query.clear();
      this.assertOpen();
    }
    this.deps.queries.add(query);
    return { engineIP: this.deps.engineIP, queryId: query.id, sessionId };
  }

  private query(request: QueryRef): Query {
    const session = this.deps.sessions.touch(request.sessionId);
    return this.deps.queries.get(request.queryId, session.user);
  }

  /** Ends a query; ending one that already ended is a no-op, so a client may retry clear or cancel. */
  private async end(request: QueryRef, how: QueryEnd | ((query: Query) => QueryEnd)): Promise<void> {
    const session = this.deps.sessions.touch(request.sessionId);
    if (!this.deps.queries.has(request.queryId) && this.deps.queries.hasEnded(request.queryId)) return;
    const query = this.deps.queries.get(request.queryId, session.user);
    const ending = typeof how === 'function' ? how(query) : how;
    // Out of the live set first, so activeQueryCount() drops even while DuckDB winds down.
    this.deps.queries.end(query, ending);
    await (ending === 'cancelled' ? query.cancel() : query.clear());
  }

  private async columns(sessionId: string, catalog: string, schema: string, table: string): Promise<Response<'getColumns'>> {
    this.deps.sessions.touch(sessionId);
    const columns = await this.deps.database.describeTable(catalog, schema, table);
    return { fieldInfo: columns.map((c) => ({ fieldName: c.name, fieldType: e6dataTypeName(c.type) })), sessionId };
  }

  private assertOpen(): void {
    if (this.deps.closing()) throw new EngineError('CLOSED', `deployment ${this.deps.name} is shutting down`);
  }
}
