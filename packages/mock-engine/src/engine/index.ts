// The mock e6data engine: a grpc-js QueryEngineService over an embedded DuckDB
// holding the seeded data set (../dataset). The gateway puts two of these,
// 'blue' and 'green', behind one address.
//
// Behaviour a client sees (details in the named files):
// - Sessions: authenticate checks user + token (UNAUTHENTICATED otherwise, the
//   token never echoed); a session idle for sessionIdleMs, or unknown, answers
//   INTERNAL 'Access denied' (session-store.ts). A query survives its session's
//   expiry (the client logs in again and carries on); one untouched for twice
//   the idle time is freed.
// - Scope: any catalog/schema names work; unknown ones fall back to catalog
//   e6data and schema main, and main is always on the search path, so
//   `SELECT * FROM mock_table` works everywhere (query-scope.ts).
// - Queries: prepare validates with DuckDB (INVALID_ARGUMENT with DuckDB's
//   message); execute starts streaming; batches hold batchRows rows and an
//   empty batch means the end; unknown ids are NOT_FOUND naming the query and
//   the deployment (query.ts, query-registry.ts). Parameters: param-binding.ts.
// - Types: type-mapping.ts. new_strategy: announce.ts.
export {
  type EngineOptions,
  type EngineLogger,
  type MockUser,
  DEFAULT_USERS,
  DEFAULT_HOST,
  DEFAULT_BATCH_ROWS,
  DEFAULT_SESSION_IDLE_MS,
} from './engine-options';
export { startEngine, type MockEngine } from './start-engine';
export { ANNOUNCE_HEADER } from './announce';
export { EngineError, SessionAccessDeniedError, QueryNotFoundError, SqlError } from './engine-error';
export { type EngineErrorCode } from '../errors';
export { mapColumnType, e6dataTypeName, columnMetadata, toEncodeVector, RESULT_ZONE, TIMESTAMP_TZ_ROW_ZONE, type ColumnMapping } from './type-mapping';
export { PARAMETER_TYPES, bindParameters, type BindTarget } from './param-binding';
export { parseDateText, parseTimestampText, daysFromCivil } from './temporal-text';
export { resolveScope, searchPath, scopeSetupSql, MAIN_SCHEMA, type CatalogLayout, type QueryScope, type ScopeLookup } from './query-scope';
export { BatchReader, type ChunkSource, type ChunkLike, type RowBatch } from './batch-reader';

// The DuckDB binding the engine runs on, for tests that check results against DuckDB itself.
export * as duckdb from '@duckdb/node-api';
