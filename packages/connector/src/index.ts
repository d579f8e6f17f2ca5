// The door of @e6data-ts/connector: the e6data client that survives blue/green
// deployments of the cluster without losing a query.

// Connecting and querying.
export { connect, Connection, type QueryResult, type ColumnInfo, type ConnectionRuntime } from './connection';
export {
  Cursor,
  type Row,
  type ColumnDescription,
  type CursorOptions,
  type QueryTrace,
  type QueryStatus,
  type ExplainAnalyzeResult,
  type ColumnBatch,
  type ResultColumn,
} from './cursor/cursor';
export { type ArrowTable, type ArrowRecordBatch } from './cursor/arrow';
export { type OperationOptions } from './routing/operation';
export { bindParameters, toServerParams, type QueryParameters, type ServerParameters } from './params';

// Pools.
export { createPool, Pool, type PoolOptions, type PoolStats } from './pool/pool';

// Options.
export {
  type ConnectOptions,
  type TimeoutOptions,
  type RetryOptions,
  DEFAULT_PORT,
  DEFAULT_TIMEOUTS,
  DEFAULT_RETRY,
  DEFAULT_CUTOVER_HOLD_MS,
} from './options/connect-options';
export { type ConnectorLogger } from './options/logger';

// Errors: every one carries `code` and `stage`.
export {
  E6DataError,
  ConfigurationError,
  ParameterError,
  AuthenticationError,
  StrategyDetectionError,
  CutoverHoldError,
  QueryLostError,
  QueryCancelledError,
  ClosedError,
  type Stage,
  type E6DataErrorCode,
} from './errors';

// Observability.
export {
  type ConnectorEvents,
  type DetectEvent,
  type StrategyChangeEvent,
  type RetryEvent,
  type RetryReason,
  type QueryLostEvent,
  RETRY_REASONS,
} from './diagnostics/connector-events';
export { type ConnectionStats } from './diagnostics/connection-stats';
export { TRACE_CHANNELS, EVENT_CHANNELS } from './diagnostics/channels';
