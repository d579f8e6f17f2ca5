// The test plan's load tests, with a graceful blue -> green cutover in the
// middle of the run. The plan accepts 90 % (connections) and 80 % (queries)
// success; the connector must lose nothing: every query succeeds with every
// row. Each connection sees the switch exactly once and detects exactly once
// (when it connects): the announce tells it of the cutover, so the cutover
// costs no detection at all.
import { type Connection } from '@e6data-ts/connector';
import { type DeploymentHandle, type MockCluster } from '@e6data-ts/mock-engine';
import { useConnectorCluster } from '../../support/connector-fixture';

const LIMIT_MS = 90_000;

interface Watched {
  readonly connection: Connection;
  /** Times of this connection's 'detect' events. */
  readonly detections: number[];
}

async function watch(connecting: Promise<Connection>): Promise<Watched> {
  const connection = await connecting;
  // connect() detected before it resolved; count that one too (stats), and every later one (events).
  const detections: number[] = Array.from({ length: connection.stats().detections }, () => 0);
  connection.on('detect', () => detections.push(Date.now()));
  return { connection, detections };
}

function deployDuringRun(cluster: MockCluster): { deployment: DeploymentHandle; startedAt: number } {
  const startedAt = Date.now();
  return { deployment: cluster.startDeploy({ announceMs: 300, drainMs: 30_000 }), startedAt };
}

function expectOneSwitchAndOneDetectionEach(watched: readonly Watched[], deployStartedAt: number): void {
  const perConnection = watched.map(({ connection, detections }) => ({
    detections: detections.length,
    detectionsAfterCutoverStarted: detections.filter((at) => at >= deployStartedAt).length,
    switches: connection.stats().switches,
    lost: connection.stats().lost,
  }));
  for (const counts of perConnection) expect(counts).toEqual({ detections: 1, detectionsAfterCutoverStarted: 0, switches: 1, lost: 0 });
}

