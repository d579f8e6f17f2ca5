// The package-internal entry of @e6data-ts/mock-engine: the parts the cluster
// is built from, for the project's own tests and benchmarks that drive them
// directly. Not part of the public surface (index.ts is); nothing here is
// promised to stay.

// Credentials and power.
export { checkCredentials } from './cluster/credentials';
export { ClusterPower, type ClusterPowerOptions } from './cluster/cluster-power';

// One engine's inner parts: result types, parameters, scope, batches, and the
// DuckDB binding it runs on (tests check results against DuckDB itself).
export { mapColumnType, e6dataTypeName, columnMetadata, toEncodeVector, RESULT_ZONE, TIMESTAMP_TZ_ROW_ZONE, type ColumnMapping } from './engine/type-mapping';
export { PARAMETER_TYPES, bindParameters, type BindTarget } from './engine/param-binding';
export { parseDateText, parseTimestampText, daysFromCivil } from './engine/temporal-text';
export { resolveScope, searchPath, scopeSetupSql, MAIN_SCHEMA, type CatalogLayout, type QueryScope, type ScopeLookup } from './engine/query-scope';
export { BatchReader, type ChunkSource, type ChunkLike, type RowBatch } from './engine/batch-reader';
export * as duckdb from '@duckdb/node-api';

// How the data set is generated.
export { buildSeedStatements } from './dataset/seed-script';
export { mockTableSql } from './dataset/mock-table';
export {
  generateBusinessTables,
  DEFAULT_BUSINESS_TABLE_SIZES,
  type BusinessTableSizes,
  type ColumnDef,
  type TableData,
} from './dataset/business-tables';
export { createPrng, type Prng } from './dataset/prng';
export { sqlIdent, sqlString, sqlLiteral, sqlDate, sqlTimestamp, sqlDecimal, type SqlValue, type SqlRaw } from './dataset/sql-values';

// Deployment state machine and routing.
export { DeploymentController, type DeploymentControllerOptions } from './deployment/deployment-controller';
export { describePhase, newWorkTarget } from './deployment/deployment-phase';
export { routeCall, isWorkStarting, type RouteDecision } from './deployment/deployment-routing';

// Fail-point registry and parsing.
export { FailPoints, type FailPointsOptions } from './fail-points/fail-point-registry';
export { parseFailPointSpec, CORRUPTIBLE_METHODS } from './fail-points/fail-point-parse';

// The gateway alone, its call log, and its HTTP/2 layer (frames, flow control, HPACK).
export { startGateway, HTTP_WRONG_DEPLOYMENT, HTTP_SUSPENDED, type Gateway, type GatewayOptions } from './gateway/gateway-server';
export { CallLog, type CallLogOptions } from './gateway/call-log';
export * as h2 from './gateway/h2';

// The admin server alone and its metrics page.
export { startAdminServer, type AdminServer, type AdminServerOptions, type AdminBackend } from './admin/admin-server';
export { renderMetrics } from './admin/metrics';

// The command line.
export { parseCliArgs, parseUsers, parseEngineAddresses, type CliCommand, type CliRunOptions, type CliRole } from './cli/cli-args';
export { runCli, type CliEnvironment } from './cli/cli-main';
