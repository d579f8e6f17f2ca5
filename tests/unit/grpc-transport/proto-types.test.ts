// Keeps the .proto files, messages.ts and docs/wire.md sections 2-3 in step. The
// tables below are docs/wire.md transcribed; the proto is read through proto-loader's
// reflection (no sockets); the typed samples make `pnpm typecheck` fail when
// messages.ts drifts from the field names, and the round trips check values.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLUSTER_PROTO,
  ENGINE_PROTO,
  PROTO_DIR,
  PROTO_LOADER_OPTIONS,
  CLUSTER_METHOD_NAMES,
  ENGINE_METHOD_NAMES,
  WORK_STARTING_METHODS,
  clusterServiceDefinition,
  engineServiceDefinition,
  loadProtoDefinition,
  loadServices,
  type AuthenticateRequest,
  type AuthenticateResponse,
  type CancelQueryRequest,
  type CancelQueryResponse,
  type ClearOrCancelQueryRequest,
  type ClearOrCancelQueryResponse,
  type ClearRequest,
  type ClearResponse,
  type ClusterCredentials,
  type ClusterStatusResponse,
  type DryRunRequestV2,
  type DryRunResponse,
  type EngineMethodName,
  type ExecuteStatementRequest,
  type ExecuteStatementResponse,
  type ExecuteStatementV2Request,
  type ExplainAnalyzeRequest,
  type ExplainAnalyzeResponse,
  type ExplainRequest,
  type ExplainResponse,
  type GetColumnsRequest,
  type GetColumnsResponse,
  type GetColumnsV2Request,
  type GetNextResultBatchRequest,
  type GetNextResultBatchResponse,
  type GetResultMetadataRequest,
  type GetResultMetadataResponse,
  type GetSchemaNamesRequest,
  type GetSchemaNamesResponse,
  type GetSchemaNamesV2Request,
  type GetTablesRequest,
  type GetTablesResponse,
  type GetTablesV2Request,
  type HealthCheckRequest,
  type HealthCheckResponse,
  type PrepareStatementRequest,
  type PrepareStatementResponse,
  type PrepareStatementV2Request,
  type StatusRequest,
  type StatusResponse,
} from '@e6data-ts/grpc-transport';

// ---- docs/wire.md sections 2 and 3, transcribed: "number name [optional|repeated] type" ----
const QUERY_REF = ['1 engineIP string', '2 sessionId string', '3 queryId string'];
const SESSION_AND_HINT = ['1 sessionId string', '2 new_strategy optional string'];
const CREDENTIALS = ['1 user string', '2 password string'];

