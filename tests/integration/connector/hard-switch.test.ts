// A hard blue -> green switch (no announce, no drain): queries running on blue
// are gone. Each must end with a typed QueryLostError saying how many rows the
// caller already has, or, with rerunOnLoss, a read-only query that handed out
// nothing is run again on green without the caller noticing. New work
// recovers after one detection, and nothing waits forever.
import { QueryLostError, type Connection, type Cursor, type QueryLostEvent } from '@e6data-ts/connector';
import { type MockCluster } from '@e6data-ts/mock-engine';
import { useConnectorCluster } from '../../support/connector-fixture';
import { rejectionOf } from '../../support/expected-error';

const BATCH_ROWS = 50;
// No test here may take longer, whatever the connector does.
const LIMIT_MS = 20_000;

function recordLost(connection: Connection): QueryLostEvent[] {
  const events: QueryLostEvent[] = [];
  connection.on('queryLost', (event) => events.push(event));
  return events;
}

/** Reads until the cursor fails; returns the rows read and the failure. */
async function readUntilFailure(cursor: Cursor): Promise<{ rows: number; error: unknown }> {
  let rows = 0;
  for (;;) {
    try {
      const batch = await cursor.fetchMany(10);
      if (batch.length === 0) return { rows, error: null };
      rows += batch.length;
    } catch (error) {
      return { rows, error };
    }
  }
}

/**
 * Starts `sql` on `cursor` and switches the cluster hard while the query's
 * metadata call is held at the gateway: execute and the first batch went
 * through on blue, so the query is lost before it handed out a row.
 */
