// new_strategy: present on every response type exactly while a deployment is
// announced (by setAnnouncedStrategy or by the gateway's per-request header),
// and absent (not empty) otherwise.
import { ENGINE_METHOD_NAMES, createEngineClient, type CallOptions, type EngineClient, type EngineMethodName, type QueryRef } from '@e6data-ts/grpc-transport';
import { ANNOUNCE_HEADER, DEFAULT_USERS, EngineError, startEngine, type MockEngine } from '@e6data-ts/mock-engine';

const [admin] = DEFAULT_USERS;
// Their response messages have no new_strategy field.
const WITHOUT_FIELD: EngineMethodName[] = ['dryRunV2', 'healthCheck'];

let engine: MockEngine;
let client: EngineClient;
const warnings: object[] = [];

beforeAll(async () => {
  engine = await startEngine({
    name: 'blue',
    mockTableRows: 100,
    logger: { info: () => undefined, warn: (_message, fields) => warnings.push(fields ?? {}), error: () => undefined },
  });
  client = createEngineClient({ host: engine.host, port: engine.port });
});

afterAll(async () => {
  client.close();
  await engine.close();
});

afterEach(() => {
  engine.setAnnouncedStrategy(null);
  expect(engine.activeQueryCount()).toBe(0);
});

/** One successful call of every QueryEngineService method, each with `options`; their responses by method. */
async function everyResponse(options: CallOptions = {}): Promise<Record<EngineMethodName, Record<string, unknown>>> {
  const responses: Partial<Record<EngineMethodName, object>> = {};
  const auth = await client.authenticate({ user: admin!.user, password: admin!.token }, options);
  responses.authenticate = auth;
  const { sessionId } = auth;
  const prepareV1 = await client.prepareStatement({ sessionId, schema: '', queryString: 'SELECT 1', quoting: '' }, options);
  responses.prepareStatement = prepareV1;
  const v1: QueryRef = { sessionId, queryId: prepareV1.queryId, engineIP: prepareV1.engineIP };
  responses.executeStatement = await client.executeStatement({ ...v1, shouldNotCache: false }, options);
  responses.getResultMetadata = await client.getResultMetadata(v1, options);
  responses.getNextResultBatch = await client.getNextResultBatch(v1, options);
  responses.status = await client.status(v1, options);
  responses.explain = await client.explain(v1, options);
  responses.explainAnalyze = await client.explainAnalyze(v1, options);
  responses.clear = await client.clear(v1, options);
  const prepareV2 = await client.prepareStatementV2({ sessionId, schema: '', catalog: '', queryString: 'SELECT ?', quoting: '' }, options);
  responses.prepareStatementV2 = prepareV2;
  const v2: QueryRef = { sessionId, queryId: prepareV2.queryId, engineIP: prepareV2.engineIP };
  responses.executeStatementV2 = await client.executeStatementV2({ ...v2, shouldNotCache: false, params: [{ index: 1, type: 'STRING', value: 'x' }] }, options);
  responses.cancelQuery = await client.cancelQuery(v2, options);
  const third = await client.prepareStatementV2({ sessionId, schema: '', catalog: '', queryString: 'SELECT 2', quoting: '' });
  responses.clearOrCancelQuery = await client.clearOrCancelQuery({ sessionId, queryId: third.queryId, engineIP: third.engineIP }, options);
  responses.dryRunV2 = await client.dryRunV2({ engineIP: '', sessionId, schema: '', catalog: '', queryString: 'SELECT 1' }, options);
  responses.getSchemaNames = await client.getSchemaNames({ sessionId }, options);
  responses.getSchemaNamesV2 = await client.getSchemaNamesV2({ sessionId, catalog: '' }, options);
  responses.getTables = await client.getTables({ sessionId, schema: '' }, options);
  responses.getTablesV2 = await client.getTablesV2({ sessionId, schema: '', catalog: '' }, options);
  responses.getColumns = await client.getColumns({ sessionId, schema: '', table: 'mock_table' }, options);
  responses.getColumnsV2 = await client.getColumnsV2({ sessionId, schema: '', table: 'mock_table', catalog: '' }, options);
  responses.healthCheck = await client.healthCheck({}, options);
  return responses as Record<EngineMethodName, Record<string, unknown>>;
}

function strategies(responses: Record<EngineMethodName, Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(responses).map(([method, response]) => [method, 'new_strategy' in response ? response.new_strategy : '(absent)']));
}

function expectAnnounced(responses: Record<EngineMethodName, Record<string, unknown>>, value: 'blue' | 'green' | '(absent)'): void {
  const expected = Object.fromEntries(Object.keys(responses).map((method) => [method, WITHOUT_FIELD.includes(method as EngineMethodName) ? '(absent)' : value]));
  expect(strategies(responses)).toEqual(expected);
}

test('every method is exercised', async () => {
  expect(Object.keys(await everyResponse()).sort()).toEqual([...ENGINE_METHOD_NAMES].sort());
});

test('nothing announced: new_strategy is absent from every response, not an empty string', async () => {
  expect(engine.announcedStrategy()).toBeNull();
  expectAnnounced(await everyResponse(), '(absent)');
});

test('setAnnouncedStrategy: every response type carries it until it is cleared', async () => {
  engine.setAnnouncedStrategy('green');
  expect(engine.announcedStrategy()).toBe('green');
  expectAnnounced(await everyResponse(), 'green');
  engine.setAnnouncedStrategy(null);
  expectAnnounced(await everyResponse(), '(absent)');
});

test('the announce header: that call only carries the value; it wins over the standing announcement', async () => {
  expectAnnounced(await everyResponse({ headers: { [ANNOUNCE_HEADER]: 'green' } }), 'green');
  expectAnnounced(await everyResponse(), '(absent)');
  engine.setAnnouncedStrategy('blue');
  expectAnnounced(await everyResponse({ headers: { [ANNOUNCE_HEADER]: 'GREEN' } }), 'green');
  expectAnnounced(await everyResponse(), 'blue');
});

test('an invalid header value is ignored with a warning', async () => {
  warnings.length = 0;
  const { sessionId } = await client.authenticate({ user: admin!.user, password: admin!.token });
  const { new_strategy: none } = await client.getSchemaNames({ sessionId }, { headers: { [ANNOUNCE_HEADER]: 'purple' } });
  expect(none).toBeUndefined();
  expect(warnings).toEqual(expect.arrayContaining([expect.objectContaining({ deployment: 'blue', value: 'purple' })]));
  engine.setAnnouncedStrategy('green');
  const auth = await client.authenticate({ user: admin!.user, password: admin!.token }, { headers: { [ANNOUNCE_HEADER]: 'purple' } });
  expect(auth.new_strategy).toBe('green');
});

test('setAnnouncedStrategy refuses anything but blue, green or null', () => {
  expect(() => engine.setAnnouncedStrategy('purple' as 'blue')).toThrow(EngineError);
  expect(engine.announcedStrategy()).toBeNull();
});
