// The door of @e6data-ts/mock-engine: a mock e6data cluster that performs
// blue/green deployments. Start it whole in this process (startMockCluster),
// as separate processes (launchMockClusterProcesses), or by parts (startEngine,
// startClusterGateway); drive it from code or over its admin API (AdminClient).

// The whole cluster.
export { startMockCluster, type MockCluster, type MockClusterOptions } from './cluster/mock-cluster';
export { startClusterGateway, type ClusterGateway, type ClusterGatewayOptions } from './cluster/cluster-gateway';
export { type ClusterState, type DeploymentInfo } from './cluster/cluster-state';
export { ClusterPower, type PowerStatus, type ClusterPowerOptions } from './cluster/cluster-power';
export { type ClusterUser, checkCredentials } from './cluster/credentials';

// One engine (its own door, engine/index.ts, decides what is public).
export * from './engine';
// The data set the engines seed (catalog, schemas, mock_table, SQL literal helpers).
export * from './dataset';

// Deployments.
export {
  DeploymentController,
  DEFAULT_ANNOUNCE_MS,
  DEFAULT_DRAIN_MS,
  type DeploymentControllerOptions,
  type PhaseListener,
} from './deployment/deployment-controller';
export { type DeploymentPhase, type PhaseTag, describePhase, newWorkTarget } from './deployment/deployment-phase';
export { routeCall, isWorkStarting, type RouteDecision } from './deployment/deployment-routing';
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
export { FailPoints, type FailPointsOptions } from './fail-points/fail-point-registry';
export { parseFailPointSpec, CORRUPTIBLE_METHODS } from './fail-points/fail-point-parse';
export { seededRandom } from './fail-points/seeded-random';
export {
  type FailPointAction,
  type FailPointEffect,
  type FailPointHit,
  type FailPointInfo,
  type FailPointMode,
  type FailPointSpec,
} from './fail-points/fail-point-types';

// Gateway.
export { startGateway, HTTP_WRONG_DEPLOYMENT, HTTP_SUSPENDED, type Gateway, type GatewayOptions } from './gateway/gateway-server';
export {
  CallLog,
  type CallLogOptions,
  type CallLogSnapshot,
  type CallRecord,
  type CallInput,
  type CallOutcome,
  type CallCounts,
} from './gateway/call-log';
export { type EngineAddress } from './gateway/upstream-pool';
// The gateway's HTTP/2 layer (frames, flow control, HPACK), for tests that drive it directly.
export * as h2 from './gateway/h2';

// Admin API.
export { startAdminServer, type AdminServer, type AdminServerOptions, type AdminBackend, type AdminErrorBody } from './admin/admin-server';
export { AdminClient, type AdminClientOptions, type AdminCallOptions, type WaitForStateOptions } from './admin/admin-client';
export { renderMetrics } from './admin/metrics';

// Separate processes and the CLI.
export {
  launchMockClusterProcesses,
  type LaunchOptions,
  type LaunchedCluster,
  type LaunchedProcess,
  type LaunchedRole,
} from './launcher/process-launcher';
export { parseCliArgs, parseDuration, parseUsers, parseEngineAddresses, type CliCommand, type CliRunOptions, type CliRole } from './cli/cli-args';
export { runCli, type CliEnvironment } from './cli/cli-main';

// Shared pieces.
export { MockClusterError, InvalidMockOptionError, AdminRequestError, ListenError, type ListenFailure, type MockClusterErrorCode } from './errors';
export { type ClusterLogger, silentLogger, consoleLogger } from './logger';
export { type Clock, type Timers, type TimerHandle, systemClock, systemTimers } from './timers';
