// An AbortSignal or a time limit that fires while a query runs stops the
// engine's work too: the engine gets cancelQuery for that query, on its own
// deployment, and the caller gets a typed error at once (a slow call is held
// at the gateway by a fail point, as a slow engine would hold it).
import { E6DataError, QueryCancelledError, type Connection } from '@e6data-ts/connector';
import { type MockCluster } from '@e6data-ts/mock-engine';
import { useConnectorCluster } from '../../support/connector-fixture';
import { rejectionOf } from '../../support/expected-error';

// Far longer than any limit a test sets: a call held this long is one the connector gave up on.
const HELD_MS = 10_000;
const LIMIT_MS = 15_000;

async function cancelSent(cluster: MockCluster, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (cluster.callLog.count('cancelQuery') === 0) {
    if (Date.now() > deadline) throw new Error('cancelQuery never reached the gateway');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function cancelCalls(cluster: MockCluster): { deployment: string | null; strategy: string | null; plannerIp: string | null; outcome: string }[] {
  return cluster
    .calls()
    .entries.filter((e) => e.rpc === 'cancelQuery')
    .map((e) => ({ deployment: e.deployment, strategy: e.strategy, plannerIp: e.plannerIp, outcome: e.outcome }));
}

const CANCELLED_ON_BLUE = [{ deployment: 'blue', strategy: 'blue', plannerIp: '127.0.0.1', outcome: 'ok' }];

describe('abort and timeout reach the engine', () => {
  const harness = useConnectorCluster({ batchRows: 20 });
  let connection: Connection;

  beforeEach(async () => {
    connection = await harness().connect();
  });

  test(
    'timeoutMs on a slow execute: DEADLINE_EXCEEDED for the caller, cancelQuery for the engine',
    async () => {
      const { cluster } = harness();
      cluster.failPoints.set('executeStatementV2', { mode: 'alwaysOn', action: { delayMs: HELD_MS } });
      const cursor = connection.cursor();
      const started = Date.now();
      const err = await rejectionOf(cursor.execute('SELECT id FROM mock_table', undefined, { timeoutMs: 300 }), E6DataError);
      expect(Date.now() - started).toBeLessThan(HELD_MS / 2);
      expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED', method: 'executeStatementV2' });
      await cancelSent(cluster);
      expect(cancelCalls(cluster)).toEqual(CANCELLED_ON_BLUE);
      await cursor.close();
      expect(cluster.engines.blue.activeQueryCount()).toBe(0);
    },
    LIMIT_MS,
  );

  test(
    'an AbortSignal fired during a slow execute: ABORTED for the caller, cancelQuery for the engine',
    async () => {
      const { cluster } = harness();
      cluster.failPoints.set('executeStatementV2', { mode: 'alwaysOn', action: { delayMs: HELD_MS } });
      const cursor = connection.cursor();
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('the user pressed stop')), 200);
      const err = await rejectionOf(cursor.execute('SELECT id FROM mock_table', undefined, { signal: controller.signal }), E6DataError);
      expect(err).toMatchObject({ code: 'ABORTED' });
      await cancelSent(cluster);
      expect(cancelCalls(cluster)).toEqual(CANCELLED_ON_BLUE);
      await cursor.close();
    },
    LIMIT_MS,
  );

  test(
    'the signal given to execute keeps watching the query: aborting it while a fetch waits cancels the query',
    async () => {
      const { cluster } = harness();
      const cursor = connection.cursor();
      const controller = new AbortController();
      const queryId = await cursor.execute('SELECT id FROM mock_table ORDER BY id', undefined, { signal: controller.signal });
      expect(await cursor.fetchMany(40)).toHaveLength(40);
      cluster.failPoints.set('getNextResultBatch', { mode: 'alwaysOn', action: { delayMs: HELD_MS } });
      const fetching = cursor.fetchAll();
      setTimeout(() => controller.abort(), 200);
      const err = await rejectionOf(fetching, QueryCancelledError);
      expect(err).toMatchObject({ code: 'QUERY_CANCELLED', stage: 'executed', queryId, strategy: 'blue' });
      await cancelSent(cluster);
      expect(cancelCalls(cluster)).toEqual(CANCELLED_ON_BLUE);
      expect(connection.strategyStore.snapshot().queries.blue).toBe(0);
      await cursor.close();
    },
    LIMIT_MS,
  );

  test(
    'timeoutMs on a fetch that waits on a slow batch cancels the query on the engine',
    async () => {
      const { cluster } = harness();
      const cursor = connection.cursor();
      await cursor.execute('SELECT id FROM mock_table ORDER BY id');
      expect(await cursor.fetchMany(40)).toHaveLength(40);
      cluster.failPoints.set('getNextResultBatch', { mode: 'alwaysOn', action: { delayMs: HELD_MS } });
      const started = Date.now();
      const err = await rejectionOf(cursor.fetchAll({ timeoutMs: 300 }), E6DataError);
      expect(Date.now() - started).toBeLessThan(HELD_MS / 2);
      expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED', method: 'getNextResultBatch' });
      await cancelSent(cluster);
      expect(cancelCalls(cluster)).toEqual(CANCELLED_ON_BLUE);
      await cursor.close();
    },
    LIMIT_MS,
  );

  test(
    'an AbortSignal given to a fetch cancels the query on the engine',
    async () => {
      const { cluster } = harness();
      const cursor = connection.cursor();
      await cursor.execute('SELECT id FROM mock_table ORDER BY id');
      expect(await cursor.fetchMany(40)).toHaveLength(40);
      cluster.failPoints.set('getNextResultBatch', { mode: 'alwaysOn', action: { delayMs: HELD_MS } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const err = await rejectionOf(cursor.fetchAll({ signal: controller.signal }), E6DataError);
      expect(err).toMatchObject({ code: 'ABORTED', method: 'getNextResultBatch' });
      await cancelSent(cluster);
      expect(cancelCalls(cluster)).toEqual(CANCELLED_ON_BLUE);
      // The query is over: reading on says so.
      await rejectionOf(cursor.fetchOne(), QueryCancelledError);
      await cursor.close();
    },
    LIMIT_MS,
  );

  test(
    'connection.query with a time limit: the whole query, fetches included, is bounded and cancelled on the engine',
    async () => {
      const { cluster } = harness();
      cluster.failPoints.set('getNextResultBatch', { mode: 'alwaysOn', action: { delayMs: HELD_MS } });
      const started = Date.now();
      const err = await rejectionOf(connection.query('SELECT id FROM mock_table ORDER BY id', undefined, { timeoutMs: 400 }), E6DataError);
      expect(Date.now() - started).toBeLessThan(HELD_MS / 2);
      expect(err.code).toBe('DEADLINE_EXCEEDED');
      await cancelSent(cluster);
      expect(cancelCalls(cluster)).toEqual(CANCELLED_ON_BLUE);
    },
    LIMIT_MS,
  );

  test(
    'connection.query with an AbortSignal fired mid-fetch cancels the query on the engine',
    async () => {
      const { cluster } = harness();
      cluster.failPoints.set('getNextResultBatch', { mode: { times: 3 }, action: { delayMs: HELD_MS } });
      const controller = new AbortController();
      const querying = connection.query('SELECT id FROM mock_table ORDER BY id', undefined, { signal: controller.signal });
      // Abort once the query exists on the engine (its execute went through).
      const deadline = Date.now() + 5_000;
      while (cluster.callLog.count('executeStatementV2') === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      const err = await rejectionOf(querying, E6DataError);
      expect(['ABORTED', 'QUERY_CANCELLED']).toContain(err.code);
      await cancelSent(cluster);
      expect(cancelCalls(cluster)).toEqual(CANCELLED_ON_BLUE);
    },
    LIMIT_MS,
  );

  test('a signal aborted before the call sends nothing', async () => {
    const { cluster } = harness();
    cluster.resetCalls();
    const err = await rejectionOf(connection.query('SELECT 1', undefined, { signal: AbortSignal.abort() }), E6DataError);
    expect(err).toMatchObject({ code: 'ABORTED', stage: 'not-sent' });
    expect(cluster.calls().total).toBe(0);
  });
});