const WIRE_MESSAGES: Record<string, string[]> = {
  AuthenticateRequest: ['1 user string', '2 password string', '3 userNameForImpersonation optional string'],
  AuthenticateResponse: ['1 sessionId string', '2 new_strategy optional string', '3 engineIP optional string'],
  PrepareStatementRequest: [
    '1 sessionId string', '2 schema string', '3 queryString string', '4 quoting string',
    '5 plannerIp optional string', '6 existingQuery optional ExistingQuery',
  ],
  PrepareStatementV2Request: [
    '1 sessionId string', '2 schema string', '3 catalog string', '4 queryString string', '5 quoting string',
    '6 plannerIp optional string', '7 existingQuery optional ExistingQuery',
  ],
  PrepareStatementResponse: ['1 engineIP string', '2 queryId string', '3 sessionId string', '4 new_strategy optional string'],
  ExecuteStatementRequest: [...QUERY_REF, '4 shouldNotCache bool'],
  ExecuteStatementV2Request: [...QUERY_REF, '4 shouldNotCache bool', '5 params repeated ParameterValue'],
  ExecuteStatementResponse: SESSION_AND_HINT,
  GetResultMetadataRequest: QUERY_REF,
  GetNextResultBatchRequest: QUERY_REF,
  StatusRequest: QUERY_REF,
  ClearRequest: QUERY_REF,
  CancelQueryRequest: QUERY_REF,
  ExplainRequest: QUERY_REF,
  ExplainAnalyzeRequest: QUERY_REF,
  ClearOrCancelQueryRequest: [...QUERY_REF, '4 isDone optional bool'],
  GetResultMetadataResponse: ['1 resultMetaData bytes', '2 sessionId string', '3 new_strategy optional string'],
  GetNextResultBatchResponse: ['2 resultBatch bytes', '3 sessionId string', '4 new_strategy optional string'],
  StatusResponse: ['2 status bool', '3 rowCount sint64', '4 sessionId string', '5 new_strategy optional string'],
  ClearResponse: SESSION_AND_HINT,
  CancelQueryResponse: SESSION_AND_HINT,
  ClearOrCancelQueryResponse: SESSION_AND_HINT,
  ExplainResponse: ['1 explain string', '2 sessionId string', '3 new_strategy optional string'],
  ExplainAnalyzeResponse: [
    '1 explainAnalyze string', '2 isCached bool', '3 parsingTime sint64', '4 queueingTime sint64',
    '5 sessionId string', '6 new_strategy optional string',
  ],
  DryRunRequestV2: ['1 engineIP string', '2 sessionId string', '3 schema string', '4 queryString string', '5 catalog string'],
  DryRunResponse: ['1 dryrunValue string'],
  GetSchemaNamesV2Request: ['1 sessionId string', '2 catalog string'],
  GetSchemaNamesResponse: ['1 schemas repeated string', '2 sessionId string', '3 new_strategy optional string'],
  GetTablesV2Request: ['1 sessionId string', '2 schema string', '3 catalog string'],
  GetTablesResponse: ['1 tables repeated string', '2 sessionId string', '3 new_strategy optional string'],
  GetColumnsV2Request: ['1 sessionId string', '2 schema string', '3 table string', '4 catalog string'],
  GetColumnsResponse: ['1 fieldInfo repeated GFieldInfo', '2 sessionId string', '3 new_strategy optional string'],
  GFieldInfo: ['1 fieldName string', '2 fieldType string'],
  ParameterValue: ['1 index sint32', '2 type string', '3 value string'],
  ExistingQuery: ['1 queryId string', '2 elapsedTimeMillis int64'],
  HealthCheckRequest: [],
  HealthCheckResponse: [],
  // "The V1 schema calls: the V2 requests without catalog."
  GetSchemaNamesRequest: ['1 sessionId string'],
  GetTablesRequest: ['1 sessionId string', '2 schema string'],
  GetColumnsRequest: ['1 sessionId string', '2 schema string', '3 table string'],
  // Section 3: every ClusterService call takes {1 user, 2 password} and returns {1 status}.
  ClusterStatusRequest: CREDENTIALS,
  ClusterResumeRequest: CREDENTIALS,
  ClusterSuspendRequest: CREDENTIALS,
  ClusterStatusResponse: ['1 status string'],
  ClusterResumeResponse: ['1 status string'],
  ClusterSuspendResponse: ['1 status string'],
};

const WIRE_ENGINE_METHODS: Record<string, [string, string]> = {
  authenticate: ['AuthenticateRequest', 'AuthenticateResponse'],
  prepareStatement: ['PrepareStatementRequest', 'PrepareStatementResponse'],
  prepareStatementV2: ['PrepareStatementV2Request', 'PrepareStatementResponse'],
  executeStatement: ['ExecuteStatementRequest', 'ExecuteStatementResponse'],
  executeStatementV2: ['ExecuteStatementV2Request', 'ExecuteStatementResponse'],
  getResultMetadata: ['GetResultMetadataRequest', 'GetResultMetadataResponse'],
  getNextResultBatch: ['GetNextResultBatchRequest', 'GetNextResultBatchResponse'],
  status: ['StatusRequest', 'StatusResponse'],
  clear: ['ClearRequest', 'ClearResponse'],
  cancelQuery: ['CancelQueryRequest', 'CancelQueryResponse'],
  clearOrCancelQuery: ['ClearOrCancelQueryRequest', 'ClearOrCancelQueryResponse'],
  explain: ['ExplainRequest', 'ExplainResponse'],
  explainAnalyze: ['ExplainAnalyzeRequest', 'ExplainAnalyzeResponse'],
  dryRunV2: ['DryRunRequestV2', 'DryRunResponse'],
  getSchemaNamesV2: ['GetSchemaNamesV2Request', 'GetSchemaNamesResponse'],
  getTablesV2: ['GetTablesV2Request', 'GetTablesResponse'],
  getColumnsV2: ['GetColumnsV2Request', 'GetColumnsResponse'],
  healthCheck: ['HealthCheckRequest', 'HealthCheckResponse'],
  getSchemaNames: ['GetSchemaNamesRequest', 'GetSchemaNamesResponse'],
  getTables: ['GetTablesRequest', 'GetTablesResponse'],
  getColumns: ['GetColumnsRequest', 'GetColumnsResponse'],
};

