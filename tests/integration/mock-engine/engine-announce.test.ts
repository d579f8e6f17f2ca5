// new_strategy: present on every response type exactly while a deployment is
// announced (by setAnnouncedStrategy or by the gateway's per-request header),
// and absent (not empty) otherwise.
import { ENGINE_METHOD_NAMES, type CallOptions, type EngineMethodName, type QueryRef } from '@e6data-ts/grpc-transport';
import { ANNOUNCE_HEADER, DEFAULT_USERS, EngineError } from '@e6data-ts/mock-engine';
import { useMockEngine } from '../../support/mock-engine';

const [admin] = DEFAULT_USERS;
// Their response messages have no new_strategy field.
const WITHOUT_FIELD: EngineMethodName[] = ['dryRunV2', 'healthCheck'];

const warnings: object[] = [];
const mock = useMockEngine({
  name: 'blue',
  mockTableRows: 100,
  logger: { info: () => undefined, warn: (_message, fields) => warnings.push(fields ?? {}), error: () => undefined },
});

afterEach(() => {
  mock.engine.setAnnouncedStrategy(null);
  expect(mock.engine.activeQueryCount()).toBe(0);
});

/** One successful call of every QueryEngineService method, each with `options`; their responses by method. */
async function everyResponse(options: CallOptions = {}): Promise<Record<EngineMethodName, Record<string, unknown>>> {
  const responses: Partial<Record<EngineMethodName, object>> = {};
  const auth = await mock.client.authenticate({ user: admin!.user, password: admin!.token }, options);
  responses.authenticate = auth;
  const { sessionId } = auth;
  const prepareV1 = await mock.client.prepareStatement({ sessionId, schema: '', queryString: 'SELECT 1', quoting: '' }, options);
  responses.prepareStatement = prepareV1;
  const v1: QueryRef = { sessionId, queryId: prepareV1.queryId, engineIP: prepareV1.engineIP };
  responses.executeStatement = await mock.client.executeStatement({ ...v1, shouldNotCache: false }, options);
  responses.getResultMetadata = await mock.client.getResultMetadata(v1, options);
  responses.getNextResultBatch = await mock.client.getNextResultBatch(v1, options);
  responses.status = await mock.client.status(v1, options);
  responses.explain = await mock.client.explain(v1, options);
  responses.explainAnalyze = await mock.client.explainAnalyze(v1, options);
  responses.clear = await mock.client.clear(v1, options);
  const prepareV2 = await mock.client.prepareStatementV2({ sessionId, schema: '', catalog: '', queryString: 'SELECT ?', quoting: '' }, options);
  responses.prepareStatementV2 = prepareV2;
  const v2: QueryRef = { sessionId, queryId: prepareV2.queryId, engineIP: prepareV2.engineIP };
  responses.executeStatementV2 = await mock.client.executeStatementV2({ ...v2, shouldNotCache: false, params: [{ index: 1, type: 'STRING', value: 'x' }] }, options);
  responses.cancelQuery = await mock.client.cancelQuery(v2, options);
  const third = await mock.client.prepareStatementV2({ sessionId, schema: '', catalog: '', queryString: 'SELECT 2', quoting: '' });
  responses.clearOrCancelQuery = await mock.client.clearOrCancelQuery({ sessionId, queryId: third.queryId, engineIP: third.engineIP }, options);
  responses.dryRunV2 = await mock.client.dryRunV2({ engineIP: '', sessionId, schema: '', catalog: '', queryString: 'SELECT 1' }, options);
  responses.getSchemaNames = await mock.client.getSchemaNames({ sessionId }, options);
  responses.getSchemaNamesV2 = await mock.client.getSchemaNamesV2({ sessionId, catalog: '' }, options);
  responses.getTables = await mock.client.getTables({ sessionId, schema: '' }, options);
  responses.getTablesV2 = await mock.client.getTablesV2({ sessionId, schema: '', catalog: '' }, options);
  responses.getColumns = await mock.client.getColumns({ sessionId, schema: '', table: 'mock_table' }, options);
  responses.getColumnsV2 = await mock.client.getColumnsV2({ sessionId, schema: '', table: 'mock_table', catalog: '' }, options);
  responses.healthCheck = await mock.client.healthCheck({}, options);
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
  expect(mock.engine.announcedStrategy()).toBeNull();
  expectAnnounced(await everyResponse(), '(absent)');
});

test('setAnnouncedStrategy: every response type carries it until it is cleared', async () => {
  mock.engine.setAnnouncedStrategy('green');
  expect(mock.engine.announcedStrategy()).toBe('green');
  expectAnnounced(await everyResponse(), 'green');
  mock.engine.setAnnouncedStrategy(null);
  expectAnnounced(await everyResponse(), '(absent)');
});

test('the announce header: that call only carries the value; it wins over the standing announcement', async () => {
  expectAnnounced(await everyResponse({ headers: { [ANNOUNCE_HEADER]: 'green' } }), 'green');
  expectAnnounced(await everyResponse(), '(absent)');
  mock.engine.setAnnouncedStrategy('blue');
  expectAnnounced(await everyResponse({ headers: { [ANNOUNCE_HEADER]: 'GREEN' } }), 'green');
  expectAnnounced(await everyResponse(), 'blue');
});

test('an invalid header value is ignored with a warning', async () => {
  warnings.length = 0;
  const { sessionId } = await mock.client.authenticate({ user: admin!.user, password: admin!.token });
  const { new_strategy: none } = await mock.client.getSchemaNames({ sessionId }, { headers: { [ANNOUNCE_HEADER]: 'purple' } });
  expect(none).toBeUndefined();
  expect(warnings).toEqual(expect.arrayContaining([expect.objectContaining({ deployment: 'blue', value: 'purple' })]));
  mock.engine.setAnnouncedStrategy('green');
  const auth = await mock.client.authenticate({ user: admin!.user, password: admin!.token }, { headers: { [ANNOUNCE_HEADER]: 'purple' } });
  expect(auth.new_strategy).toBe('green');
});

test('setAnnouncedStrategy refuses anything but blue, green or null', () => {
  expect(() => mock.engine.setAnnouncedStrategy('purple' as 'blue')).toThrow(EngineError);
  expect(mock.engine.announcedStrategy()).toBeNull();
});