async function executeAcrossHardSwitch(cluster: MockCluster, cursor: Cursor, sql: string): Promise<{ executing: Promise<string> }> {
  cluster.failPoints.set('getResultMetadata', { mode: { times: 1 }, action: { delayMs: 500 } });
  const executing = cursor.execute(sql);
  executing.catch(() => undefined);
  const deadline = Date.now() + 5_000;
  while (cluster.callLog.count('getNextResultBatch') === 0) {
    if (Date.now() > deadline) throw new Error('the first batch was never fetched');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await cluster.deploy({ mode: 'hard' });
  return { executing };
}

describe('hard switch', () => {
  const harness = useConnectorCluster({ batchRows: BATCH_ROWS });

  test(
    'a query that handed out rows raises QueryLostError with its id, strategy and rows handed out, even with rerunOnLoss',
    async () => {
      const { cluster } = harness();
      const connection = await harness().connect({ rerunOnLoss: true });
      const lost = recordLost(connection);
      const cursor = connection.cursor();
      const queryId = await cursor.execute('SELECT id FROM mock_table ORDER BY id');
      expect(await cursor.fetchMany(120)).toHaveLength(120);

      await cluster.deploy({ mode: 'hard' });
      const { rows, error } = await readUntilFailure(cursor);
      expect(error).toBeInstanceOf(QueryLostError);
      const err = error as QueryLostError;
      // The rows buffered before the switch still came out; the caller has every row counted.
      expect(err.rowsHandedOut).toBe(120 + rows);
      expect(err.rowsHandedOut).toBeLessThan(10_000);
      expect(err).toMatchObject({ code: 'QUERY_LOST', stage: 'executed', kind: 'strategy-mismatch', queryId, strategy: 'blue', method: 'getNextResultBatch' });
      expect(err.message).toContain(queryId);
      expect(lost).toEqual([{ queryId, strategy: 'blue', rowsHandedOut: err.rowsHandedOut, rerun: false }]);
      expect(connection.stats()).toMatchObject({ lost: 1, rerun: 0 });
      expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });

      // New work recovers on green after one detection.
      const after = await connection.query('SELECT COUNT(*) FROM mock_table');
      expect(after.rows).toEqual([[10_000n]]);
      expect(after.trace.strategy).toBe('green');
      expect(connection.stats()).toMatchObject({ detections: 2, switches: 1 });
      await cursor.close();
      // Blue still holds the lost query: no client can reach it to clear it.
      harness().expectStranded({ blue: 1 });
    },
    LIMIT_MS,
  );

  test(
    'with rerunOnLoss, a read-only query lost before it handed out a row is run again on green transparently',
    async () => {
      const { cluster } = harness();
      const connection = await harness().connect({ rerunOnLoss: true });
      const lost = recordLost(connection);
      const cursor = connection.cursor();
      const { executing } = await executeAcrossHardSwitch(cluster, cursor, 'SELECT id FROM mock_table ORDER BY id LIMIT 300');

      const queryId = await executing;
      const rows = await cursor.fetchAll();
      expect(rows).toEqual(Array.from({ length: 300 }, (_, i) => [BigInt(i + 1)]));
      expect(cursor.trace).toMatchObject({ queryId, strategy: 'green', rerun: true, rowsHandedOut: 300 });
      expect(lost).toEqual([{ queryId: expect.any(String) as string, strategy: 'blue', rowsHandedOut: 0, rerun: true }]);
      expect(lost[0]!.queryId).not.toBe(queryId);
      expect(connection.stats()).toMatchObject({ lost: 1, rerun: 1, queries: 2 });
      // Prepared twice (blue, then green), executed once on each.
      const log = cluster.calls().entries;
      expect(log.filter((e) => e.rpc === 'executeStatementV2').map((e) => [e.deployment, e.outcome])).toEqual([
        ['blue', 'ok'],
        ['green', 'ok'],
      ]);
      await cursor.close();
      harness().expectStranded({ blue: 1 });
    },
    LIMIT_MS,
  );

  test(
    'without rerunOnLoss the same loss raises QueryLostError from execute with no row handed out',
    async () => {
      const { cluster } = harness();
      const connection = await harness().connect();
      const lost = recordLost(connection);
      const cursor = connection.cursor();
      const { executing } = await executeAcrossHardSwitch(cluster, cursor, 'SELECT id FROM mock_table ORDER BY id LIMIT 300');
      const err = await rejectionOf(executing, QueryLostError);
      expect(err).toMatchObject({ code: 'QUERY_LOST', stage: 'executed', strategy: 'blue', rowsHandedOut: 0, method: 'getResultMetadata' });
      expect(lost).toEqual([{ queryId: err.queryId, strategy: 'blue', rowsHandedOut: 0, rerun: false }]);
      // The cursor is usable again, on green.
      await cursor.execute('SELECT 1');
      expect(await cursor.fetchAll()).toEqual([[1]]);
      expect(cursor.trace?.strategy).toBe('green');
      await cursor.close();
      harness().expectStranded({ blue: 1 });
    },
    LIMIT_MS,
  );

  test(
    'with rerunOnLoss, a statement that writes is never run again',
    async () => {
      const { cluster } = harness();
      const connection = await harness().connect({ rerunOnLoss: true });
      const lost = recordLost(connection);
      const cursor = connection.cursor();
      const { executing } = await executeAcrossHardSwitch(cluster, cursor, 'CREATE TEMP TABLE copied AS SELECT id FROM mock_table LIMIT 5');
      const err = await rejectionOf(executing, QueryLostError);
      expect(err).toMatchObject({ strategy: 'blue', rowsHandedOut: 0 });
      expect(lost).toEqual([{ queryId: err.queryId, strategy: 'blue', rowsHandedOut: 0, rerun: false }]);
      expect(cluster.callLog.count('executeStatementV2')).toBe(1);
      expect(connection.stats()).toMatchObject({ lost: 1, rerun: 0 });
      await cursor.close();
      harness().expectStranded({ blue: 1 });
    },
    LIMIT_MS,
  );

  test(
    'many queries in flight: each is lost with a typed error or finished, new queries all succeed, one detection per connection',
    async () => {
      const { cluster } = harness();
      const connections = await Promise.all([1, 2, 3].map(() => harness().connect()));
      const detections = connections.map((c) => {
        const seen: string[] = [];
        c.on('detect', (e) => seen.push(e.strategy));
        return seen;
      });
      const cursors = connections.flatMap((c) => [c.cursor(), c.cursor(), c.cursor(), c.cursor()]);
      await Promise.all(cursors.map((cursor) => cursor.execute('SELECT id FROM mock_table ORDER BY id')));
      await Promise.all(cursors.map((cursor) => cursor.fetchMany(60)));
      await cluster.deploy({ mode: 'hard' });

      const outcomes = await Promise.all(cursors.map((cursor) => readUntilFailure(cursor)));
      for (const outcome of outcomes) {
        expect(outcome.error).toBeInstanceOf(QueryLostError);
        expect((outcome.error as QueryLostError).rowsHandedOut).toBe(60 + outcome.rows);
      }
      const fresh = await Promise.all(connections.flatMap((c) => [1, 2, 3].map(() => c.query('SELECT * FROM mock_table LIMIT 10'))));
      for (const result of fresh) {
        expect(result.rows).toHaveLength(10);
        expect(result.trace.strategy).toBe('green');
      }
      // They share one store: the first connection refused re-detects; each connection detects at most once.
      for (const seen of detections) {
        expect(seen.length).toBeLessThanOrEqual(1);
        for (const strategy of seen) expect(strategy).toBe('green');
      }
      expect(detections.flat().length).toBeGreaterThanOrEqual(1);
      await Promise.all(cursors.map((cursor) => cursor.close()));
      harness().expectStranded({ blue: cursors.length });
    },
    LIMIT_MS,
  );
});