const WIRE_CLUSTER_METHODS: Record<string, [string, string]> = {
  status: ['ClusterStatusRequest', 'ClusterStatusResponse'],
  resume: ['ClusterResumeRequest', 'ClusterResumeResponse'],
  suspend: ['ClusterSuspendRequest', 'ClusterSuspendResponse'],
};

// ---- reflection helpers over proto-loader's descriptors ----
interface FieldDescriptor {
  name: string;
  number: number;
  label: string;
  type: string;
  typeName: string;
  oneofIndex: number;
}
interface MessageDescriptor {
  field: FieldDescriptor[];
  oneofDecl: { name: string }[];
}
interface MethodDescriptor {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestType: { type: { name: string } };
  responseType: { type: { name: string } };
  requestSerialize(value: unknown): Buffer;
  requestDeserialize(bytes: Buffer): Record<string, unknown>;
  responseSerialize(value: unknown): Buffer;
  responseDeserialize(bytes: Buffer): Record<string, unknown>;
}

const definition = loadProtoDefinition() as unknown as Record<string, unknown>;

function messageDescriptor(name: string): MessageDescriptor {
  const entry = definition[name] as { type?: MessageDescriptor } | undefined;
  if (!entry?.type?.field) throw new Error(`message ${name} is not in the loaded proto`);
  return entry.type;
}

function serviceMethods(service: string): Record<string, MethodDescriptor> {
  return definition[service] as Record<string, MethodDescriptor>;
}

/** A field as "number name [optional|repeated] type", the table's own notation. */
function describeField(message: MessageDescriptor, field: FieldDescriptor): string {
  const type = field.type === 'TYPE_MESSAGE' || field.type === 'TYPE_ENUM' ? field.typeName : field.type.replace(/^TYPE_/, '').toLowerCase();
  // proto3 `optional` is a synthetic oneof named `_<field>`.
  const optional = message.oneofDecl[field.oneofIndex]?.name === `_${field.name}`;
  const label = field.label === 'LABEL_REPEATED' ? 'repeated ' : optional ? 'optional ' : '';
  return `${field.number} ${field.name} ${label}${type}`;
}

describe('proto loading', () => {
  it('ships both .proto files in the package proto directory', () => {
    expect([ENGINE_PROTO, CLUSTER_PROTO]).toEqual([join(PROTO_DIR, 'e6x_engine.proto'), join(PROTO_DIR, 'cluster.proto')]);
    expect([existsSync(ENGINE_PROTO), existsSync(CLUSTER_PROTO)]).toEqual([true, true]);
  });

  it('loads with the options the wire contract needs (field case kept, 64-bit as strings, bytes as Buffers, presence kept)', () => {
    expect(PROTO_LOADER_OPTIONS).toEqual({ keepCase: true, longs: String, enums: String, bytes: Buffer, defaults: true, oneofs: true });
    expect(loadProtoDefinition()).toBe(loadProtoDefinition());
  });
});

describe('proto files match docs/wire.md', () => {
  const messageNames = Object.keys(definition).filter((name) => 'format' in (definition[name] as object));

  it('defines exactly the messages docs/wire.md lists', () => {
    expect([...messageNames].sort()).toEqual(Object.keys(WIRE_MESSAGES).sort());
  });

  it.each(Object.entries(WIRE_MESSAGES))('%s has the listed fields (number, name, label, type)', (name, fields) => {
    const message = messageDescriptor(name);
    const actual = message.field.map((field) => describeField(message, field));
    expect(actual).toEqual(fields);
  });

  it('QueryEngineService has exactly the listed unary methods with their request and response types', () => {
    const methods = serviceMethods('QueryEngineService');
    expect(Object.keys(methods).sort()).toEqual(Object.keys(WIRE_ENGINE_METHODS).sort());
    for (const [method, [request, response]] of Object.entries(WIRE_ENGINE_METHODS)) {
      const m = methods[method];
      expect({ method, path: m?.path, request: m?.requestType.type.name, response: m?.responseType.type.name, streaming: m?.requestStream || m?.responseStream }).toEqual({
        method,
        path: `/QueryEngineService/${method}`,
        request,
        response,
        streaming: false,
      });
    }
  });

  it('ClusterService has exactly status, resume and suspend', () => {
    const methods = serviceMethods('ClusterService');
    expect(Object.keys(methods).sort()).toEqual(Object.keys(WIRE_CLUSTER_METHODS).sort());
    for (const [method, [request, response]] of Object.entries(WIRE_CLUSTER_METHODS)) {
      expect([methods[method]?.path, methods[method]?.requestType.type.name, methods[method]?.responseType.type.name]).toEqual([
        `/ClusterService/${method}`,
        request,
        response,
      ]);
    }
  });

  it('the method name lists and server definitions cover the services', () => {
    expect([...ENGINE_METHOD_NAMES].sort()).toEqual(Object.keys(WIRE_ENGINE_METHODS).sort());
    expect([...CLUSTER_METHOD_NAMES].sort()).toEqual(Object.keys(WIRE_CLUSTER_METHODS).sort());
    expect(Object.keys(engineServiceDefinition()).sort()).toEqual(Object.keys(WIRE_ENGINE_METHODS).sort());
    expect(Object.keys(clusterServiceDefinition()).sort()).toEqual(Object.keys(WIRE_CLUSTER_METHODS).sort());
    expect(loadServices()).toBe(loadServices());
    for (const method of WORK_STARTING_METHODS) expect(ENGINE_METHOD_NAMES).toContain(method);
  });
});