describe('TestConnectionLoad: 50 concurrent connections through a graceful cutover', () => {
  const harness = useConnectorCluster({ batchRows: 100, endDrainWhenIdle: true });

  test(
    'TestConnectionLoad: 50 connections keep querying across the cutover; 100 % succeed',
    async () => {
      const { cluster } = harness();
      const watched = await Promise.all(Array.from({ length: 50 }, () => watch(harness().connect())));
      expect(watched.every((w) => w.connection.strategyStore === watched[0]!.connection.strategyStore)).toBe(true);

      let deploy: { deployment: DeploymentHandle; startedAt: number } | undefined;
      let cutoverDone = false;
      const results = { ok: 0, failed: [] as unknown[], onBlue: 0, onGreen: 0 };
      const worker = async ({ connection }: Watched, index: number): Promise<void> => {
        // Each connection keeps working until the cutover is over, then once more.
        for (let round = 0; round < 200; round++) {
          const last = cutoverDone;
          try {
            const result = index % 2 === 0 ? await connection.query('SELECT * FROM mock_table LIMIT 10') : await connection.query('SELECT COUNT(*) FROM mock_table');
            expect(result.rows).toHaveLength(index % 2 === 0 ? 10 : 1);
            if (index % 2 === 1) expect(result.rows).toEqual([[10_000n]]);
            results.ok += 1;
            if (result.trace.strategy === 'blue') results.onBlue += 1;
            else results.onGreen += 1;
          } catch (err) {
            results.failed.push(err);
          }
          if (round === 1 && index === 0) deploy = deployDuringRun(cluster);
          if (last) return;
        }
      };
      const running = Promise.all(watched.map((w, i) => worker(w, i)));
      // Wait for the deployment the first worker starts, and let the others run past it.
      while (deploy === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
      const done = await deploy.deployment.done;
      cutoverDone = true;
      await running;

      expect(done).toMatchObject({ outcome: 'completed', from: 'blue', to: 'green' });
      expect(results.failed).toEqual([]);
      expect(results.ok).toBeGreaterThanOrEqual(50 * 3);
      expect(results.onBlue).toBeGreaterThan(0);
      expect(results.onGreen).toBeGreaterThanOrEqual(50);
      expect(cluster.state()).toMatchObject({ phase: 'stable', live: 'green' });
      expect(watched[0]!.connection.strategyStore.snapshot()).toMatchObject({ active: 'green', pending: null });
      expectOneSwitchAndOneDetectionEach(watched, deploy.startedAt);
      // No call was refused: the announce moved new work before blue stopped taking it.
      expect(cluster.calls().counts.prepareStatementV2?.blue?.rejected ?? 0).toBe(0);
    },
    LIMIT_MS,
  );
});

describe('TestQueryLoad: 100 concurrent queries through a graceful cutover', () => {
  const harness = useConnectorCluster({ batchRows: 100, endDrainWhenIdle: true });

  test(
    'TestQueryLoad: 100 queries in flight when the cutover starts and 100 more during it; 100 % succeed with every row',
    async () => {
      const { cluster } = harness();
      const watched = await Promise.all(Array.from({ length: 10 }, () => watch(harness().connect())));
      const ROWS = 1_000;
      const runQuery = async (connection: Connection, gate: Promise<void>): Promise<{ ok: boolean; strategy: string; error?: unknown }> => {
        const cursor = connection.cursor();
        try {
          await cursor.execute(`SELECT id FROM mock_table ORDER BY id LIMIT ${ROWS}`);
          expect(await cursor.fetchOne()).toEqual([1n]);
          // Hold here until the test lets the wave read on, so the wave is surely in flight across the cutover.
          await gate;
          let expected = 2n;
          for await (const row of cursor) {
            if (row[0] !== expected) throw new Error(`row ${expected} came back as ${String(row[0])}`);
            expected += 1n;
          }
          if (expected !== BigInt(ROWS + 1)) throw new Error(`only ${expected - 1n} rows`);
          return { ok: true, strategy: cursor.trace!.strategy };
        } catch (error) {
          return { ok: false, strategy: cursor.trace?.strategy ?? '?', error };
        } finally {
          await cursor.close();
        }
      };
      const wave = (gate: Promise<void> = Promise.resolve()): Promise<{ ok: boolean; strategy: string; error?: unknown }>[] =>
        watched.flatMap(({ connection }) => Array.from({ length: 10 }, () => runQuery(connection, gate)));
      const store = watched[0]!.connection.strategyStore;

      let release!: () => void;
      const first = wave(new Promise<void>((resolve) => (release = resolve)));
      // The first wave is in flight (100 queries pinned to blue) when the deployment starts.
      const deadline = Date.now() + 30_000;
      while (store.snapshot().queries.blue < 100 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(cluster.engines.blue.activeQueryCount()).toBe(100);
      const { deployment, startedAt } = deployDuringRun(cluster);
      release();
      // The second wave starts once the announce reached the connections (the first wave's batches carry it).
      while (store.getPending() !== 'green' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
      expect(store.snapshot()).toMatchObject({ active: 'blue', pending: 'green' });
      const second = wave();
      const outcomes = await Promise.all([...first, ...second]);
      const done = await deployment.done;

      const failures = outcomes.filter((o) => !o.ok);
      expect(failures).toEqual([]);
      expect(outcomes).toHaveLength(200);
      // The first wave stayed on blue to its last row; the second went where new work went.
      expect(outcomes.slice(0, 100).every((o) => o.strategy === 'blue')).toBe(true);
      expect(outcomes.slice(100).every((o) => o.strategy === 'green')).toBe(true);
      expect(done).toMatchObject({ outcome: 'completed', from: 'blue', to: 'green' });
      expectOneSwitchAndOneDetectionEach(watched, startedAt);

      // After the cutover, 100 more all run on green.
      const after = await Promise.all(wave());
      expect(after.filter((o) => !o.ok)).toEqual([]);
      expect(after.every((o) => o.strategy === 'green')).toBe(true);
      expect(cluster.calls().counts.getNextResultBatch?.blue?.rejected ?? 0).toBe(0);
    },
    LIMIT_MS,
  );
});
