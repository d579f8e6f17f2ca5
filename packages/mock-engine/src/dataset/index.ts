// The seeded, deterministic data set every mock engine starts with.
//
// Catalog `e6data`:
//   main.mock_table          >= 10,000 rows, one column per e6data type (see mock-table.ts)
//   sales.customers / products / orders
//   marketing.campaigns / leads
//   finance.invoices
//   analytics.daily_revenue / customer_summary (views)
export {
  DATASET_CATALOG,
  DATASET_SCHEMAS,
  DEFAULT_SCHEMA,
  MOCK_TABLE,
  DEFAULT_MOCK_TABLE_ROWS,
  DEFAULT_DATASET_SEED,
  buildSeedStatements,
  type SeedOptions,
} from './seed-script';
export { MOCK_TABLE_COLUMNS, mockTableSql, type MockTableColumn } from './mock-table';
export {
  generateBusinessTables,
  DEFAULT_BUSINESS_TABLE_SIZES,
  type BusinessTableSizes,
  type ColumnDef,
  type TableData,
} from './business-tables';
export { createPrng, type Prng } from './prng';
export { sqlIdent, sqlString, sqlLiteral, sqlDate, sqlTimestamp, sqlDecimal, type SqlValue, type SqlRaw } from './sql-values';
