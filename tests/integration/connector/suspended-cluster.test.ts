// A suspended cluster answers engine calls with HTTP 503. With autoResume (the
// default) the connector resumes it through the ClusterService, once for all
// the work waiting on it, and carries on; without, the caller gets a typed
// error saying the router turned the request away.
import { E6DataError } from '@e6data-ts/connector';
import { type MockCluster } from '@e6data-ts/mock-engine';
import { useConnectorCluster } from '../../support/connector-fixture';
import { rejectionOf } from '../../support/expected-error';

const RESUME_DELAY_MS = 300;

function clusterCalls(cluster: MockCluster, method: string): number {
  return cluster.calls().entries.filter((e) => e.rpc === `ClusterService/${method}`).length;
}

describe('suspended cluster', () => {
  const harness = useConnectorCluster({ batchRows: 25, resumeDelayMs: RESUME_DELAY_MS });

  test('queries started while suspended succeed after one resume', async () => {
    const { cluster } = harness();
    const connection = await harness().connect();
    cluster.suspend();
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => connection.query(`SELECT ${i} AS n, COUNT(*) FROM mock_table`)));
    expect(results.map((r) => r.rows)).toEqual(Array.from({ length: 5 }, (_, i) => [[i, 10_000n]]));
    // They waited for the resume (a wide margin: only that they did not skip it).
    expect(Date.now() - started).toBeGreaterThanOrEqual(RESUME_DELAY_MS - 50);
    expect(cluster.state()).toMatchObject({ power: 'active', suspended: false });
    expect(clusterCalls(cluster, 'resume')).toBe(1);
    expect(clusterCalls(cluster, 'status')).toBeGreaterThanOrEqual(2);
    expect(connection.stats().retries['cluster-suspended']).toBe(5);
    for (const result of results) expect(result.trace.retries).toBe(1);
  });

  test('a query running when the cluster is suspended reads on after the resume', async () => {
    const { cluster } = harness();
    const connection = await harness().connect();
    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id LIMIT 200');
    expect(await cursor.fetchMany(60)).toHaveLength(60);
    cluster.suspend();
    const rest = await cursor.fetchAll();
    expect(rest).toEqual(Array.from({ length: 140 }, (_, i) => [BigInt(i + 61)]));
    expect(cursor.trace).toMatchObject({ strategy: 'blue', retries: 1 });
    expect(clusterCalls(cluster, 'resume')).toBe(1);
    await cursor.close();
  });

  test('connect() to a suspended cluster resumes it', async () => {
    const { cluster } = harness();
    cluster.suspend();
    const connection = await harness().connect();
    expect((await connection.query('SELECT 1')).rows).toEqual([[1]]);
    expect(clusterCalls(cluster, 'resume')).toBe(1);
    expect(connection.stats().detections).toBe(1);
  });

  test("with autoResume false, connect() to a suspended cluster fails with stage 'rejected'", async () => {
    const { cluster } = harness();
    cluster.suspend();
    const err = await rejectionOf(harness().connect({ autoResume: false }), E6DataError);
    expect(err).toMatchObject({ stage: 'rejected', kind: 'cluster-suspended', method: 'authenticate' });
    expect(clusterCalls(cluster, 'resume')).toBe(0);
    await cluster.resume();
  });

  test("with autoResume false, work fails at once with stage 'rejected' and the cluster stays suspended", async () => {
    const { cluster } = harness();
    const connection = await harness().connect({ autoResume: false });
    cluster.suspend();
    const err = await rejectionOf(connection.query('SELECT 1'), E6DataError);
    expect(err).toMatchObject({ stage: 'rejected', kind: 'cluster-suspended', method: 'prepareStatementV2' });
    const cursor = connection.cursor();
    await rejectionOf(cursor.execute('SELECT 1'), E6DataError);
    await rejectionOf(connection.getSchemaNames(), E6DataError);
    expect(clusterCalls(cluster, 'resume')).toBe(0);
    expect(cluster.state().power).toBe('suspended');
    await cluster.resume();
    expect((await connection.query('SELECT 2')).rows).toEqual([[2]]);
    await cursor.close();
  });

  test("with autoResume false, a running query's fetch fails with stage 'rejected' and nothing stays pinned", async () => {
    const { cluster } = harness();
    const connection = await harness().connect({ autoResume: false });
    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id LIMIT 200');
    await cursor.fetchMany(60);
    cluster.suspend();
    const err = await rejectionOf(cursor.fetchAll(), E6DataError);
    expect(err).toMatchObject({ stage: 'rejected', kind: 'cluster-suspended', method: 'getNextResultBatch' });
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
    await cluster.resume();
    // The failed query's clear was refused while suspended (and not resumed for): the engine holds it until it idles out.
    await cursor.close();
    harness().expectStranded({ blue: 1 });
  });
});
