// The door of @e6data-ts/mock-engine: a mock e6data cluster that performs
// blue/green deployments. Start it whole in this process (startMockCluster),
// as separate processes (launchMockClusterProcesses), or by parts (startEngine,
// startClusterGateway); drive it from code or over its admin API (AdminClient).
// The parts the cluster is built from (HTTP/2 layer, routing, CLI parsing, type
// mapping, DuckDB) are not public; the project's tests reach them through
// ./internal.

// The whole cluster.
export { startMockCluster, type MockCluster, type MockClusterOptions } from './cluster/mock-cluster';
export { startClusterGateway, type ClusterGateway, type ClusterGatewayOptions } from './cluster/cluster-gateway';
export { type ClusterState, type DeploymentInfo } from './cluster/cluster-state';
export { type PowerStatus } from './cluster/cluster-power';
export { type ClusterUser, DEFAULT_USERS } from './cluster/credentials';

// One engine.
export {
  type EngineOptions,
  type EngineLogger,
  type MockUser,
  DEFAULT_HOST,
  DEFAULT_BATCH_ROWS,
  DEFAULT_SESSION_IDLE_MS,
} from './engine/engine-options';
export { startEngine, type MockEngine } from './engine/start-engine';
export { ANNOUNCE_HEADER } from './engine/announce';
export { EngineError, SessionAccessDeniedError, QueryNotFoundError, SqlError } from './engine/engine-error';

// The data set every engine starts with: its names, to query it.
export {
  DATASET_CATALOG,
  DATASET_SCHEMAS,
  DEFAULT_SCHEMA,
  MOCK_TABLE,
  DEFAULT_MOCK_TABLE_ROWS,
  DEFAULT_DATASET_SEED,
  type SeedOptions,
} from './dataset/seed-script';
export { MOCK_TABLE_COLUMNS, type MockTableColumn } from './dataset/mock-table';

// Deployments.
export { DEFAULT_ANNOUNCE_MS, DEFAULT_DRAIN_MS, type PhaseListener } from './deployment/deployment-controller';
export { type DeploymentPhase, type PhaseTag } from './deployment/deployment-phase';
export {
  type DeployMode,
  type DeployOptions,
  type DeployResult,
  type DeployTrigger,
  type DeploymentHandle,
  type DeploymentPlan,
  type DeploymentState,
  type PhaseChange,
} from './deployment/deployment-types';

// Fail points.
export { type FailPoints } from './fail-points/fail-point-registry';
export { seededRandom } from './fail-points/seeded-random';
export {
  type FailPointAction,
  type FailPointEffect,
  type FailPointHit,
  type FailPointInfo,
  type FailPointMode,
  type FailPointSpec,
} from './fail-points/fail-point-types';

// What the gateway saw.
export {
  type CallLog,
  type CallLogSnapshot,
  type CallRecord,
  type CallInput,
  type CallOutcome,
  type CallCounts,
} from './gateway/call-log';
export { type EngineAddress } from './gateway/upstream-pool';

// Admin API.
export { AdminClient, type AdminClientOptions, type AdminCallOptions, type WaitForStateOptions } from './admin/admin-client';
export { type AdminErrorBody } from './admin/admin-server';

// Separate processes.
export {
  launchMockClusterProcesses,
  type LaunchOptions,
  type LaunchedCluster,
  type LaunchedProcess,
  type LaunchedRole,
} from './launcher/process-launcher';
export { parseDuration } from './cli/cli-args';

// Shared pieces.
export {
  MockClusterError,
  InvalidMockOptionError,
  AdminRequestError,
  ListenError,
  type ListenFailure,
  type MockClusterErrorCode,
  type EngineErrorCode,
} from './errors';
export { type ClusterLogger, silentLogger, consoleLogger } from './logger';
export { type Clock, type Timers, type TimerHandle, systemClock, systemTimers } from './timers';
