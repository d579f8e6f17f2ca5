// Crashes under the connector, with the mock cluster in separate processes:
// the live engine or the gateway killed with SIGKILL mid-query, and an engine
// that goes silent (a call accepted and never answered). The query must end
// with a typed error within its deadline, never hang, and once the part is
// back the same connection must run new queries.
import { connect, type Connection, E6DataError } from '@e6data-ts/connector';
import { AdminClient } from '@e6data-ts/mock-engine';
import { sleep, useConnectorSuite, within } from './support/connector-e2e';
import { e2eRuntime, START_TIMEOUT_MS, startE2ECluster, type ClusterRole } from './support/mock-cluster-runtime';

/** Every call's own deadline in these scenarios. */
const CALL_DEADLINE_MS = 3_000;
const TIMEOUTS = { defaultMs: CALL_DEADLINE_MS, connectMs: CALL_DEADLINE_MS, prepareMs: CALL_DEADLINE_MS, executeMs: CALL_DEADLINE_MS, fetchMs: CALL_DEADLINE_MS };
/** What a failing call may take beyond its deadline on a loaded machine before it counts as a hang. */
const SLACK_MS = 3_000;
/** How soon after a restart the connection must run queries again (grpc-js reconnects within its backoff, at most seconds here). */
const RECONNECT_WINDOW_MS = 15_000;

