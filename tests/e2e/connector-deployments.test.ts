// Blue/green deployments of the mock cluster (separate processes) under a
// real client load through the connector: graceful cutovers one after
// another, a second client process that sleeps through a cutover, a client
// that starts during an announcement, suspend with auto-resume, and hard
// switches where the only acceptable failure is the typed lost-query error.
import { connect, type Connection, QueryLostError } from '@e6data-ts/connector';
import { AdminClient, type ClusterState } from '@e6data-ts/mock-engine';
import { type Strategy } from '@e6data-ts/strategy-core';
import { type Scenario, sleep, useConnectorSuite, within } from './support/connector-e2e';
import { e2eRuntime, START_TIMEOUT_MS, startE2ECluster } from './support/mock-cluster-runtime';

/** No single query of these scenarios may take longer than this: past it, it counts as a hang. */
const QUERY_LIMIT_MS = 20_000;
const TABLE_ROWS = 10_000;

/** A query a worker runs, and the answer it must get. */
interface Job {
  readonly sql: string;
  readonly check: (rows: unknown[][]) => void;
}

function jobFor(worker: number, round: number): Job {
  const k = ((worker + round) % 7) + 2;
  return round % 3 === 2
    ? {
        // Several result batches, so the query is still fetching when a phase changes.
        sql: `SELECT id FROM mock_table WHERE id <= ${1_000 + k * 250} ORDER BY id`,
        check: (rows) => {
          expect(rows).toHaveLength(1_000 + k * 250);
          expect(rows.at(-1)?.[0]).toBe(BigInt(1_000 + k * 250));
        },
      }
    : {
        sql: `SELECT COUNT(*) FROM mock_table WHERE id % ${k} = 0`,
        check: (rows) => expect(rows).toEqual([[BigInt(Math.floor(TABLE_ROWS / k))]]),
      };
}

interface LoadResult {
  ok: number;
  failures: string[];
  strategies: Record<Strategy, number>;
}

/** `workers` loops over `connections` running jobs until `stop()` holds; every failure is kept, described. */
async function runLoad(connections: readonly Connection[], workers: number, stop: () => boolean): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failures: [], strategies: { blue: 0, green: 0 } };
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      const connection = connections[worker % connections.length]!;
      for (let round = 0; !stop(); round++) {
        const job = jobFor(worker, round);
        try {
          const { rows, trace } = await within(QUERY_LIMIT_MS, `worker ${worker} round ${round}`, connection.query(job.sql));
          job.check(rows);
          result.ok += 1;
          result.strategies[trace.strategy] += 1;
        } catch (err) {
          result.failures.push(`worker ${worker} round ${round}: ${(err as Error).name} ${(err as Error).message}`);
        }
      }
    }),
  );
  return result;
}

