// The package's only door: the e6data wire (docs/wire.md sections 1-4 and 6).

// Protocol: the .proto files, their loader and the TypeScript shape of every message.
export {
  PROTO_DIR,
  ENGINE_PROTO,
  CLUSTER_PROTO,
  PROTO_LOADER_OPTIONS,
  loadServices,
  loadProtoDefinition,
  engineServiceDefinition,
  clusterServiceDefinition,
  type LoadedServices,
} from './proto/load';
export * from './proto/messages';

// Clients.
export { createEngineClient, type EngineClient, type EngineClientOptions, type EngineCall, type EngineCalls, type EngineClientControls } from './client/engine-client';
export { createClusterClient, type ClusterClient, type ClusterClientOptions, type ClusterCall, type ClusterCalls } from './client/cluster-client';
export { type CallOptions } from './client/call-options';
export {
  type ClientOptions,
  type ClientSettings,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_PREPARE_TIMEOUT_MS,
  DEFAULT_EXECUTE_TIMEOUT_MS,
} from './client/client-settings';
export {
  resolveChannelOptions,
  REFERENCE_OPTION_NAMES,
  PREPARE_TIMEOUT_OPTION,
  DEFAULT_MAX_RECEIVE_MESSAGE_BYTES,
  DEFAULT_MAX_SEND_MESSAGE_BYTES,
  DEFAULT_KEEPALIVE_MS,
  DEFAULT_KEEPALIVE_TIMEOUT_MS,
  type ChannelOptionValue,
  type ChannelOptionsInput,
  type ResolvedChannelOptions,
} from './client/channel-options';
export { type CredentialsInput } from './client/channel-credentials';
export { closestName } from './client/closest-name';

// Headers.
export {
  buildMetadata,
  STRATEGY_HEADER,
  CLUSTER_NAME_HEADER,
  PLANNER_IP_HEADER,
  type CallHeaders,
  type BuildMetadataOptions,
} from './headers/build-metadata';
export { readNewStrategy, type ReadNewStrategyOptions } from './headers/read-new-strategy';
export { type HeaderWarn } from './headers/header-logger';

// Errors and their classification.
export { type ErrorKind, ERROR_KINDS } from './errors/error-kind';
export { classifyError } from './errors/classify-error';
export { httpStatusIn, type FailureCode } from './errors/failure-analysis';
export {
  TransportError,
  StrategyMismatchError,
  AccessDeniedError,
  ClusterSuspendedError,
  UnavailableError,
  DeadlineExceededError,
  CallAbortedError,
  type TransportErrorCode,
  type TransportErrorInit,
  type FromOptions,
} from './errors/transport-error';
export { InvalidOptionError, ClientClosedError } from './errors/client-errors';

// Retry and re-authentication.
export {
  withReAuth,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_BUDGET_MS,
  type ReAuthOptions,
  type RecoveryHook,
  type RetryInfo,
} from './retry/with-re-auth';
export { isRetryable, nextDelayMs, type RetryContext, type BackoffOptions } from './retry/retry-policy';
export { RetryExhaustedError, type AttemptRecord, type ExhaustionReason } from './retry/retry-exhausted-error';
export { realSleep, type Clock, type Sleep } from './retry/runtime';

// The grpc-js instance this package speaks through, for servers and tests that
// must share it (Metadata, status codes, Server) rather than load a second copy.
export * as grpc from '@grpc/grpc-js';

// The result codec (metadata and Thrift chunks, both directions; batches as rows
// with decodeChunk or as typed columns with decodeChunkColumns).
export * from './codec';
