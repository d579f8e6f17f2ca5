// TypeScript shapes of every message in e6x_engine.proto and cluster.proto, as
// proto-loader hands them over with PROTO_LOADER_OPTIONS: 64-bit integers are
// decimal strings (numbers are accepted when sending), bytes are Buffers,
// `optional` fields may be absent. tests/unit/grpc-transport/proto-types.test.ts
// keeps these in step with the .proto files.

/** int64 / sint64 on the wire: a decimal string when received; string, number or bigint-as-string when sent. */
export type Int64 = string;

/** The `AuthenticateRequest` message of e6x_engine.proto. */
export interface AuthenticateRequest { user: string; password: string; userNameForImpersonation?: string }
/** The `AuthenticateResponse` message of e6x_engine.proto. */
export interface AuthenticateResponse { sessionId: string; new_strategy?: string; engineIP?: string }

/** The `ExistingQuery` message of e6x_engine.proto. */
export interface ExistingQuery { queryId: string; elapsedTimeMillis: Int64 | number }

/** The `PrepareStatementRequest` message of e6x_engine.proto. */
export interface PrepareStatementRequest {
  sessionId: string; schema: string; queryString: string; quoting: string;
  plannerIp?: string; existingQuery?: ExistingQuery;
}
/** The `PrepareStatementV2Request` message of e6x_engine.proto. */
export interface PrepareStatementV2Request {
  sessionId: string; schema: string; catalog: string; queryString: string; quoting: string;
  plannerIp?: string; existingQuery?: ExistingQuery;
}
/** The `PrepareStatementResponse` message of e6x_engine.proto. */
export interface PrepareStatementResponse { engineIP: string; queryId: string; sessionId: string; new_strategy?: string }

/** The `ParameterValue` message of e6x_engine.proto. */
export interface ParameterValue { index: number; type: string; value: string }

/** The three fields every per-query request carries. */
export interface QueryRef { engineIP: string; sessionId: string; queryId: string }

/** The `ExecuteStatementRequest` message of e6x_engine.proto. */
export interface ExecuteStatementRequest extends QueryRef { shouldNotCache: boolean }
/** The `ExecuteStatementV2Request` message of e6x_engine.proto. */
export interface ExecuteStatementV2Request extends QueryRef { shouldNotCache: boolean; params: ParameterValue[] }
/** The `ExecuteStatementResponse` message of e6x_engine.proto. */
export interface ExecuteStatementResponse { sessionId: string; new_strategy?: string }

/** The `GetResultMetadataRequest` message of e6x_engine.proto. */
export type GetResultMetadataRequest = QueryRef;
/** The `GetResultMetadataResponse` message of e6x_engine.proto. */
export interface GetResultMetadataResponse { resultMetaData: Buffer; sessionId: string; new_strategy?: string }

/** The `GetNextResultBatchRequest` message of e6x_engine.proto. */
export type GetNextResultBatchRequest = QueryRef;
/** The `GetNextResultBatchResponse` message of e6x_engine.proto. */
export interface GetNextResultBatchResponse { resultBatch: Buffer; sessionId: string; new_strategy?: string }

/** The `StatusRequest` message of e6x_engine.proto. */
export type StatusRequest = QueryRef;
/** The `StatusResponse` message of e6x_engine.proto. */
export interface StatusResponse { status: boolean; rowCount: Int64; sessionId: string; new_strategy?: string }

/** The `ClearRequest` message of e6x_engine.proto. */
export type ClearRequest = QueryRef;
/** The `ClearResponse` message of e6x_engine.proto. */
export interface ClearResponse { sessionId: string; new_strategy?: string }
/** The `CancelQueryRequest` message of e6x_engine.proto. */
export type CancelQueryRequest = QueryRef;
/** The `CancelQueryResponse` message of e6x_engine.proto. */
export interface CancelQueryResponse { sessionId: string; new_strategy?: string }
/** The `ClearOrCancelQueryRequest` message of e6x_engine.proto. */
export interface ClearOrCancelQueryRequest extends QueryRef { isDone?: boolean }
/** The `ClearOrCancelQueryResponse` message of e6x_engine.proto. */
export interface ClearOrCancelQueryResponse { sessionId: string; new_strategy?: string }

/** The `ExplainRequest` message of e6x_engine.proto. */
export type ExplainRequest = QueryRef;
/** The `ExplainResponse` message of e6x_engine.proto. */
export interface ExplainResponse { explain: string; sessionId: string; new_strategy?: string }
/** The `ExplainAnalyzeRequest` message of e6x_engine.proto. */
export type ExplainAnalyzeRequest = QueryRef;
/** The `ExplainAnalyzeResponse` message of e6x_engine.proto. */
export interface ExplainAnalyzeResponse {
  explainAnalyze: string; isCached: boolean; parsingTime: Int64; queueingTime: Int64;
  sessionId: string; new_strategy?: string;
}

/** The `DryRunRequestV2` message of e6x_engine.proto. */
export interface DryRunRequestV2 { engineIP: string; sessionId: string; schema: string; queryString: string; catalog: string }
/** The `DryRunResponse` message of e6x_engine.proto. */
export interface DryRunResponse { dryrunValue: string }

