// The test plan's TestQueryExecutionIntegration: a prepare that announces
// `new_strategy: green` makes green pending; the query that got that answer
// stays on blue from execute to clear; the next query starts on green; pending
// is promoted once blue's last query has ended.
import { announcing } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('TestQueryExecutionIntegration', () => {
  const env = useTestEnvironment();

  test('test_query_execution_with_strategy_transition: pending set, the query stays on blue, prepare and execute called once', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const store = connection.strategyStore;
    engine.on('prepareStatementV2', announcing('green'));
    engine.takesNewWork.add('green');

    const cursor = connection.cursor({ catalog: 'test_catalog' });
    const queryId = await cursor.execute('SELECT 1');
    expect(queryId).toMatch(/^blue-q/);
    expect(store.getActive()).toBe('blue');
    expect(store.getPending()).toBe('green');
    expect(store.snapshot().queries).toEqual({ blue: 1, green: 0 });
    expect(engine.callsOf('prepareStatementV2')).toHaveLength(1);
    expect(engine.callsOf('executeStatementV2')).toHaveLength(1);
    expect(engine.callsOf('prepareStatementV2')[0]!.request).toMatchObject({ catalog: 'test_catalog', queryString: 'SELECT 1' });

    expect(await cursor.fetchAll()).toEqual([[1n]]);
    await cursor.close();
    for (const method of ['executeStatementV2', 'getResultMetadata', 'getNextResultBatch', 'clear'] as const) {
      const calls = engine.callsOf(method).filter((c) => c.request.queryId === queryId);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        expect(call.headers.strategy).toBe('blue');
        expect(call.headers.plannerip).toBe('10.0.0.1');
        expect(call.request.sessionId).toBe(engine.callsOf('prepareStatementV2')[0]!.request.sessionId);
      }
    }
    // The query ended: blue drained, green promoted.
    expect(store.getActive()).toBe('green');
    expect(store.getPending()).toBeNull();
    expect(store.snapshot().queries).toEqual({ blue: 0, green: 0 });
  });

  test('the next query starts on green (logging in there) while the first still runs on blue', async () => {
    const { engine } = env();
    engine.resultFor = () => ({ columns: [{ name: 'n', type: 'LONG' }], batches: [[[1n]], [[2n]], [[3n]]] });
    const connection = await env().connect();
    const store = connection.strategyStore;
    engine.on('prepareStatementV2', announcing('green'));
    engine.takesNewWork.add('green');

    const first = connection.cursor();
    const firstId = await first.execute('SELECT n FROM t');
    expect(await first.fetchOne()).toEqual([1n]);

    const second = await connection.query('SELECT 2');
    expect(second.trace.strategy).toBe('green');
    expect(second.trace.moved).toBe(true);
    expect(engine.callsOf('authenticate').map((c) => c.headers.strategy)).toEqual(['blue', 'green']);
    const secondPrepare = engine.callsOf('prepareStatementV2')[1]!;
    expect(secondPrepare.headers.strategy).toBe('green');
    expect(engine.sessions.get(String(secondPrepare.request.sessionId))).toBe('green');
    // Still blue's query running: no promotion yet.
    expect(store.getActive()).toBe('blue');
    expect(store.getPending()).toBe('green');

    expect(await first.fetchAll()).toEqual([[2n], [3n]]);
    for (const call of engine.callsOf('getNextResultBatch').filter((c) => c.request.queryId === firstId)) expect(call.headers.strategy).toBe('blue');
    expect(first.trace).toMatchObject({ strategy: 'blue', moved: false, rowsHandedOut: 3 });
    expect(store.getActive()).toBe('green');
    await first.close();
    await connection.query('SELECT 3');
    expect(engine.callsOf('prepareStatementV2')[2]!.headers.strategy).toBe('green');
  });

  test('an announcement while no query runs is applied at once (nothing waits for idle)', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.on('getSchemaNamesV2', announcing('green'));
    await connection.getSchemaNames();
    expect(connection.strategyStore.getActive()).toBe('green');
    expect(connection.strategyStore.getPending()).toBeNull();
  });
});
