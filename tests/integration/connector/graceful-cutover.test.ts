// A graceful blue -> green deployment while a long fetch runs: the running
// query keeps its deployment to its last row, new queries move to green as
// soon as the cluster announces it, green becomes active when blue's last
// query ends, and no connection detects more than it must.
import { type Connection, type DetectEvent, type StrategyChangeEvent } from '@e6data-ts/connector';
import { type ClusterState, type MockCluster } from '@e6data-ts/mock-engine';
import { silentStrategyLogger, StrategyRegistry, type StrategyTransition } from '@e6data-ts/strategy-core';
import { useConnectorCluster } from '../../support/connector-fixture';

const BATCH_ROWS = 50;
const TABLE_ROWS = 10_000;

async function waitForState(cluster: MockCluster, predicate: (state: ClusterState) => boolean, what: string, timeoutMs = 10_000): Promise<ClusterState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = cluster.state();
    if (predicate(state)) return state;
    if (Date.now() > deadline) throw new Error(`the cluster never reached ${what}; last phase ${state.phase}, live ${state.live}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function recordDetections(connection: Connection): DetectEvent[] {
  const events: DetectEvent[] = [];
  connection.on('detect', (event) => events.push(event));
  return events;
}

describe('graceful cutover during a long fetch', () => {
  // The drain ends as soon as blue holds no query, so the deployment finishes when the old query does.
  const harness = useConnectorCluster({ batchRows: BATCH_ROWS, endDrainWhenIdle: true });

  test('the running query keeps blue to its last row while new queries move to green', async () => {
    const { cluster } = harness();
    const connection = await harness().connect();
    const detections = recordDetections(connection);
    const changes: StrategyChangeEvent[] = [];
    connection.on('strategyChange', (event) => changes.push(event));

    const long = connection.cursor();
    await long.execute('SELECT id FROM mock_table ORDER BY id');
    const ids: bigint[] = [];
    const read = async (n: number): Promise<void> => {
      for (const row of await long.fetchMany(n)) ids.push(row[0] as bigint);
    };
    await read(500);

    const deployment = cluster.startDeploy({ announceMs: 300, drainMs: 60_000 });
    // Announce: the next answer about the long query names green; from then on new work goes there.
    await read(BATCH_ROWS * 2);
    await waitForState(cluster, (s) => s.phase === 'announce', 'announce');
    await read(BATCH_ROWS * 2);
    expect(connection.strategyStore.snapshot()).toMatchObject({ active: 'blue', pending: 'green' });
    const during = await connection.query('SELECT 1');
    expect(during.trace).toMatchObject({ strategy: 'green', moved: true, retries: 0 });

    // Cutover: green takes all new work; blue still serves the query it holds.
    await waitForState(cluster, (s) => s.phase === 'cutover', 'cutover');
    await read(1_000);
    const afterCutover = await connection.query('SELECT COUNT(*) FROM mock_table');
    expect(afterCutover.rows).toEqual([[10_000n]]);
    expect(afterCutover.trace.strategy).toBe('green');
    // Green cannot become active while blue still has a pinned query.
    expect(connection.strategyStore.snapshot()).toMatchObject({ active: 'blue', pending: 'green', queries: { blue: 1, green: 0 } });

    for (;;) {
      const rows = await long.fetchMany(777);
      if (rows.length === 0) break;
      for (const row of rows) ids.push(row[0] as bigint);
    }
    // Every row arrived, in order, none twice.
    expect(ids).toHaveLength(TABLE_ROWS);
    expect(ids.every((id, i) => id === BigInt(i + 1))).toBe(true);
    expect(long.trace).toMatchObject({ strategy: 'blue', retries: 0, rerun: false, rowsHandedOut: TABLE_ROWS });
    await long.close();

    // Blue's last query ended: green is active, and the cluster's drain ended with it.
    expect(connection.strategyStore.snapshot()).toMatchObject({ active: 'green', pending: null });
    expect(changes.map((c) => [c.reason, c.to, c.pending])).toEqual([
      ['pending-set', 'blue', 'green'],
      ['drained', 'green', null],
    ]);
    const done = await deployment.done;
    expect(done).toMatchObject({ outcome: 'completed', from: 'blue', to: 'green' });
    expect(cluster.state()).toMatchObject({ phase: 'stable', live: 'green' });

    // Blue served only the long query: every one of its batches, none refused.
    const log = cluster.calls();
    const blueBatches = log.entries.filter((e) => e.rpc === 'getNextResultBatch' && e.deployment === 'blue');
    expect(blueBatches).toHaveLength(TABLE_ROWS / BATCH_ROWS + 1);
    expect(blueBatches.every((e) => e.outcome === 'ok' && e.strategy === 'blue')).toBe(true);
    expect(log.entries.filter((e) => e.outcome !== 'ok')).toEqual([]);
    // The new queries ran wholly on green, after one login there.
    expect(log.entries.filter((e) => e.rpc === 'authenticate').map((e) => e.strategy)).toEqual(['blue', 'green']);
    expect(log.entries.filter((e) => e.rpc === 'prepareStatementV2').map((e) => e.deployment)).toEqual(['blue', 'green', 'green']);

    // The connection learned of the switch from the announce: no detection beyond the one at connect.
    expect(detections).toEqual([]);
    expect(connection.stats()).toMatchObject({ detections: 1, switches: 1, lost: 0, rerun: 0 });
    expect(connection.stats().retries).toEqual({ 'strategy-mismatch': 0, 'access-denied': 0, 'cluster-suspended': 0, transient: 0, 'cutover-hold': 0 });

    // After the switch new work goes to green at once.
    const after = await connection.query('SELECT 1, 2, 3');
    expect(after.trace).toMatchObject({ strategy: 'green', moved: false });
  });

  test('a connection idle through the announce finds green with exactly one detection at its first call after cutover', async () => {
    const { cluster } = harness();
    const busy = await harness().connect();
    // Its own registry: it shares nothing with `busy`, so nothing tells it of the announce.
    const idleRegistry = new StrategyRegistry({ logger: silentStrategyLogger });
    const idle = await harness().connect({ strategyRegistry: idleRegistry });
    const idleDetections = recordDetections(idle);
    const busyDetections = recordDetections(busy);

    const long = busy.cursor();
    await long.execute('SELECT id FROM mock_table ORDER BY id');
    await long.fetchMany(100);
    const deployment = cluster.startDeploy({ announceMs: 200, drainMs: 60_000 });
    await waitForState(cluster, (s) => s.phase === 'announce', 'announce');
    await long.fetchMany(100);
    await waitForState(cluster, (s) => s.phase === 'cutover', 'cutover');

    // Blue refuses the idle connection's new work (456): it detects green once and goes on.
    const first = await idle.query('SELECT * FROM mock_table LIMIT 10');
    expect(first.rows).toHaveLength(10);
    expect(first.trace.strategy).toBe('green');
    expect(idleDetections).toEqual([{ strategy: 'green', attempts: 2, durationMs: expect.any(Number) as number }]);
    const second = await idle.query('SELECT 1');
    expect(second.trace).toMatchObject({ strategy: 'green', retries: 0 });
    expect(idleDetections).toHaveLength(1);
    expect(idle.stats()).toMatchObject({ detections: 2, switches: 1 });
    expect(idle.stats().retries['strategy-mismatch']).toBe(1);

    // The busy connection's query still reads from blue to the end.
    expect((await long.fetchAll()).length).toBe(TABLE_ROWS - 200);
    await long.close();
    await deployment.done;
    expect(busyDetections).toEqual([]);
  });

  test('connections that connect during the announce all start on green, and none flips the endpoint back to blue', async () => {
    const { cluster, registry } = harness();
    const transitions: StrategyTransition[] = [];
    registry.get({ host: cluster.host, port: cluster.port, clusterName: '' }).onTransition((t) => transitions.push(t));
    const deployment = cluster.startDeploy({ announceMs: 1_500, drainMs: 60_000 });
    expect(cluster.state().phase).toBe('announce');

    // Each one detects concurrently: blue takes its login, and the answer announces green.
    const connections = await Promise.all(Array.from({ length: 5 }, () => harness().connect()));
    const results = await Promise.all(connections.map((c) => c.query('SELECT 1')));
    expect(results.map((r) => r.trace.strategy)).toEqual(['green', 'green', 'green', 'green', 'green']);
    expect(transitions.map((t) => [t.reason, t.to, t.pending])).toEqual([
      ['pending-set', null, 'green'],
      ['drained', 'green', null],
    ]);
    expect(cluster.calls().entries.filter((e) => e.rpc === 'prepareStatementV2').every((e) => e.deployment === 'green')).toBe(true);
    await deployment.done;
    // Nothing ran on blue, so every connection stays put through the cutover.
    const after = await Promise.all(connections.map((c) => c.query('SELECT 2')));
    expect(after.every((r) => r.trace.strategy === 'green' && r.trace.retries === 0)).toBe(true);
  });
});
