// Rule 6: a 456 on a call about a running query means its deployment is gone.
// The caller gets QueryLostError (query id, strategy, rows handed out) and the
// query's pin is cleaned. With rerunOnLoss, a read-only statement that handed
// out no row runs again on the live deployment; nothing else ever does. A 456
// on execute itself came from the router before any engine ran it, so the
// statement is prepared again on the live deployment whatever it is.
import { QueryLostError, type QueryLostEvent, type RetryEvent } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { failures, numbersResult, type Answer, type FakeEngine } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

/** The blue deployment disappears (a hard switch to green) and the call that noticed gets its 456. */
const blueGoesAway: Answer = (_call, engine: FakeEngine) => {
  engine.goLive('green');
  engine.serves.delete('blue');
  throw failures.strategyMismatch();
};

describe('rule 6: 456 on a per-query call', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('456 on getNextResultBatch: QueryLostError with queryId, strategy and rowsHandedOut; mapping cleaned', async () => {
    const { engine } = env();
    engine.resultFor = () => numbersResult(3, 1);
    const connection = await env().connect({ rerunOnLoss: true });
    const lost: QueryLostEvent[] = [];
    connection.on('queryLost', (e) => lost.push(e));
    engine.on('getNextResultBatch', engine.healthy, { strategy: 'blue' });
    engine.on('getNextResultBatch', blueGoesAway, { strategy: 'blue' });
    const cursor = connection.cursor();
    const queryId = await cursor.execute('SELECT n FROM t');
    expect(await cursor.fetchOne()).toEqual([0n]);

    const err = await rejectionOf(cursor.fetchOne(), QueryLostError);

    expect(err).toMatchObject({ code: 'QUERY_LOST', stage: 'executed', queryId, strategy: 'blue', rowsHandedOut: 1, method: 'getNextResultBatch' });
    expect(err.message).toContain(queryId);
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
    expect(lost).toEqual([{ queryId, strategy: 'blue', rowsHandedOut: 1, rerun: false }]);
    // Later fetches say the same, instead of ending quietly like a finished result.
    expect(await rejectionOf(cursor.fetchAll(), QueryLostError)).toBe(err);
    // It handed out a row: never re-run, even with rerunOnLoss.
    expect(engine.callsOf('prepareStatementV2')).toHaveLength(1);
    expect(connection.stats()).toMatchObject({ lost: 1, rerun: 0 });
    // A lost query's calls are never retried on the other deployment.
    expect(engine.callsOf('getNextResultBatch', 'green')).toHaveLength(0);
    // The connection itself carries on, on the live deployment.
    const next = await connection.query('SELECT 1');
    expect(next.trace.strategy).toBe('green');
  });

  test('a fetchMany that runs into the loss hands out none of its rows: rowsHandedOut counts what earlier calls returned', async () => {
    const { engine } = env();
    engine.resultFor = () => numbersResult(10, 3);
    const connection = await env().connect();
    const lost: QueryLostEvent[] = [];
    connection.on('queryLost', (e) => lost.push(e));
    engine.on('getNextResultBatch', engine.healthy, { strategy: 'blue', times: 2 });
    engine.on('getNextResultBatch', blueGoesAway, { strategy: 'blue' });
    const cursor = connection.cursor();
    await cursor.execute('SELECT n FROM t');
    expect(await cursor.fetchMany(2)).toEqual([[0n], [1n]]);

    // Rows 2..5 were at hand, the batch after them was lost: the call returns nothing and says the caller has 2 rows.
    const err = await rejectionOf(cursor.fetchMany(6), QueryLostError);

    expect(err.rowsHandedOut).toBe(2);
    expect(err.message).toContain('2 row(s) had been handed out');
    expect(lost).toEqual([expect.objectContaining({ rowsHandedOut: 2, rerun: false })]);
  });

  test('rerunOnLoss: a first fetchMany that had read batches of the lost run gets the new run from its first row, none twice', async () => {
    const { engine } = env();
    engine.resultFor = () => numbersResult(10, 3);
    const connection = await env().connect({ rerunOnLoss: true });
    engine.on('getNextResultBatch', engine.healthy, { strategy: 'blue', times: 2 });
    engine.on('getNextResultBatch', blueGoesAway, { strategy: 'blue' });
    const cursor = connection.cursor();
    await cursor.execute('SELECT n FROM t');

    expect(await cursor.fetchMany(8)).toEqual(numbersResult(8).batches[0]);
    expect(await cursor.fetchAll()).toEqual([[8n], [9n]]);
    expect(cursor.rowCount).toBe(10);
    expect(cursor.trace).toMatchObject({ strategy: 'green', rerun: true, rowsHandedOut: 10 });
    expect(connection.stats()).toMatchObject({ lost: 1, rerun: 1 });
  });

  test('rerunOnLoss: a SELECT that handed out no row runs again, on the live deployment (new prepare there, trace.rerun)', async () => {
    const { engine } = env();
    const connection = await env().connect({ rerunOnLoss: true });
    const lost: QueryLostEvent[] = [];
    connection.on('queryLost', (e) => lost.push(e));
    engine.on('getNextResultBatch', blueGoesAway, { strategy: 'blue' });

    const result = await connection.query('SELECT 1');

    expect(result.rows).toEqual([[1n]]);
    expect(result.trace).toMatchObject({ strategy: 'green', rerun: true, rowsHandedOut: 1 });
    expect(result.trace.retries).toBeGreaterThanOrEqual(1);
    const prepares = engine.callsOf('prepareStatementV2');
    expect(prepares.filter((c) => c.outcome === 'ok').map((c) => c.headers.strategy)).toEqual(['blue', 'green']);
    expect(engine.callsOf('executeStatementV2').map((c) => c.headers.strategy)).toEqual(['blue', 'green']);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ strategy: 'blue', rowsHandedOut: 0, rerun: true });
    expect(connection.stats()).toMatchObject({ lost: 1, rerun: 1 });
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
  });

  test('rerunOnLoss off: the same SELECT raises QueryLostError and is not run again', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.on('getNextResultBatch', blueGoesAway, { strategy: 'blue' });
    const err = await rejectionOf(connection.query('SELECT 1'), QueryLostError);
    expect(err.rowsHandedOut).toBe(0);
    expect(engine.callsOf('prepareStatementV2')).toHaveLength(1);
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
  });

  test.each([
    ['an INSERT', 'INSERT INTO t VALUES (1)'],
    ['a WITH ... INSERT', 'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x'],
    ['a SELECT ... INTO', 'SELECT 1 INTO t2'],
  ])('rerunOnLoss never re-runs %s, even with no row handed out', async (_name, sql) => {
    const { engine } = env();
    const connection = await env().connect({ rerunOnLoss: true });
    engine.on('getNextResultBatch', blueGoesAway, { strategy: 'blue' });
    const err = await rejectionOf(connection.query(sql), QueryLostError);
    expect(err).toMatchObject({ strategy: 'blue', rowsHandedOut: 0 });
    expect(engine.callsOf('prepareStatementV2')).toHaveLength(1);
    expect(engine.callsOf('executeStatementV2')).toHaveLength(1);
    expect(connection.stats().rerun).toBe(0);
  });

  test('456 on execute: the statement never ran, so it is prepared again on the live deployment (an INSERT too)', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const lost: QueryLostEvent[] = [];
    connection.on('queryLost', (e) => lost.push(e));
    const retries: RetryEvent[] = [];
    connection.on('retry', (e) => retries.push(e));
    engine.on('executeStatementV2', blueGoesAway, { strategy: 'blue' });

    const result = await connection.query('INSERT INTO t VALUES (1)');

    expect(result.trace.strategy).toBe('green');
    expect(engine.callsOf('executeStatementV2').map((c) => `${c.headers.strategy}:${c.outcome}`)).toEqual(['blue:failed', 'green:ok']);
    const executed = [...engine.queries.values()].filter((q) => q.executed);
    expect(executed.map((q) => q.strategy)).toEqual(['green']);
    // Not a lost query: nothing had run. The query prepared on blue is left there, and the retry event names it.
    expect(lost).toEqual([]);
    const abandoned = [...engine.queries.values()].find((q) => q.strategy === 'blue')?.queryId;
    expect(abandoned).toEqual(expect.any(String));
    expect(retries).toContainEqual({ method: 'executeStatementV2', reason: 'strategy-mismatch', attempt: 1, delayMs: 0, queryId: abandoned });
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
  });

  test('456 on execute every time: bounded by retry.maxAttempts rounds, then QueryLostError', async () => {
    const { engine } = env();
    engine.takesNewWork.add('green');
    const connection = await env().connect({ retry: { maxAttempts: 2 } });
    engine.always('executeStatementV2', () => {
      throw failures.strategyMismatch();
    });
    const err = await rejectionOf(connection.query('SELECT 1'), QueryLostError);
    expect(err.method).toBe('executeStatementV2');
    expect(engine.callsOf('executeStatementV2')).toHaveLength(2);
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
  });
});
