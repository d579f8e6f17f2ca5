// The engine's embedded DuckDB: one in-memory instance with the data set's
// catalog attached, a control connection for catalog look-ups (used one call
// at a time), and a fresh connection per query so queries never share a
// result stream or a search path.
import { DuckDBInstance, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { buildSeedStatements, DATASET_CATALOG } from '../dataset/seed-script';
import { sqlIdent } from '../dataset/sql-values';
import { EngineError, SqlError } from './engine-error';
import { MAIN_SCHEMA, resolveScope, scopeSetupSql, type CatalogLayout, type QueryScope } from './query-scope';

export interface DatabaseOptions {
  /** Build the seeded data set (default true). */
  seed: boolean;
  mockTableRows: number;
  /** Scripts run after the seed, in order. */
  initSql: readonly string[];
}

export interface ColumnInfo {
  readonly name: string;
  readonly type: DuckDBType;
}

// DuckDB's own catalogs (the empty default database, system and temp) are not part of the data set.
const HIDDEN_CATALOGS = ['memory', 'system', 'temp'];

/** A serial queue: each task starts when the previous one settled. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class EngineDatabase {
  private layout: CatalogLayout;
  private readonly control = new SerialQueue();
  private readonly connections = new Set<DuckDBConnection>();
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly controlConnection: DuckDBConnection,
  ) {
    this.layout = { defaultCatalog: DATASET_CATALOG, catalogs: new Map() };
  }

  /** Creates the instance, attaches the catalog, seeds it and runs `initSql`. */
  static async open(options: DatabaseOptions): Promise<EngineDatabase> {
    const instance = await DuckDBInstance.create(':memory:');
    let connection: DuckDBConnection | undefined;
    try {
      connection = await instance.connect();
      // UTC for every connection: casts to and from TIMESTAMPTZ must not depend on the host's zone.
      await connection.run(`SET GLOBAL TimeZone = 'UTC'; ATTACH ':memory:' AS ${sqlIdent(DATASET_CATALOG)}; USE ${sqlIdent(DATASET_CATALOG)}`);
      if (options.seed) {
        for (const statement of buildSeedStatements({ mockTableRows: options.mockTableRows })) {
          await connection.run(statement);
        }
      }
      for (const [index, script] of options.initSql.entries()) {
        try {
          await connection.run(script);
        } catch (error) {
          throw new EngineError('INIT_SQL_FAILED', `initSql script ${index + 1} failed: ${SqlError.fromDuckDB(error).message}`, { cause: error });
        }
      }
      const database = new EngineDatabase(instance, connection);
      await database.refreshLayout();
      return database;
    } catch (error) {
      connection?.closeSync();
      instance.closeSync();
      if (error instanceof EngineError) throw error;
      throw new EngineError('INIT_SQL_FAILED', `the data set could not be built: ${SqlError.fromDuckDB(error).message}`, { cause: error });
    }
  }

  /** Re-reads which catalogs and schemas exist (queries may have created or dropped some). */
  async refreshLayout(): Promise<CatalogLayout> {
    const reader = await this.control.run(() =>
      this.controlConnection.runAndReadAll(
        `SELECT database_name, schema_name FROM duckdb_schemas() WHERE database_name NOT IN (${HIDDEN_CATALOGS.map((c) => `'${c}'`).join(', ')}) ORDER BY 1, 2`,
      ),
    );
    const catalogs = new Map<string, string[]>();
    for (const [catalog, schema] of reader.getRows() as [string, string][]) {
      const schemas = catalogs.get(catalog) ?? [];
      schemas.push(schema);
      catalogs.set(catalog, schemas);
    }
    this.layout = { defaultCatalog: DATASET_CATALOG, catalogs };
    return this.layout;
  }

  /** Resolves the names a client sent, refreshing the layout once when a name is not (yet) known. */
  async resolve(catalog: string, schema: string): Promise<QueryScope> {
    const first = resolveScope(this.layout, catalog, schema);
    if (!first.missed) return first.scope;
    return resolveScope(await this.refreshLayout(), catalog, schema).scope;
  }

  /** A new connection set up for the names a client sent. Give it back with `release`. */
  async connect(catalog: string, schema: string): Promise<{ connection: DuckDBConnection; scope: QueryScope }> {
    this.assertOpen();
    const connection = await this.instance.connect();
    this.connections.add(connection);
    try {
      let scope = await this.resolve(catalog, schema);
      try {
        await connection.run(scopeSetupSql(scope));
      } catch {
        // The schema was dropped since the layout was read: look again, once.
        scope = resolveScope(await this.refreshLayout(), catalog, schema).scope;
        await connection.run(scopeSetupSql(scope));
      }
      return { connection, scope };
    } catch (error) {
      this.release(connection);
      throw EngineError.from(error);
    }
  }

  release(connection: DuckDBConnection): void {
    if (!this.connections.delete(connection)) return;
    connection.disconnectSync();
  }

  async listSchemas(catalog: string): Promise<string[]> {
    const layout = await this.refreshLayout();
    const { scope } = resolveScope(layout, catalog, '');
    return [...(layout.catalogs.get(scope.catalog) ?? [])];
  }

  async listTables(catalog: string, schema: string): Promise<string[]> {
    await this.refreshLayout();
    const scope = await this.resolve(catalog, schema);
    if (scope.schema === null && schema.trim() !== '') return [];
    const reader = await this.control.run(() =>
      this.controlConnection.runAndReadAll(
        `SELECT table_name FROM duckdb_tables() WHERE database_name = $1 AND schema_name = $2
         UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND database_name = $1 AND schema_name = $2
         ORDER BY 1`,
        [scope.catalog, scope.schema ?? MAIN_SCHEMA],
      ),
    );
    return reader.getRows().map(([name]) => String(name));
  }

  /** The columns of a table or view, found in the named schema, else in main. */
  async describeTable(catalog: string, schema: string, table: string): Promise<ColumnInfo[]> {
    const scope = await this.resolve(catalog, schema);
    // The named schema wins over main; an exact-case name wins over a case-insensitive match.
    const preferred = scope.schema ?? MAIN_SCHEMA;
    const reader = await this.control.run(() =>
      this.controlConnection.runAndReadAll(
        `SELECT schema_name, table_name FROM (
           SELECT database_name, schema_name, table_name FROM duckdb_tables()
           UNION ALL SELECT database_name, schema_name, view_name FROM duckdb_views() WHERE NOT internal)
         WHERE database_name = $1 AND lower(table_name) = lower($2) AND schema_name IN ($3, $4)
         ORDER BY schema_name <> $3, table_name <> $2 LIMIT 1`,
        [scope.catalog, table, preferred, MAIN_SCHEMA],
      ),
    );
    const found = reader.getRows()[0] as [string, string] | undefined;
    if (!found) {
      throw new EngineError('TABLE_NOT_FOUND', `table ${table} not found in ${scope.catalog}.${scope.schema ?? MAIN_SCHEMA}`);
    }
    const [schemaName, tableName] = found;
    const qualified = `${sqlIdent(scope.catalog)}.${sqlIdent(schemaName)}.${sqlIdent(tableName)}`;
    return this.control.run(async () => {
      const statement = await this.controlConnection.prepare(`SELECT * FROM ${qualified}`);
      try {
        return Array.from({ length: statement.columnCount }, (_, i) => ({ name: statement.columnName(i), type: statement.columnType(i) }));
      } finally {
        statement.destroySync();
      }
    });
  }

  /** Disconnects every connection still open and closes the instance. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.connections) {
      connection.interrupt();
      connection.disconnectSync();
    }
    this.connections.clear();
    this.controlConnection.disconnectSync();
    this.instance.closeSync();
  }

  private assertOpen(): void {
    if (this.closed) throw new EngineError('CLOSED', 'the engine is closed');
  }
}
