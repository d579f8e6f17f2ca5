// The statements that build the seeded, deterministic data set, in order. The
// engine runs them once per DuckDB instance, after attaching the catalog.
//
// Catalog `e6data`:
//   main.mock_table          >= 10,000 rows, one column per e6data type (see mock-table.ts)
//   sales.customers / products / orders
//   marketing.campaigns / leads
//   finance.invoices
//   analytics.daily_revenue / customer_summary (views)
import { generateBusinessTables, type TableData } from './business-tables';
import { mockTableSql } from './mock-table';
import { sqlIdent, sqlLiteral } from './sql-values';

/** The catalog the data set lives in (a DuckDB database attached under this name). */
export const DATASET_CATALOG = 'e6data';
/** The schemas besides DuckDB's default `main`, which holds `mock_table`. */
export const DATASET_SCHEMAS = ['sales', 'marketing', 'finance', 'analytics'] as const;
/** The schema every session falls back to (it is always on the search path). */
export const DEFAULT_SCHEMA = 'main';
/** The table with one column per e6data type, in schema main. */
export const MOCK_TABLE = 'mock_table';
/** Rows of mock_table unless told otherwise. */
export const DEFAULT_MOCK_TABLE_ROWS = 10_000;
/** Seed of the generated data unless told otherwise: the same seed gives the same rows. */
export const DEFAULT_DATASET_SEED = 20_240_601;

/** Size and seed of the generated data set. */
export interface SeedOptions {
  /** Rows of mock_table (default 10,000). */
  mockTableRows?: number;
  /** Seed of the business tables' generator (default DEFAULT_DATASET_SEED). */
  seed?: number;
  /** Catalog name (default DATASET_CATALOG). */
  catalog?: string;
}

const INSERT_ROWS_PER_STATEMENT = 250;

function tableStatements(catalog: string, table: TableData): string[] {
  const name = `${sqlIdent(catalog)}.${sqlIdent(table.schema)}.${sqlIdent(table.name)}`;
  const columns = table.columns.map((c) => `${sqlIdent(c.name)} ${c.type}`).join(', ');
  const statements = [`CREATE TABLE ${name} (${columns})`];
  for (let start = 0; start < table.rows.length; start += INSERT_ROWS_PER_STATEMENT) {
    const values = table.rows
      .slice(start, start + INSERT_ROWS_PER_STATEMENT)
      .map((row) => `(${row.map(sqlLiteral).join(', ')})`)
      .join(',\n');
    statements.push(`INSERT INTO ${name} VALUES\n${values}`);
  }
  return statements;
}

function analyticsViews(catalog: string): string[] {
  const c = sqlIdent(catalog);
  return [
    `CREATE VIEW ${c}.analytics.daily_revenue AS
SELECT CAST(order_ts AS DATE) AS order_date, COUNT(*) AS orders, SUM(total_amount) AS revenue
FROM ${c}.sales.orders WHERE status <> 'cancelled' GROUP BY ALL`,
    `CREATE VIEW ${c}.analytics.customer_summary AS
SELECT c.customer_id, c.name, c.country, COUNT(o.order_id) AS orders, COALESCE(SUM(o.total_amount), 0) AS lifetime_value
FROM ${c}.sales.customers AS c LEFT JOIN ${c}.sales.orders AS o USING (customer_id) GROUP BY ALL`,
  ];
}

/** Every statement of the seeded data set, in order. Pure: the same options give the same statements. */
export function buildSeedStatements(options: SeedOptions = {}): string[] {
  const catalog = options.catalog ?? DATASET_CATALOG;
  const rows = options.mockTableRows ?? DEFAULT_MOCK_TABLE_ROWS;
  const c = sqlIdent(catalog);
  return [
    ...DATASET_SCHEMAS.map((schema) => `CREATE SCHEMA IF NOT EXISTS ${c}.${sqlIdent(schema)}`),
    mockTableSql(`${c}.${sqlIdent(DEFAULT_SCHEMA)}.${sqlIdent(MOCK_TABLE)}`, rows),
    ...generateBusinessTables(options.seed ?? DEFAULT_DATASET_SEED).flatMap((table) => tableStatements(catalog, table)),
    ...analyticsViews(catalog),
  ];
}