// ---- messages.ts in step: one full sample per type (every field set). `satisfies
// Required<T>` refuses a missing or extra key at typecheck; the test then checks
// the keys against the proto and the values through a serialize/deserialize trip.
const Q = { engineIP: '10.0.0.7', sessionId: 'sess-1', queryId: 'q-1' };
const requests = {
  authenticate: { user: 'admin@e6data.local', password: 'secret', userNameForImpersonation: 'bob' } satisfies Required<AuthenticateRequest>,
  prepareStatement: {
    sessionId: 's', schema: 'public', queryString: 'SELECT 1', quoting: 'DOUBLE_QUOTE', plannerIp: '10.0.0.7',
    existingQuery: { queryId: 'q-0', elapsedTimeMillis: '9007199254740993' },
  } satisfies Required<PrepareStatementRequest>,
  prepareStatementV2: {
    sessionId: 's', schema: 'public', catalog: 'hive', queryString: 'SELECT 1', quoting: 'DOUBLE_QUOTE', plannerIp: '10.0.0.7',
    existingQuery: { queryId: 'q-0', elapsedTimeMillis: '42' },
  } satisfies Required<PrepareStatementV2Request>,
  executeStatement: { ...Q, shouldNotCache: true } satisfies Required<ExecuteStatementRequest>,
  executeStatementV2: {
    ...Q, shouldNotCache: true, params: [{ index: -3, type: 'LONG', value: '7' }, { index: 2, type: 'STRING', value: 'x' }],
  } satisfies Required<ExecuteStatementV2Request>,
  getResultMetadata: { ...Q } satisfies Required<GetResultMetadataRequest>,
  getNextResultBatch: { ...Q } satisfies Required<GetNextResultBatchRequest>,
  status: { ...Q } satisfies Required<StatusRequest>,
  clear: { ...Q } satisfies Required<ClearRequest>,
  cancelQuery: { ...Q } satisfies Required<CancelQueryRequest>,
  clearOrCancelQuery: { ...Q, isDone: true } satisfies Required<ClearOrCancelQueryRequest>,
  explain: { ...Q } satisfies Required<ExplainRequest>,
  explainAnalyze: { ...Q } satisfies Required<ExplainAnalyzeRequest>,
  dryRunV2: { engineIP: 'e', sessionId: 's', schema: 'p', queryString: 'SELECT 1', catalog: 'c' } satisfies Required<DryRunRequestV2>,
  getSchemaNames: { sessionId: 's' } satisfies Required<GetSchemaNamesRequest>,
  getSchemaNamesV2: { sessionId: 's', catalog: 'c' } satisfies Required<GetSchemaNamesV2Request>,
  getTables: { sessionId: 's', schema: 'p' } satisfies Required<GetTablesRequest>,
  getTablesV2: { sessionId: 's', schema: 'p', catalog: 'c' } satisfies Required<GetTablesV2Request>,
  getColumns: { sessionId: 's', schema: 'p', table: 't' } satisfies Required<GetColumnsRequest>,
  getColumnsV2: { sessionId: 's', schema: 'p', table: 't', catalog: 'c' } satisfies Required<GetColumnsV2Request>,
  healthCheck: {} satisfies Required<HealthCheckRequest>,
} satisfies Record<EngineMethodName, object>;

