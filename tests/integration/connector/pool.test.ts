// A pool shared by concurrent tasks through a graceful cutover: every task
// succeeds, the pool's connections share the endpoint's blue/green state, and
// stats() says what the pool holds and what its connections counted.
import { ClosedError, createPool, type Pool, type StrategyChangeEvent } from '@e6data-ts/connector';
import { useConnectorCluster } from '../../support/connector-fixture';
import { rejectionOf } from '../../support/expected-error';

const LIMIT_MS = 60_000;

describe('pool', () => {
  const harness = useConnectorCluster({ batchRows: 50, endDrainWhenIdle: true });
  let pool: Pool | undefined;

  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  test(
    '40 tasks on a pool of 5 through a graceful cutover: all succeed, and the pool ends on green',
    async () => {
      const { cluster } = harness();
      pool = createPool({ ...harness().options(), max: 5, acquireTimeoutMs: 30_000 });
      const changes: StrategyChangeEvent[] = [];
      pool.on('strategyChange', (event: StrategyChangeEvent) => changes.push(event));

      // Open the pool's connections first, so the cutover meets them busy rather than connecting.
      await Promise.all(Array.from({ length: 5 }, () => pool!.query('SELECT 1')));
      let deploymentDone: Promise<unknown> | undefined;
      const task = async (i: number): Promise<string> => {
        if (i === 10) {
          await pool!.query('SELECT 2');
          deploymentDone = cluster.startDeploy({ announceMs: 200, drainMs: 30_000 }).done;
        }
        if (i % 2 === 0) {
          const result = await pool!.query('SELECT id FROM mock_table WHERE id <= ? ORDER BY id', [120]);
          expect(result.rows).toEqual(Array.from({ length: 120 }, (_, k) => [BigInt(k + 1)]));
          return result.trace.strategy;
        }
        return pool!.withConnection(async (connection) => {
          const cursor = connection.cursor();
          try {
            await cursor.execute('SELECT id FROM mock_table ORDER BY id LIMIT 300');
            let n = 0;
            for await (const row of cursor) {
              n += 1;
              expect(row[0]).toBe(BigInt(n));
            }
            expect(n).toBe(300);
            return cursor.trace!.strategy;
          } finally {
            await cursor.close();
          }
        });
      };
      const strategies = await Promise.all(Array.from({ length: 40 }, (_, i) => task(i)));
      await deploymentDone;
      expect(strategies).toHaveLength(40);
      expect(strategies).toContain('green');
      expect(cluster.state()).toMatchObject({ phase: 'stable', live: 'green' });

      const stats = pool.stats();
      expect(stats).toMatchObject({ max: 5, borrowed: 0, pending: 0, queries: 5 + 1 + 40, lost: 0, rerun: 0 });
      expect(stats.size).toBeGreaterThanOrEqual(1);
      expect(stats.size).toBeLessThanOrEqual(5);
      // One detection per connection (when it opened); the pool counts the endpoint's one switch once.
      expect(stats.detections).toBe(stats.size);
      expect(stats.switches).toBe(1);
      expect(stats.retries).toEqual({ 'strategy-mismatch': 0, 'access-denied': 0, 'cluster-suspended': 0, transient: 0, 'cutover-hold': 0 });
      // The pool reports the endpoint's transitions once each: blue found, a pending green, then green by drain.
      expect(changes.map((c) => [c.reason, c.from, c.to, c.pending])).toEqual([
        ['set', null, 'blue', null],
        ['pending-set', 'blue', 'blue', 'green'],
        ['drained', 'blue', 'green', null],
      ]);

      // After the cutover, pooled work goes straight to green.
      const after = await pool.query('SELECT 1');
      expect(after.trace).toMatchObject({ strategy: 'green', moved: false });
      await pool.close();
    },
    LIMIT_MS,
  );

  test(
    'pooled connections recover from a hard switch, and a closed pool refuses work',
    async () => {
      const { cluster } = harness();
      pool = createPool({ ...harness().options(), max: 3 });
      await Promise.all(Array.from({ length: 6 }, () => pool!.query('SELECT 1')));
      const opened = pool.stats().size;
      // query() returns before its clear lands; let those land, or the hard switch strands them on blue.
      for (let i = 0; i < 200 && cluster.engines.blue.activeQueryCount() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      await cluster.deploy({ mode: 'hard' });
      const results = await Promise.all(Array.from({ length: 6 }, () => pool!.query('SELECT COUNT(*) FROM mock_table')));
      for (const result of results) {
        expect(result.rows).toEqual([[10_000n]]);
        expect(result.trace.strategy).toBe('green');
      }
      const stats = pool.stats();
      expect(stats.lost).toBe(0);
      // The connections share one store: the first one refused re-detects, and no connection detects twice.
      expect(stats.detections - opened).toBeGreaterThanOrEqual(1);
      expect(stats.detections - opened).toBeLessThanOrEqual(stats.size);

      await pool.close();
      expect(pool.stats()).toMatchObject({ size: 0, borrowed: 0 });
      await rejectionOf(pool.query('SELECT 1'), ClosedError);
      await rejectionOf(pool.acquire(), ClosedError);
    },
    LIMIT_MS,
  );
});