/** The error `work` fails with and how long it took; a success or an untyped error fails the test. */
async function typedFailure(work: Promise<unknown>, limitMs: number): Promise<{ error: E6DataError; ms: number }> {
  const started = Date.now();
  const error = await within(limitMs + SLACK_MS, 'a call to a dead part of the cluster', work).then(
    () => {
      throw new Error('the call succeeded although the part it needed was killed');
    },
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(E6DataError);
  return { error: error as E6DataError, ms: Date.now() - started };
}

describe(`crashes under the connector (mock cluster as ${e2eRuntime() === 'docker' ? 'containers' : 'processes'})`, () => {
  let admin: AdminClient;
  const suite = useConnectorSuite({
    start: async () => {
      const cluster = await startE2ECluster({ announceMs: 400, drainMs: 1_000 });
      admin = new AdminClient(cluster.adminUrl);
      return cluster;
    },
    startTimeoutMs: START_TIMEOUT_MS,
    title: 'connector crash scenarios:',
  });

  /** Kills `role` while a cursor is mid-result, checks the typed failures, restarts it and checks recovery. */
  async function killMidQuery(role: ClusterRole): Promise<string> {
    const connection: Connection = suite.scenario.track(await within(20_000, 'connect', connect(suite.scenario.options({ timeouts: TIMEOUTS }))));
    const live = connection.strategyStore.snapshot().active;
    expect(live).toBe((await admin.state()).live);
    const victim: ClusterRole = role === 'gateway' ? 'gateway' : live!;

    const cursor = connection.cursor();
    await cursor.execute('SELECT id FROM mock_table ORDER BY id');
    expect(await cursor.fetchMany(1_500)).toHaveLength(1_500);

    await suite.cluster.kill(victim);
    const midQuery = await typedFailure(cursor.fetchAll(), CALL_DEADLINE_MS);
    await cursor.close();
    // A new query while the part is down fails the same way: typed, within its deadline.
    const newQuery = await typedFailure(connection.query('SELECT 1'), CALL_DEADLINE_MS);

    await suite.cluster.restart(victim);
    const started = Date.now();
    // A channel that lost its server reconnects on grpc's backoff schedule, so
    // the first queries after a gateway restart may still find no connection:
    // they must fail typed (UNAVAILABLE) and fast, and one must succeed soon.
    const refused: string[] = [];
    for (;;) {
      try {
        const after = await within(CALL_DEADLINE_MS + SLACK_MS, `a query after the ${victim} restart`, connection.query('SELECT COUNT(*) FROM mock_table'));
        expect(after.rows).toEqual([[10_000n]]);
        break;
      } catch (err) {
        expect(err).toBeInstanceOf(E6DataError);
        expect((err as E6DataError).code).toBe('UNAVAILABLE');
        refused.push((err as E6DataError).message);
        if (Date.now() - started > RECONNECT_WINDOW_MS) {
          throw new Error(`no query succeeded within ${RECONNECT_WINDOW_MS} ms of the ${victim} restart: ${refused.join('; ')}`, { cause: err });
        }
        await sleep(200);
      }
    }
    const recoveredMs = Date.now() - started;
    await suite.scenario.expectNoLeaks();
    return (
      `${victim} killed: mid-query ${midQuery.error.name} ${midQuery.error.code} in ${midQuery.ms} ms, ` +
      `new query ${newQuery.error.name} ${newQuery.error.code} in ${newQuery.ms} ms; ` +
      `after restart first success in ${recoveredMs} ms (${refused.length} typed UNAVAILABLE before it)`
    );
  }

  test('kill -9 of the live engine mid-query: a typed error within the deadline, and new queries succeed after its restart', async () => {
    await suite.timings.time('kill -9 of the live engine mid-query', () => killMidQuery('blue'), (note) => note);
  }, 120_000);

  test('kill -9 of the gateway mid-query: a typed error within the deadline, and new queries succeed after its restart', async () => {
    await suite.timings.time('kill -9 of the gateway mid-query', () => killMidQuery('gateway'), (note) => note);
  }, 120_000);

  test('a silent engine: a stalled fetch ends with DEADLINE_EXCEEDED, cancelQuery is sent, and other connections are unaffected', async () => {
    await suite.timings.time(
      'a stalled fetch (silent engine)',
      async () => {
        // Fetches on demand only, so the stalled call is this cursor's next fetch and no other.
        const silent = suite.scenario.track(await within(20_000, 'connect', connect(suite.scenario.options({ timeouts: TIMEOUTS, prefetchBatches: 0 }))));
        const other = suite.scenario.track(await within(20_000, 'connect', connect(suite.scenario.options({ timeouts: TIMEOUTS }))));
        await other.query('SELECT 1');
        const cursor = silent.cursor();
        const queryId = await cursor.execute('SELECT id FROM mock_table ORDER BY id');
        expect(await cursor.fetchMany(1_000)).toHaveLength(1_000);
        await admin.resetCalls();
        await admin.setFailPoint('getNextResultBatch', { mode: { times: 1 }, action: { stall: true } });

        const stalled = typedFailure(cursor.fetchMany(1_000), CALL_DEADLINE_MS);
        await within(CALL_DEADLINE_MS, 'the fetch reaching the stall', (async () => {
          while ((await admin.failPoint('getNextResultBatch')).hits === 0) await sleep(50);
        })());
        // While the fetch hangs in the hole, another connection's queries run as usual.
        const others = await within(CALL_DEADLINE_MS + SLACK_MS, 'queries on another connection', Promise.all([1, 2, 3].map((n) => other.query(`SELECT COUNT(*) FROM mock_table WHERE id % ${n + 1} = 0`))));
        expect(others.map((r) => r.rows[0]![0])).toEqual([5_000n, 3_333n, 2_500n]);
        const { error, ms } = await stalled;
        expect(error.code).toBe('DEADLINE_EXCEEDED');
        expect(ms).toBeLessThan(CALL_DEADLINE_MS + SLACK_MS);
        expect((await admin.failPoint('getNextResultBatch')).hits).toBe(1);

        // The engine is reachable again at once (the fail point fired once): the query is cancelled there.
        const deadline = Date.now() + 5_000;
        let cancels = 0;
        while (cancels === 0 && Date.now() < deadline) {
          cancels = (await admin.calls()).entries.filter((e) => e.rpc === 'cancelQuery' && e.outcome === 'ok').length;
          if (cancels === 0) await sleep(100);
        }
        expect(cancels).toBe(1);
        await cursor.close();
        await expect(silent.query('SELECT 1')).resolves.toMatchObject({ rows: [[1]] });
        await suite.scenario.expectNoLeaks();
        const cancel = (await admin.calls()).entries.find((e) => e.rpc === 'cancelQuery');
        expect(cancel?.deployment).toBe(silent.strategyStore.snapshot().active);
        return { ms, queryId };
      },
      ({ ms }) => `DEADLINE_EXCEEDED after ${ms} ms (deadline ${CALL_DEADLINE_MS} ms)`,
    );
  }, 60_000);
});