const responses = {
  authenticate: { sessionId: 's', new_strategy: 'green', engineIP: '10.0.0.7' } satisfies Required<AuthenticateResponse>,
  prepareStatement: { engineIP: 'e', queryId: 'q', sessionId: 's', new_strategy: 'blue' } satisfies Required<PrepareStatementResponse>,
  prepareStatementV2: { engineIP: 'e', queryId: 'q', sessionId: 's', new_strategy: 'blue' } satisfies Required<PrepareStatementResponse>,
  executeStatement: { sessionId: 's', new_strategy: 'green' } satisfies Required<ExecuteStatementResponse>,
  executeStatementV2: { sessionId: 's', new_strategy: 'green' } satisfies Required<ExecuteStatementResponse>,
  getResultMetadata: { resultMetaData: Buffer.from([0, 1, 2, 255]), sessionId: 's', new_strategy: 'green' } satisfies Required<GetResultMetadataResponse>,
  getNextResultBatch: { resultBatch: Buffer.from([12, 0]), sessionId: 's', new_strategy: 'green' } satisfies Required<GetNextResultBatchResponse>,
  status: { status: true, rowCount: '9007199254740993', sessionId: 's', new_strategy: 'green' } satisfies Required<StatusResponse>,
  clear: { sessionId: 's', new_strategy: 'green' } satisfies Required<ClearResponse>,
  cancelQuery: { sessionId: 's', new_strategy: 'green' } satisfies Required<CancelQueryResponse>,
  clearOrCancelQuery: { sessionId: 's', new_strategy: 'green' } satisfies Required<ClearOrCancelQueryResponse>,
  explain: { explain: 'plan', sessionId: 's', new_strategy: 'green' } satisfies Required<ExplainResponse>,
  explainAnalyze: {
    explainAnalyze: 'plan', isCached: true, parsingTime: '9007199254740993', queueingTime: '-9007199254740993', sessionId: 's', new_strategy: 'green',
  } satisfies Required<ExplainAnalyzeResponse>,
  dryRunV2: { dryrunValue: 'ok' } satisfies Required<DryRunResponse>,
  getSchemaNames: { schemas: ['a', 'b'], sessionId: 's', new_strategy: 'green' } satisfies Required<GetSchemaNamesResponse>,
  getSchemaNamesV2: { schemas: ['a'], sessionId: 's', new_strategy: 'green' } satisfies Required<GetSchemaNamesResponse>,
  getTables: { tables: ['t'], sessionId: 's', new_strategy: 'green' } satisfies Required<GetTablesResponse>,
  getTablesV2: { tables: ['t', 'u'], sessionId: 's', new_strategy: 'green' } satisfies Required<GetTablesResponse>,
  getColumns: { fieldInfo: [{ fieldName: 'id', fieldType: 'LONG' }], sessionId: 's', new_strategy: 'green' } satisfies Required<GetColumnsResponse>,
  getColumnsV2: { fieldInfo: [{ fieldName: 'id', fieldType: 'LONG' }], sessionId: 's', new_strategy: 'green' } satisfies Required<GetColumnsResponse>,
  healthCheck: {} satisfies Required<HealthCheckResponse>,
} satisfies Record<EngineMethodName, object>;

const clusterSamples = {
  request: { user: 'admin@e6data.local', password: 'secret' } satisfies Required<ClusterCredentials>,
  response: { status: 'active' } satisfies Required<ClusterStatusResponse>,
};

/** Drops proto-loader's virtual oneof markers (`_new_strategy: 'new_strategy'`), which messages.ts does not model. */
function withoutOneofMarkers(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('_')) continue;
    out[key] = v;
  }
  return out;
}

function fieldNames(messageName: string): string[] {
  return messageDescriptor(messageName).field.map((f) => f.name).sort();
}

