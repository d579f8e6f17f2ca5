// The whole life of a query through the connector, against the in-process
// mock cluster: connect, execute, every way of reading rows, what the cursor
// tells about its query, cancel/clear/close, and the connection's own calls.
import { ClosedError, E6DataError, QueryCancelledError, type Connection, type Cursor } from '@e6data-ts/connector';
import { type MockCluster } from '@e6data-ts/mock-engine';
import { useConnectorCluster } from '../../support/connector-fixture';
import { rejectionOf, thrownBy } from '../../support/expected-error';

// Small batches, so a 25-row result needs several getNextResultBatch calls.
const BATCH_ROWS = 7;

function calls(cluster: MockCluster, rpc: string): number {
  return cluster.callLog.count(rpc);
}

function heldQueries(cluster: MockCluster): number {
  return cluster.engines.blue.activeQueryCount() + cluster.engines.green.activeQueryCount();
}

async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('query life cycle', () => {
  const harness = useConnectorCluster({ batchRows: BATCH_ROWS }, { per: 'all' });
  let connection: Connection;

  beforeEach(async () => {
    connection = await harness().connect();
  });

  describe("the test plan's four queries", () => {
    test('SELECT 1', async () => {
      const result = await connection.query('SELECT 1');
      expect(result.rows).toEqual([[1]]);
      expect(result.columns).toEqual([{ name: '1', type: 'INTEGER' }]);
      expect(result.rowCount).toBe(1);
      expect(result.trace).toMatchObject({ queryId: result.queryId, strategy: 'blue', retries: 0, rerun: false, moved: false, rowsHandedOut: 1 });
    });

    test('SELECT 1, 2, 3', async () => {
      const result = await connection.query('SELECT 1, 2, 3;');
      expect(result.rows).toEqual([[1, 2, 3]]);
      expect(result.columns.map((c) => c.type)).toEqual(['INTEGER', 'INTEGER', 'INTEGER']);
    });

    test('SELECT * FROM mock_table LIMIT 10', async () => {
      const result = await connection.query('SELECT * FROM mock_table LIMIT 10');
      expect(result.rows).toHaveLength(10);
      expect(result.columns).toHaveLength(17);
      expect(result.columns[0]).toEqual({ name: 'id', type: 'LONG' });
      expect(result.rows.map((row) => row[0])).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
      for (const row of result.rows) expect(row).toHaveLength(17);
    });

    test('SELECT COUNT(*) FROM mock_table', async () => {
      const result = await connection.query('SELECT COUNT(*) FROM mock_table');
      expect(result.rows).toEqual([[10_000n]]);
      expect(result.columns).toEqual([{ name: 'count_star()', type: 'LONG' }]);
    });
  });

  test('connect detects the live deployment with one authenticate on blue, then every call of a query carries its routing headers', async () => {
    const { cluster } = harness();
    const entries = cluster.calls().entries;
    expect(entries.map((e) => [e.rpc, e.strategy, e.outcome])).toEqual([['authenticate', 'blue', 'ok']]);
    cluster.resetCalls();

    await connection.query('SELECT * FROM mock_table LIMIT 10');
    // query() hands the rows over before the engine has freed the query; close() waits for that clear.
    await connection.close();
    const rpcs = cluster.calls().entries.map((e) => e.rpc);
    // Metadata and the first batch are asked for together, so their order on the wire may vary.
    expect(rpcs[0]).toBe('prepareStatementV2');
    expect(rpcs[1]).toBe('executeStatementV2');
    expect(rpcs.at(-1)).toBe('clear');
    // 10 rows in batches of 7: two batches with rows, one empty one that ends the result.
    expect(rpcs.filter((rpc) => rpc === 'getNextResultBatch')).toHaveLength(3);
    expect(rpcs.filter((rpc) => rpc === 'getResultMetadata')).toHaveLength(1);
    for (const entry of cluster.calls().entries) {
      expect(entry).toMatchObject({ strategy: 'blue', deployment: 'blue', outcome: 'ok' });
      // Per-query calls name the planner the query was prepared on.
      if (entry.rpc !== 'prepareStatementV2') expect(entry.plannerIp).toBe('127.0.0.1');
    }
  });

  test('fetchOne, fetchMany and fetchAll hand out the rows in order across batch boundaries', async () => {
    const cursor = connection.cursor();
    const queryId = await cursor.execute('SELECT id FROM mock_table ORDER BY id LIMIT 25');
    expect(typeof queryId).toBe('string');
    expect(cursor.queryId).toBe(queryId);
    expect(cursor.description).toEqual([{ name: 'id', type: 'LONG' }]);
    expect(cursor.rowCount).toBe(-1);

    expect(await cursor.fetchOne()).toEqual([1n]);
    expect(await cursor.fetchMany(10)).toEqual(Array.from({ length: 10 }, (_, i) => [BigInt(i + 2)]));
    expect(cursor.trace).toMatchObject({ queryId, strategy: 'blue', rowsHandedOut: 11 });
    expect(await cursor.fetchMany(0)).toEqual([]);
    expect(await cursor.fetchAll()).toEqual(Array.from({ length: 14 }, (_, i) => [BigInt(i + 12)]));
    expect(cursor.rowCount).toBe(25);
    expect(await cursor.fetchOne()).toBeNull();
    expect(await cursor.fetchMany(5)).toEqual([]);
    expect(await cursor.fetchAll()).toEqual([]);
    expect(cursor.trace?.rowsHandedOut).toBe(25);
    await cursor.close();
    expect(cursor.isClosed).toBe(true);
  });

  test('fetchMany without a size hands out the rest of the buffered batch', async () => {
    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id LIMIT 10');
    expect(await cursor.fetchMany()).toHaveLength(BATCH_ROWS);
    expect(await cursor.fetchMany()).toHaveLength(10 - BATCH_ROWS);
    expect(await cursor.fetchMany()).toEqual([]);
    await rejectionOf(cursor.fetchMany(-1), E6DataError);
    await cursor.close();
  });

  test('an exhausted query is cleared on the engine and unpinned without an explicit clear', async () => {
    const { cluster, registry } = harness();
    const cursor = connection.cursor();
    await cursor.execute('SELECT 1');
    expect(registry.get({ host: cluster.host, port: cluster.port, clusterName: '' }).snapshot().queries.blue).toBe(1);
    expect(await cursor.fetchAll()).toEqual([[1]]);
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
    await until(() => heldQueries(cluster) === 0 && calls(cluster, 'clear') === 1, 'the background clear');
    await cursor.close();
  });

  test('for await reads every row, fetching batches as the loop needs them', async () => {
    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id LIMIT 30');
    const ids: unknown[] = [];
    for await (const row of cursor) ids.push(row[0]);
    expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => BigInt(i + 1)));
    expect(cursor.rowCount).toBe(30);
    await cursor.close();
  });

  test('breaking out of for await clears the query on the engine', async () => {
    const { cluster } = harness();
    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id');
    expect(cluster.engines.blue.activeQueryCount()).toBe(1);
    let seen = 0;
    for await (const row of cursor) {
      seen += 1;
      if (row[0] === 12n) break;
    }
    expect(seen).toBe(12);
    // The loop's exit awaits the clear, so the engine has already let the query go.
    expect(cluster.engines.blue.activeQueryCount()).toBe(0);
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
    expect(calls(cluster, 'clear')).toBe(1);
    // A cleared query has nothing more to give.
    expect(await cursor.fetchOne()).toBeNull();
    await cursor.close();
  });

  test('stream() stops fetching while the consumer is paused (backpressure) and destroy clears the query', async () => {
    const { cluster } = harness();
    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id');
    const stream = cursor.stream({ highWaterMark: 4 });
    const first: unknown[] = [];
    for await (const row of stream as AsyncIterable<unknown[]>) {
      first.push(row[0]);
      if (first.length === 20) break;
    }
    // for await over a Readable destroys it on break; read a fresh query for the pause.
    expect(first).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
    await until(() => cluster.engines.blue.activeQueryCount() === 0, 'the broken-off stream to clear its query');

    await cursor.execute('SELECT id FROM mock_table ORDER BY id');
    cluster.resetCalls();
    const paused = cursor.stream({ highWaterMark: 4 });
    const got: unknown[] = [];
    await new Promise<void>((resolve) => {
      const onData = (row: unknown[]): void => {
        got.push(row[0]);
        if (got.length === 10) {
          paused.pause();
          paused.off('data', onData);
          resolve();
        }
      };
      paused.on('data', onData);
    });
    // Let the stream fill its buffer and settle, then watch it stay put.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const whilePaused = calls(cluster, 'getNextResultBatch');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(calls(cluster, 'getNextResultBatch')).toBe(whilePaused);
    // 10,000 rows are 1,429 batches of 7; a paused reader holds a handful at most
    // (the stream's buffer of 4 rows, the batch in hand and one prefetched).
    expect(whilePaused).toBeLessThanOrEqual(6);
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i + 1)));

    // Resuming reads on from where it stopped.
    const more: unknown[] = [];
    await new Promise<void>((resolve) => {
      paused.on('data', (row: unknown[]) => {
        more.push(row[0]);
        if (more.length === 30) {
          paused.pause();
          resolve();
        }
      });
      paused.resume();
    });
    expect(more).toEqual(Array.from({ length: 30 }, (_, i) => BigInt(i + 11)));
    await new Promise<void>((resolve) => {
      paused.once('close', () => resolve());
      paused.destroy();
    });
    await until(() => cluster.engines.blue.activeQueryCount() === 0, 'the destroyed stream to clear its query');
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
    await cursor.close();
  });

  test('stream() of a whole result ends after the last row', async () => {
    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id LIMIT 100');
    const ids: unknown[] = [];
    for await (const row of cursor.stream() as AsyncIterable<unknown[]>) ids.push(row[0]);
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(i + 1)));
    await cursor.close();
  });

  test('status, explain and explainAnalyze describe the running query', async () => {
    const { cluster } = harness();
    const cursor = connection.cursor();
    await cursor.execute('SELECT id, col_varchar FROM mock_table WHERE id < 50 ORDER BY id');
    const status = await cursor.status();
    expect(status.ok).toBe(true);
    expect(status.rowCount).toBeGreaterThanOrEqual(0);
    const plan = await cursor.explain();
    expect(typeof plan).toBe('string');
    expect(plan.toLowerCase()).toContain('mock_table');
    const analyzed = await cursor.explainAnalyze();
    expect(analyzed.plan.toLowerCase()).toContain('mock_table');
    expect(analyzed.isCached).toBe(false);
    expect(analyzed.parsingTimeMs).toBeGreaterThanOrEqual(0);
    expect(analyzed.queueingTimeMs).toBe(0);
    for (const rpc of ['status', 'explain', 'explainAnalyze']) {
      const entry = cluster.calls().entries.find((e) => e.rpc === rpc);
      expect(entry).toMatchObject({ deployment: 'blue', strategy: 'blue', plannerIp: '127.0.0.1', outcome: 'ok' });
    }
    expect(await cursor.fetchAll()).toHaveLength(49);
    await cursor.close();
  });

  test('cancel sends cancelQuery to the query\'s deployment and a later fetch raises QueryCancelledError', async () => {
    const { cluster } = harness();
    const cursor = connection.cursor();
    const queryId = await cursor.execute('SELECT id FROM mock_table ORDER BY id');
    expect(await cursor.fetchOne()).toEqual([1n]);
    await cursor.cancel();
    const cancel = cluster.calls().entries.filter((e) => e.rpc === 'cancelQuery');
    expect(cancel).toEqual([expect.objectContaining({ deployment: 'blue', strategy: 'blue', plannerIp: '127.0.0.1', outcome: 'ok' })]);
    expect(cluster.engines.blue.activeQueryCount()).toBe(0);
    expect(connection.strategyStore.snapshot().queries.blue).toBe(0);
    const err = await rejectionOf(cursor.fetchOne(), QueryCancelledError);
    expect(err).toMatchObject({ code: 'QUERY_CANCELLED', stage: 'executed', queryId, strategy: 'blue' });
    // Cancelling again does nothing more.
    await cursor.cancel();
    expect(calls(cluster, 'cancelQuery')).toBe(1);
    // The cursor runs the next statement as usual.
    await cursor.execute('SELECT 2');
    expect(await cursor.fetchAll()).toEqual([[2]]);
    await cursor.close();
  });

  test('clear frees the query on the engine, is idempotent, and leaves nothing to read', async () => {
    const { cluster } = harness();
    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id');
    expect(cluster.engines.blue.activeQueryCount()).toBe(1);
    await cursor.clear();
    expect(cluster.engines.blue.activeQueryCount()).toBe(0);
    await cursor.clear();
    expect(calls(cluster, 'clear')).toBe(1);
    expect(await cursor.fetchAll()).toEqual([]);
    await cursor.close();
  });

  test('a second execute on a cursor clears the first query', async () => {
    const { cluster } = harness();
    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id');
    await cursor.execute('SELECT 42');
    expect(await cursor.fetchAll()).toEqual([[42]]);
    await cursor.close();
    expect(cluster.engines.blue.activeQueryCount()).toBe(0);
    expect(calls(cluster, 'clear')).toBe(2);
  });

  test('close clears the running query; a closed cursor and a closed connection refuse work with ClosedError', async () => {
    const { cluster } = harness();
    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id');
    await cursor.close();
    expect(cluster.engines.blue.activeQueryCount()).toBe(0);
    await cursor.close();
    expect(await rejectionOf(cursor.execute('SELECT 1'), ClosedError)).toMatchObject({ code: 'CLOSED', stage: 'not-sent' });
    await rejectionOf(cursor.fetchOne(), ClosedError);

    const open = connection.cursor();
    await open.execute('SELECT id FROM mock_table ORDER BY id');
    await connection.close();
    // Closing the connection closed its cursors, and their queries with them.
    expect(open.isClosed).toBe(true);
    expect(cluster.engines.blue.activeQueryCount()).toBe(0);
    expect(thrownBy(() => connection.cursor(), ClosedError)).toMatchObject({ code: 'CLOSED', stage: 'not-sent', method: 'cursor' });
    await rejectionOf(connection.query('SELECT 1'), ClosedError);
    await rejectionOf(connection.getSchemaNames(), ClosedError);
    await connection.close();
  });

  test('await using closes cursor and connection at the end of the block', async () => {
    const { cluster } = harness();
    let outerCursor: Cursor | undefined;
    let outerConnection: Connection | undefined;
    {
      await using scoped = await harness().connect();
      await using cursor = scoped.cursor();
      outerCursor = cursor;
      outerConnection = scoped;
      await cursor.execute('SELECT id FROM mock_table ORDER BY id');
      expect(await cursor.fetchOne()).toEqual([1n]);
      expect(cluster.engines.blue.activeQueryCount()).toBe(1);
    }
    expect(outerCursor.isClosed).toBe(true);
    expect(outerConnection.isClosed).toBe(true);
    expect(cluster.engines.blue.activeQueryCount()).toBe(0);
  });

  test('connection.query takes parameters and a time limit', async () => {
    const result = await connection.query('SELECT id, col_integer FROM mock_table WHERE id = ? OR id = :other', undefined).catch((err: unknown) => err);
    // Positional and named placeholders cannot be mixed.
    expect(result).toBeInstanceOf(TypeError);
    const positional = await connection.query('SELECT id FROM mock_table WHERE id IN (?, ?) ORDER BY id', [3, 5n], { timeoutMs: 20_000 });
    expect(positional.rows).toEqual([[3n], [5n]]);
    const named = await connection.query('SELECT :a + :b AS total', { a: 40, b: 2 });
    expect(named.rows).toEqual([[42]]);
    expect(named.columns).toEqual([{ name: 'total', type: 'INTEGER' }]);
  });

  test('getSchemaNames, getTables, getColumns and dryRun', async () => {
    const schemas = await connection.getSchemaNames();
    expect(schemas).toEqual(expect.arrayContaining(['main', 'sales', 'marketing', 'finance', 'analytics']));
    expect(await connection.getTables('main')).toContain('mock_table');
    expect(await connection.getTables('sales')).toEqual(expect.arrayContaining(['customers', 'products', 'orders']));
    const columns = await connection.getColumns('main', 'mock_table');
    expect(columns.slice(0, 3)).toEqual([
      { name: 'id', type: 'LONG' },
      { name: 'col_bigint', type: 'LONG' },
      { name: 'col_integer', type: 'INTEGER' },
    ]);
    expect(columns).toHaveLength(17);
    const verdict = JSON.parse(await connection.dryRun('SELECT id, col_varchar FROM mock_table;')) as Record<string, unknown>;
    expect(verdict).toMatchObject({ valid: true, columns: [{ name: 'id', type: 'LONG' }, { name: 'col_varchar', type: 'STRING' }] });
    const invalid = await rejectionOf(connection.dryRun('SELECT FROM WHERE'), E6DataError);
    expect(invalid.stage).toBe('executed');
    // None of these start a query the engine holds.
    expect(heldQueries(harness().cluster)).toBe(0);
  });

  test('a statement the engine refuses fails with stage executed and leaves nothing pinned', async () => {
    const cursor = connection.cursor();
    const err = await rejectionOf(cursor.execute('SELECT no_such_column FROM mock_table'), E6DataError);
    expect(err).toMatchObject({ stage: 'executed', method: 'prepareStatementV2' });
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
    await rejectionOf(cursor.execute('   '), E6DataError);
    await cursor.close();
  });

  test('stats count the statements run', async () => {
    await connection.query('SELECT 1');
    await connection.query('SELECT 2');
    expect(connection.stats()).toMatchObject({ queries: 2, detections: 1, switches: 0, lost: 0, rerun: 0 });
    expect(connection.sessionStrategies()).toEqual(['blue']);
  });
});
