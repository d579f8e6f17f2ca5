// An AbortSignal or a time limit that fires while a query runs stops the
// engine's work too: the engine gets cancelQuery for that query, on its own
// deployment, and the caller gets a typed error at once (a slow call is held
// at the gateway by a fail point, as a slow engine would hold it).
import { E6DataError, QueryCancelledError, type Connection, type Cursor } from '@e6data-ts/connector';
import { type MockCluster } from '@e6data-ts/mock-engine';
import { useConnectorCluster } from '../../support/connector-fixture';
import { rejectionOf } from '../../support/expected-error';

// Far longer than any limit a test sets: a call held this long is one the connector gave up on.
const HELD_MS = 10_000;
const LIMIT_MS = 15_000;

/** Waits for the cancel (it may be sent in the background), then checks it was the only one, on the query's own deployment. */
async function expectOneCancelOnBlue(cluster: MockCluster, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (cluster.callLog.count('cancelQuery') === 0) {
    if (Date.now() > deadline) throw new Error('cancelQuery never reached the gateway');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(cancelCalls(cluster)).toEqual([{ deployment: 'blue', strategy: 'blue', plannerIp: '127.0.0.1', outcome: 'ok' }]);
}

function cancelCalls(cluster: MockCluster): { deployment: string | null; strategy: string | null; plannerIp: string | null; outcome: string }[] {
  return cluster
    .calls()
    .entries.filter((e) => e.rpc === 'cancelQuery')
    .map((e) => ({ deployment: e.deployment, strategy: e.strategy, plannerIp: e.plannerIp, outcome: e.outcome }));
}

/** A running query with 40 rows read, whose next batches the gateway holds. */
async function queryWithHeldBatches(connection: Connection, cluster: MockCluster, options?: { signal: AbortSignal }): Promise<{ cursor: Cursor; queryId: string }> {
  const cursor = connection.cursor();
  const queryId = await cursor.execute('SELECT id FROM mock_table ORDER BY id', undefined, options);
  expect(await cursor.fetchMany(40)).toHaveLength(40);
  cluster.failPoints.set('getNextResultBatch', { mode: 'alwaysOn', action: { delayMs: HELD_MS } });
  return { cursor, queryId };
}

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
      await expectOneCancelOnBlue(cluster);
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
      await expectOneCancelOnBlue(cluster);
      await cursor.close();
    },
    LIMIT_MS,
  );

  test(
    'the signal given to execute keeps watching the query: aborting it while a fetch waits cancels the query',
    async () => {
      const { cluster } = harness();
      const controller = new AbortController();
      const { cursor, queryId } = await queryWithHeldBatches(connection, cluster, { signal: controller.signal });
      const fetching = cursor.fetchAll();
      setTimeout(() => controller.abort(), 200);
      const err = await rejectionOf(fetching, QueryCancelledError);
      expect(err).toMatchObject({ code: 'QUERY_CANCELLED', stage: 'executed', queryId, strategy: 'blue' });
      await expectOneCancelOnBlue(cluster);
      expect(connection.strategyStore.snapshot().queries.blue).toBe(0);
      await cursor.close();
    },
    LIMIT_MS,
  );

  test(
    'timeoutMs on a fetch that waits on a slow batch cancels the query on the engine',
    async () => {
      const { cluster } = harness();
      const { cursor } = await queryWithHeldBatches(connection, cluster);
      const started = Date.now();
      const err = await rejectionOf(cursor.fetchAll({ timeoutMs: 300 }), E6DataError);
      expect(Date.now() - started).toBeLessThan(HELD_MS / 2);
      expect(err).toMatchObject({ code: 'DEADLINE_EXCEEDED', method: 'getNextResultBatch' });
      await expectOneCancelOnBlue(cluster);
      await cursor.close();
    },
    LIMIT_MS,
  );

  test(
    'an AbortSignal given to a fetch cancels the query on the engine',
    async () => {
      const { cluster } = harness();
      const { cursor } = await queryWithHeldBatches(connection, cluster);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const err = await rejectionOf(cursor.fetchAll({ signal: controller.signal }), E6DataError);
      expect(err).toMatchObject({ code: 'ABORTED', method: 'getNextResultBatch' });
      await expectOneCancelOnBlue(cluster);
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
      await expectOneCancelOnBlue(cluster);
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
      await expectOneCancelOnBlue(cluster);
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