describe(`deployments under load through the connector (mock cluster as ${e2eRuntime() === 'docker' ? 'containers' : 'processes'})`, () => {
  let admin: AdminClient;

  const stable = (): Promise<ClusterState> => admin.waitForState((s) => s.phase === 'stable' && s.deployment === null, { timeoutMs: 30_000 });
  const suite = useConnectorSuite({
    start: async () => {
      const cluster = await startE2ECluster({ announceMs: 400, drainMs: 2_000 });
      admin = new AdminClient(cluster.adminUrl);
      return cluster;
    },
    startTimeoutMs: START_TIMEOUT_MS,
    title: 'connector deployment scenarios:',
    beforeScenario: async () => {
      await stable();
      await admin.clearFailPoints();
    },
  });
  const openConnections = async (n: number, extra: Parameters<Scenario['options']>[0] = {}): Promise<Connection[]> => {
    const opened: Connection[] = [];
    for (let i = 0; i < n; i++) opened.push(suite.scenario.track(await within(20_000, 'connect', connect(suite.scenario.options(extra)))));
    return opened;
  };

  test('24 workers on 4 connections through 10 graceful cutovers: no query fails, no connection re-detects more than once per cutover', async () => {
    const CUTOVERS = 10;
    const connections = await openConnections(4);
    const { completed: before } = await admin.state().then((s) => ({ completed: s.completed }));
    let done = false;
    const { load, detections } = await suite.timings.time(
      `24 workers through ${CUTOVERS} graceful cutovers`,
      async () => {
        const running = runLoad(connections, 24, () => done);
        try {
          for (let i = 1; i <= CUTOVERS; i++) {
            await sleep(150);
            // Drain 2 s: longer than any query of the mix takes, even on a loaded machine.
            await admin.deploy({ mode: 'graceful', announceMs: 300, drainMs: 2_000 });
            await admin.waitForState((s) => s.completed >= before + i && s.phase === 'stable', { timeoutMs: 30_000 });
          }
        } finally {
          done = true;
        }
        const load = await within(QUERY_LIMIT_MS * 2, 'the workers stopping', running);
        return { load, detections: connections.map((c) => c.stats().detections) };
      },
      ({ load, detections }) =>
        `${load.ok} queries (${load.strategies.blue} blue, ${load.strategies.green} green), ${load.failures.length} failed; detections per connection ${detections.join(', ')}; switches ${connections.map((c) => c.stats().switches).join(', ')}`,
    );
    expect(load.failures).toEqual([]);
    expect(load.strategies.blue).toBeGreaterThan(0);
    expect(load.strategies.green).toBeGreaterThan(0);
    // The first connection detects once at connect; the others find the shared state. Announcements are followed, not re-detected.
    for (const count of detections) expect(count).toBeLessThanOrEqual(1 + CUTOVERS);
    for (const connection of connections) expect(connection.stats().switches).toBe(CUTOVERS);
    await suite.scenario.expectNoLeaks();
  }, 180_000);

  test('two client processes through a cutover only one of them drives: both keep working', async () => {
    await suite.timings.time('two client processes, one idle through a cutover', async () => {
      const driver = suite.scenario.client('commands');
      const sleeper = suite.scenario.client('commands');
      const first = await Promise.all([driver.query('a0', 'SELECT 1', QUERY_LIMIT_MS), sleeper.query('b0', 'SELECT 1', QUERY_LIMIT_MS)]);
      const from = first[0].event === 'result' ? first[0].strategy : null;
      expect(first.map((line) => line.event)).toEqual(['result', 'result']);

      await admin.deploy({ mode: 'graceful', announceMs: 400, drainMs: 1_000 });
      const answers = [];
      for (let i = 1; ; i++) {
        answers.push(await driver.query(`a${i}`, `SELECT ${i}, COUNT(*) FROM mock_table`, QUERY_LIMIT_MS));
        const state = await admin.state();
        if (state.phase === 'stable' && state.deployment === null) break;
        await sleep(100);
      }
      expect(answers.filter((line) => line.event === 'error')).toEqual([]);
      const to = (await admin.state()).live;
      expect(to).not.toBe(from);

      // The idle client still believes in the old deployment: its next query must find the new one by itself.
      const woken = await sleeper.query('b1', 'SELECT COUNT(*) FROM mock_table', QUERY_LIMIT_MS);
      expect(woken).toMatchObject({ event: 'result', rows: 1, firstRow: [String(TABLE_ROWS)], strategy: to });
      // It found it by at most one re-detection after the old deployment refused it (HTTP 456), never by
      // failing. (The background clear of its first query may land during the announce and carry the
      // news; then it follows the announcement like the driver and needs no re-detection at all.)
      sleeper.send({ op: 'stats' });
      const { stats } = await sleeper.next('stats', 5_000);
      expect(stats.detections).toBeGreaterThanOrEqual(1);
      expect(stats.detections).toBeLessThanOrEqual(2);
      if (stats.detections === 2) expect(stats.retries['strategy-mismatch']).toBeGreaterThanOrEqual(1);
      const driven = await driver.query('a-last', 'SELECT 2', QUERY_LIMIT_MS);
      expect(driven).toMatchObject({ event: 'result', strategy: to });
      driver.send({ op: 'close' });
      sleeper.send({ op: 'close' });
      await suite.scenario.expectNoLeaks();
    });
  }, 120_000);

  test('a client that starts while a deployment is announced works, and its queries succeed through the cutover', async () => {
    await suite.timings.time('client starting during an announcement', async () => {
      const from = (await admin.state()).live;
      await admin.deploy({ mode: 'graceful', announceMs: 3_000, drainMs: 1_000 });
      await admin.waitForState((s) => s.phase === 'announce', { timeoutMs: 5_000 });
      const connection = suite.scenario.track(await within(20_000, 'connect during the announcement', connect(suite.scenario.options())));
      const results = [];
      let state = await admin.state();
      for (let i = 0; state.phase !== 'stable' || state.deployment !== null; i++) {
        results.push({ phase: state.phase, result: await within(QUERY_LIMIT_MS, `query ${i}`, connection.query(`SELECT ${i} AS n`)) });
        await sleep(100);
        state = await admin.state();
      }
      const after = await connection.query('SELECT COUNT(*) FROM mock_table');
      expect(after.rows).toEqual([[BigInt(TABLE_ROWS)]]);
      expect(after.trace.strategy).toBe(state.live);
      expect(state.live).not.toBe(from);
      expect(new Set(results.map((r) => r.phase))).toEqual(new Set(['announce', 'cutover']));
      // Once announced, new work starts on the new deployment: none of the client's queries ran on the old one.
      expect(results.map((r) => r.result.trace.strategy)).toEqual(results.map(() => state.live));
      await suite.scenario.expectNoLeaks();
    });
  }, 90_000);

  test('suspend under load: the connector resumes the cluster itself and no query fails', async () => {
    const connections = await openConnections(2);
    await admin.resetCalls();
    let done = false;
    const load = await suite.timings.time(
      '8 workers through 3 suspensions',
      async () => {
        const running = runLoad(connections, 8, () => done);
        try {
          for (let i = 0; i < 3; i++) {
            await sleep(700);
            await admin.suspend();
            await sleep(300);
            // The workers resumed it: nobody else did.
            await admin.waitForState((s) => s.power === 'active', { timeoutMs: 10_000 });
          }
          await sleep(300);
        } finally {
          done = true;
        }
        return within(QUERY_LIMIT_MS * 2, 'the workers stopping', running);
      },
      (load) => `${load.ok} queries, ${load.failures.length} failed`,
    );
    expect(load.failures).toEqual([]);
    expect(load.ok).toBeGreaterThan(0);
    const calls = await admin.calls();
    expect(calls.counts['ClusterService/resume']).toBeDefined();
    const retried = connections.reduce((sum, c) => sum + c.stats().retries['cluster-suspended'], 0);
    expect(retried).toBeGreaterThanOrEqual(3);
    await suite.scenario.expectNoLeaks();
  }, 90_000);

  test('hard switches under load: every query succeeds or fails with QueryLostError; with rerunOnLoss only queries that had handed out rows fail', async () => {
    const SWITCHES = 5;
    const plain = await openConnections(2);
    const rerunning = await openConnections(2, { rerunOnLoss: true });
    let done = false;
    interface Tally {
      ok: number;
      lost: Array<{ rowsHandedOut: number; via: 'cursor' | 'query' }>;
      other: string[];
    }
    const tally = (): Tally => ({ ok: 0, lost: [], other: [] });
    const outcomes = { plain: tally(), rerunning: tally() };

    // Cursor workers hand rows out while they read, slowly, so a switch often finds them mid-result.
    const cursorWorker = async (connection: Connection, into: Tally): Promise<void> => {
      while (!done) {
        const cursor = connection.cursor();
        let handed = 0;
        try {
          await within(QUERY_LIMIT_MS, 'a cursor query', (async () => {
            await cursor.execute('SELECT id FROM mock_table ORDER BY id');
            for (;;) {
              const rows = await cursor.fetchMany(500);
              if (rows.length === 0) break;
              expect(rows[0]?.[0]).toBe(BigInt(handed + 1));
              handed += rows.length;
              await sleep(15);
            }
          })());
          expect(handed).toBe(TABLE_ROWS);
          into.ok += 1;
        } catch (err) {
          if (err instanceof QueryLostError) into.lost.push({ rowsHandedOut: err.rowsHandedOut, via: 'cursor' });
          else into.other.push(`cursor: ${(err as Error).name} ${(err as Error).message}`);
        } finally {
          await cursor.close();
        }
      }
    };
    const queryWorker = async (connection: Connection, into: Tally): Promise<void> => {
      while (!done) {
        try {
          const { rows } = await within(QUERY_LIMIT_MS, 'a query', connection.query('SELECT id FROM mock_table WHERE id <= 4000 ORDER BY id'));
          expect(rows).toHaveLength(4_000);
          into.ok += 1;
        } catch (err) {
          if (err instanceof QueryLostError) into.lost.push({ rowsHandedOut: err.rowsHandedOut, via: 'query' });
          else into.other.push(`query: ${(err as Error).name} ${(err as Error).message}`);
        }
      }
    };

    await suite.timings.time(
      `20 workers through ${SWITCHES} hard switches`,
      async () => {
        const workers = [
          ...Array.from({ length: 5 }, (_, i) => cursorWorker(plain[i % 2]!, outcomes.plain)),
          ...Array.from({ length: 5 }, (_, i) => queryWorker(plain[i % 2]!, outcomes.plain)),
          ...Array.from({ length: 5 }, (_, i) => cursorWorker(rerunning[i % 2]!, outcomes.rerunning)),
          ...Array.from({ length: 5 }, (_, i) => queryWorker(rerunning[i % 2]!, outcomes.rerunning)),
        ];
        try {
          for (let i = 0; i < SWITCHES; i++) {
            await sleep(800);
            await admin.deploy({ mode: 'hard' });
          }
          await sleep(800);
        } finally {
          done = true;
        }
        await within(QUERY_LIMIT_MS * 2, 'the workers stopping', Promise.all(workers));
      },
      () =>
        `without rerun: ${outcomes.plain.ok} ok, ${outcomes.plain.lost.length} lost; with rerunOnLoss: ${outcomes.rerunning.ok} ok, ${outcomes.rerunning.lost.length} lost (all after rows were handed out), ${rerunning.reduce((n, c) => n + c.stats().rerun, 0)} re-run`,
    );
    expect(outcomes.plain.other).toEqual([]);
    expect(outcomes.rerunning.other).toEqual([]);
    // The switches did cost queries, or the scenario proved nothing.
    expect(outcomes.plain.lost.length + outcomes.rerunning.lost.length + rerunning.reduce((n, c) => n + c.stats().rerun, 0)).toBeGreaterThan(0);
    // With rerunOnLoss a lost query that had handed nothing out is run again: only cursors past their first rows fail.
    for (const lost of outcomes.rerunning.lost) expect(lost).toMatchObject({ via: 'cursor', rowsHandedOut: expect.any(Number) });
    for (const lost of outcomes.rerunning.lost) expect(lost.rowsHandedOut).toBeGreaterThan(0);
    expect(outcomes.plain.ok + outcomes.rerunning.ok).toBeGreaterThan(0);
    await suite.scenario.expectNoLeaks();
  }, 120_000);
});
