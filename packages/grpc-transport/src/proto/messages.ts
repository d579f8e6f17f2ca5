// TypeScript shapes of every message in e6x_engine.proto and cluster.proto, as
// proto-loader hands them over with PROTO_LOADER_OPTIONS: 64-bit integers are
// decimal strings (numbers are accepted when sending), bytes are Buffers,
// `optional` fields may be absent. tests/unit/grpc-transport/proto-types.test.ts
// keeps these in step with the .proto files.

/** int64 / sint64 on the wire: a decimal string when received; string, number or bigint-as-string when sent. */
export type Int64 = string;

export interface AuthenticateRequest { user: string; password: string; userNameForImpersonation?: string }
export interface AuthenticateResponse { sessionId: string; new_strategy?: string; engineIP?: string }

export interface ExistingQuery { queryId: string; elapsedTimeMillis: Int64 | number }

export interface PrepareStatementRequest {
  sessionId: string; schema: string; queryString: string; quoting: string;
  plannerIp?: string; existingQuery?: ExistingQuery;
}
export interface PrepareStatementV2Request {
  sessionId: string; schema: string; catalog: string; queryString: string; quoting: string;
  plannerIp?: string; existingQuery?: ExistingQuery;
}
export interface PrepareStatementResponse { engineIP: string; queryId: string; sessionId: string; new_strategy?: string }

export interface ParameterValue { index: number; type: string; value: string }

/** The three fields every per-query request carries. */
export interface QueryRef { engineIP: string; sessionId: string; queryId: string }

export interface ExecuteStatementRequest extends QueryRef { shouldNotCache: boolean }
export interface ExecuteStatementV2Request extends QueryRef { shouldNotCache: boolean; params: ParameterValue[] }
export interface ExecuteStatementResponse { sessionId: string; new_strategy?: string }

export type GetResultMetadataRequest = QueryRef;
export interface GetResultMetadataResponse { resultMetaData: Buffer; sessionId: string; new_strategy?: string }

export type GetNextResultBatchRequest = QueryRef;
export interface GetNextResultBatchResponse { resultBatch: Buffer; sessionId: string; new_strategy?: string }

export type StatusRequest = QueryRef;
export interface StatusResponse { status: boolean; rowCount: Int64; sessionId: string; new_strategy?: string }

export type ClearRequest = QueryRef;
export interface ClearResponse { sessionId: string; new_strategy?: string }
export type CancelQueryRequest = QueryRef;
export interface CancelQueryResponse { sessionId: string; new_strategy?: string }
export interface ClearOrCancelQueryRequest extends QueryRef { isDone?: boolean }
export interface ClearOrCancelQueryResponse { sessionId: string; new_strategy?: string }

export type ExplainRequest = QueryRef;
export interface ExplainResponse { explain: string; sessionId: string; new_strategy?: string }
export type ExplainAnalyzeRequest = QueryRef;
export interface ExplainAnalyzeResponse {
  explainAnalyze: string; isCached: boolean; parsingTime: Int64; queueingTime: Int64;
  sessionId: string; new_strategy?: string;
}

export interface DryRunRequestV2 { engineIP: string; sessionId: string; schema: string; queryString: string; catalog: string }
export interface DryRunResponse { dryrunValue: string }

export interface GetSchemaNamesRequest { sessionId: string }
export interface GetSchemaNamesV2Request { sessionId: string; catalog: string }
export interface GetSchemaNamesResponse { schemas: string[]; sessionId: string; new_strategy?: string }
export interface GetTablesRequest { sessionId: string; schema: string }
export interface GetTablesV2Request { sessionId: string; schema: string; catalog: string }
export interface GetTablesResponse { tables: string[]; sessionId: string; new_strategy?: string }
export interface GFieldInfo { fieldName: string; fieldType: string }
export interface GetColumnsRequest { sessionId: string; schema: string; table: string }
export interface GetColumnsV2Request { sessionId: string; schema: string; table: string; catalog: string }
export interface GetColumnsResponse { fieldInfo: GFieldInfo[]; sessionId: string; new_strategy?: string }

export type HealthCheckRequest = Record<string, never>;
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
export type EngineMethodName = keyof EngineMethods;

export interface ClusterCredentials { user: string; password: string }
export interface ClusterStatusResponse { status: string }
export interface ClusterMethods {
  status: [ClusterCredentials, ClusterStatusResponse];
  resume: [ClusterCredentials, ClusterStatusResponse];
  suspend: [ClusterCredentials, ClusterStatusResponse];
}
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