/** The `GetSchemaNamesRequest` message of e6x_engine.proto. */
export interface GetSchemaNamesRequest { sessionId: string }
/** The `GetSchemaNamesV2Request` message of e6x_engine.proto. */
export interface GetSchemaNamesV2Request { sessionId: string; catalog: string }
/** The `GetSchemaNamesResponse` message of e6x_engine.proto. */
export interface GetSchemaNamesResponse { schemas: string[]; sessionId: string; new_strategy?: string }
/** The `GetTablesRequest` message of e6x_engine.proto. */
export interface GetTablesRequest { sessionId: string; schema: string }
/** The `GetTablesV2Request` message of e6x_engine.proto. */
export interface GetTablesV2Request { sessionId: string; schema: string; catalog: string }
/** The `GetTablesResponse` message of e6x_engine.proto. */
export interface GetTablesResponse { tables: string[]; sessionId: string; new_strategy?: string }
/** The `GFieldInfo` message of e6x_engine.proto. */
export interface GFieldInfo { fieldName: string; fieldType: string }
/** The `GetColumnsRequest` message of e6x_engine.proto. */
export interface GetColumnsRequest { sessionId: string; schema: string; table: string }
/** The `GetColumnsV2Request` message of e6x_engine.proto. */
export interface GetColumnsV2Request { sessionId: string; schema: string; table: string; catalog: string }
/** The `GetColumnsResponse` message of e6x_engine.proto. */
export interface GetColumnsResponse { fieldInfo: GFieldInfo[]; sessionId: string; new_strategy?: string }

/** The `HealthCheckRequest` message of e6x_engine.proto. */
export type HealthCheckRequest = Record<string, never>;
/** The `HealthCheckResponse` message of e6x_engine.proto. */
export type HealthCheckResponse = Record<string, never>;

/** Request and response type of every QueryEngineService method, by method name. */
export interface EngineMethods {
  authenticate: [AuthenticateRequest, AuthenticateResponse];
  prepareStatement: [PrepareStatementRequest, PrepareStatementResponse];
  prepareStatementV2: [PrepareStatementV2Request, PrepareStatementResponse];
  executeStatement: [ExecuteStatementRequest, ExecuteStatementResponse];
  executeStatementV2: [ExecuteStatementV2Request, ExecuteStatementResponse];
  getResultMetadata: [GetResultMetadataRequest, GetResultMetadataResponse];
  getNextResultBatch: [GetNextResultBatchRequest, GetNextResultBatchResponse];
  status: [StatusRequest, StatusResponse];
  clear: [ClearRequest, ClearResponse];
  cancelQuery: [CancelQueryRequest, CancelQueryResponse];
  clearOrCancelQuery: [ClearOrCancelQueryRequest, ClearOrCancelQueryResponse];
  explain: [ExplainRequest, ExplainResponse];
  explainAnalyze: [ExplainAnalyzeRequest, ExplainAnalyzeResponse];
  dryRunV2: [DryRunRequestV2, DryRunResponse];
  getSchemaNames: [GetSchemaNamesRequest, GetSchemaNamesResponse];
  getSchemaNamesV2: [GetSchemaNamesV2Request, GetSchemaNamesResponse];
  getTables: [GetTablesRequest, GetTablesResponse];
  getTablesV2: [GetTablesV2Request, GetTablesResponse];
  getColumns: [GetColumnsRequest, GetColumnsResponse];
  getColumnsV2: [GetColumnsV2Request, GetColumnsResponse];
  healthCheck: [HealthCheckRequest, HealthCheckResponse];
}
/** The name of a QueryEngineService method. */
export type EngineMethodName = keyof EngineMethods;

/** The request of every ClusterService method (`ClusterStatusRequest`, `ClusterResumeRequest`, `ClusterSuspendRequest` share these fields). */
export interface ClusterCredentials { user: string; password: string }
/** The response of every ClusterService method (the status fields of cluster.proto's three responses). */
export interface ClusterStatusResponse { status: string }
/** Request and response type of every ClusterService method, by method name. */
export interface ClusterMethods {
  status: [ClusterCredentials, ClusterStatusResponse];
  resume: [ClusterCredentials, ClusterStatusResponse];
  suspend: [ClusterCredentials, ClusterStatusResponse];
}
/** The name of a ClusterService method. */
export type ClusterMethodName = keyof ClusterMethods;

/**
 * Calls that start work: a deployment may take them only while it accepts new
 * work. Every other engine call is about a query (or session) the deployment
 * already holds. The gateway routes on this, by request path alone.
 */
export const WORK_STARTING_METHODS: ReadonlySet<EngineMethodName> = new Set<EngineMethodName>([
  'authenticate',
  'prepareStatement',
  'prepareStatementV2',
  'dryRunV2',
  'getSchemaNames',
  'getSchemaNamesV2',
  'getTables',
  'getTablesV2',
  'getColumns',
  'getColumnsV2',
]);

// Records keyed by every method name, so adding a method to EngineMethods or
// ClusterMethods without listing it here fails to compile.
const ENGINE_METHOD_SET: Readonly<Record<EngineMethodName, true>> = {
  authenticate: true,
  prepareStatement: true,
  prepareStatementV2: true,
  executeStatement: true,
  executeStatementV2: true,
  getResultMetadata: true,
  getNextResultBatch: true,
  status: true,
  clear: true,
  cancelQuery: true,
  clearOrCancelQuery: true,
  explain: true,
  explainAnalyze: true,
  dryRunV2: true,
  getSchemaNames: true,
  getSchemaNamesV2: true,
  getTables: true,
  getTablesV2: true,
  getColumns: true,
  getColumnsV2: true,
  healthCheck: true,
};
const CLUSTER_METHOD_SET: Readonly<Record<ClusterMethodName, true>> = { status: true, resume: true, suspend: true };

/** Every QueryEngineService method, in .proto order. */
export const ENGINE_METHOD_NAMES: readonly EngineMethodName[] = Object.freeze(Object.keys(ENGINE_METHOD_SET) as EngineMethodName[]);
/** Every ClusterService method. */
export const CLUSTER_METHOD_NAMES: readonly ClusterMethodName[] = Object.freeze(Object.keys(CLUSTER_METHOD_SET) as ClusterMethodName[]);