describe('messages.ts matches the proto', () => {
  const engine = serviceMethods('QueryEngineService');

  it.each(ENGINE_METHOD_NAMES.map((m) => [m]))('%s: the request and response types name exactly the proto fields and survive a round trip', (method) => {
    const m = engine[method] as MethodDescriptor;
    const request: Record<string, unknown> = requests[method];
    const response: Record<string, unknown> = responses[method];
    expect(Object.keys(request).sort()).toEqual(fieldNames(m.requestType.type.name));
    expect(Object.keys(response).sort()).toEqual(fieldNames(m.responseType.type.name));
    expect(withoutOneofMarkers(m.requestDeserialize(m.requestSerialize(request)))).toEqual(request);
    expect(withoutOneofMarkers(m.responseDeserialize(m.responseSerialize(response)))).toEqual(response);
  });

  it('nested messages (ExistingQuery, ParameterValue, GFieldInfo) name exactly the proto fields', () => {
    expect(Object.keys(requests.prepareStatement.existingQuery).sort()).toEqual(fieldNames('ExistingQuery'));
    expect(Object.keys(requests.executeStatementV2.params[0] ?? {}).sort()).toEqual(fieldNames('ParameterValue'));
    expect(Object.keys(responses.getColumns.fieldInfo[0] ?? {}).sort()).toEqual(fieldNames('GFieldInfo'));
  });

  it.each(CLUSTER_METHOD_NAMES.map((m) => [m]))('ClusterService.%s: ClusterCredentials and ClusterStatusResponse match and round-trip', (method) => {
    const m = serviceMethods('ClusterService')[method] as MethodDescriptor;
    expect(Object.keys(clusterSamples.request).sort()).toEqual(fieldNames(m.requestType.type.name));
    expect(Object.keys(clusterSamples.response).sort()).toEqual(fieldNames(m.responseType.type.name));
    expect(m.requestDeserialize(m.requestSerialize(clusterSamples.request))).toEqual(clusterSamples.request);
    expect(m.responseDeserialize(m.responseSerialize(clusterSamples.response))).toEqual(clusterSamples.response);
  });
});

describe('wire values', () => {
  const engine = serviceMethods('QueryEngineService');
  const roundTripResponse = (method: string, value: object): Record<string, unknown> => {
    const m = engine[method] as MethodDescriptor;
    return m.responseDeserialize(m.responseSerialize(value));
  };

  it.each([
    ['9007199254740993'],
    ['-9007199254740993'],
    ['9223372036854775807'],
    ['-9223372036854775808'],
  ])('StatusResponse.rowCount %s survives serialize/deserialize exactly (sint64 as a decimal string)', (rowCount) => {
    expect(roundTripResponse('status', { status: true, rowCount, sessionId: 's' }).rowCount).toBe(rowCount);
  });

  it('ExplainAnalyzeResponse times above 2^53 survive exactly', () => {
    const decoded = roundTripResponse('explainAnalyze', { parsingTime: '9007199254740993', queueingTime: '18014398509481985' });
    expect([decoded.parsingTime, decoded.queueingTime]).toEqual(['9007199254740993', '18014398509481985']);
  });

  it('a 64-bit value given as a bigint string and read back loses nothing next to its neighbour', () => {
    // 2^53 + 1 and 2^53 are the same double: only a string representation keeps them apart.
    const a = roundTripResponse('status', { rowCount: '9007199254740993' }).rowCount;
    const b = roundTripResponse('status', { rowCount: '9007199254740992' }).rowCount;
    expect(BigInt(a as string) - BigInt(b as string)).toBe(1n);
  });

  it('an absent optional field stays absent (new_strategy unset is not new_strategy "")', () => {
    const decoded = roundTripResponse('status', { status: true, rowCount: '1', sessionId: 's' });
    expect(decoded).toEqual({ status: true, rowCount: '1', sessionId: 's' });
    expect('new_strategy' in decoded).toBe(false);
    expect(roundTripResponse('authenticate', { sessionId: 's', new_strategy: '' })).toMatchObject({ new_strategy: '' });
  });

  it('non-optional fields read back with proto3 defaults when unset', () => {
    expect(roundTripResponse('getNextResultBatch', {})).toEqual({ resultBatch: Buffer.alloc(0), sessionId: '' });
    expect(roundTripResponse('getTables', {})).toEqual({ tables: [], sessionId: '' });
  });

  it('GetNextResultBatchResponse has no field 1: resultBatch travels as field 2', () => {
    const m = engine.getNextResultBatch as MethodDescriptor;
    const bytes = m.responseSerialize({ resultBatch: Buffer.from([0xab]) });
    // Tag of field 2, wire type 2 (length-delimited) = 0x12; then length 1, then the byte.
    expect([...bytes]).toEqual([0x12, 0x01, 0xab]);
  });

  it('sint64 uses zigzag encoding on the wire (StatusResponse.rowCount = -1 is 0x18 0x01)', () => {
    const m = engine.status as MethodDescriptor;
    expect([...m.responseSerialize({ rowCount: '-1' })]).toEqual([0x18, 0x01]);
  });
});
