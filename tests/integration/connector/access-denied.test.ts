// `Access denied` (an unknown or expired session) in a storm: many calls of
// one connection refused at once log in again once for the session, not once
// per call, and every query carries on to its last row.
import { type Connection, type RetryEvent } from '@e6data-ts/connector';
import { type MockCluster } from '@e6data-ts/mock-engine';
import { useConnectorCluster } from '../../support/connector-fixture';

const ACCESS_DENIED = { grpcStatus: 13, details: 'Access denied' } as const;

function authenticateCalls(cluster: MockCluster): number {
  return cluster.callLog.count('authenticate');
}

function recordRetries(connection: Connection): RetryEvent[] {
  const events: RetryEvent[] = [];
  connection.on('retry', (event) => events.push(event));
  return events;
}

describe('access-denied storm', () => {
  describe('injected at the gateway', () => {
    const harness = useConnectorCluster({ batchRows: 20 });

    test('20 prepares refused together cause one login, and all 20 queries succeed', async () => {
      const { cluster } = harness();
      const connection = await harness().connect();
      const retries = recordRetries(connection);
      expect(authenticateCalls(cluster)).toBe(1);
      cluster.failPoints.set('prepareStatementV2', { mode: { times: 20 }, action: ACCESS_DENIED });

      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => connection.query(`SELECT ${i} AS n`)));
      expect(results.map((r) => r.rows)).toEqual(Array.from({ length: 20 }, (_, i) => [[i]]));
      expect(cluster.failPoints.get('prepareStatementV2')?.hits).toBe(20);
      expect(authenticateCalls(cluster)).toBe(2);
      expect(retries).toHaveLength(20);
      expect(retries.every((r) => r.reason === 'access-denied' && r.method === 'prepareStatementV2' && r.attempt === 1)).toBe(true);
      expect(connection.stats().retries['access-denied']).toBe(20);
      expect(connection.stats().detections).toBe(1);
    });

    test('batches of 10 running queries refused together cause one login; every query reads all its rows on its own deployment', async () => {
      const { cluster } = harness();
      const connection = await harness().connect();
      const cursors = Array.from({ length: 10 }, () => connection.cursor());
      await Promise.all(cursors.map((cursor) => cursor.execute('SELECT id FROM mock_table ORDER BY id LIMIT 200')));
      // Let each cursor's prefetched batch land, so the next fetch of every cursor goes to the engine.
      await Promise.all(cursors.map((cursor) => cursor.fetchMany(20)));
      await Promise.all(cursors.map((cursor) => cursor.fetchMany(20)));
      const before = authenticateCalls(cluster);
      cluster.failPoints.set('getNextResultBatch', { mode: { times: 10 }, action: ACCESS_DENIED });

      const rest = await Promise.all(cursors.map((cursor) => cursor.fetchAll()));
      for (const rows of rest) expect(rows).toEqual(Array.from({ length: 160 }, (_, i) => [BigInt(i + 41)]));
      expect(cluster.failPoints.get('getNextResultBatch')?.hits).toBe(10);
      expect(authenticateCalls(cluster) - before).toBe(1);
      for (const cursor of cursors) {
        expect(cursor.trace?.strategy).toBe('blue');
        expect(cursor.trace?.retries).toBe(1);
      }
      await Promise.all(cursors.map((cursor) => cursor.close()));
    });

    test('a session that keeps being refused stops after the retry limit with a rejected-stage error', async () => {
      const { cluster } = harness();
      const connection = await harness().connect({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
      cluster.failPoints.set('prepareStatementV2', { mode: 'alwaysOn', action: ACCESS_DENIED });
      const err = await connection.query('SELECT 1').catch((error: unknown) => error);
      expect(err).toMatchObject({ name: 'E6DataError', stage: 'rejected', kind: 'access-denied', method: 'prepareStatementV2' });
      expect(cluster.failPoints.get('prepareStatementV2')?.hits).toBe(3);
      // A login before each retry: two retries after the first refusal.
      expect(authenticateCalls(cluster)).toBe(3);
    });
  });

  describe('sessions that expire on the engine', () => {
    const IDLE_MS = 400;
    const harness = useConnectorCluster({ batchRows: 20, sessionIdleMs: IDLE_MS });

    test('after the session idled out, 10 concurrent queries log in again once', async () => {
      const { cluster } = harness();
      const connection = await harness().connect();
      expect((await connection.query('SELECT 1')).rows).toEqual([[1]]);
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 2));

      const results = await Promise.all(Array.from({ length: 10 }, () => connection.query('SELECT * FROM mock_table LIMIT 30')));
      for (const result of results) expect(result.rows).toHaveLength(30);
      expect(authenticateCalls(cluster)).toBe(2);
      expect(connection.stats().retries['access-denied']).toBe(10);
    });

    test('a fetch paused past the idle time renews the session and the query reads on', async () => {
      const { cluster } = harness();
      const connection = await harness().connect();
      const cursor = connection.cursor();
      await cursor.execute('SELECT id FROM mock_table ORDER BY id LIMIT 100');
      expect(await cursor.fetchMany(40)).toHaveLength(40);
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS * 1.5));
      const rest = await cursor.fetchAll();
      expect(rest).toEqual(Array.from({ length: 60 }, (_, i) => [BigInt(i + 41)]));
      expect(authenticateCalls(cluster)).toBe(2);
      await cursor.close();
    });
  });
});
