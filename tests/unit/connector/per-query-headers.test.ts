// Rule 4: a query keeps its own strategy, planner address and session from
// prepare to clear, and every call about it carries them, whatever the other
// queries of the connection do meanwhile.
import { announcing, numbersResult } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('rule 4: per-query headers', () => {
  const env = useTestEnvironment();

  test('two queries on two deployments, interleaved: each call carries its own query\'s strategy, plannerip and session', async () => {
    const { engine } = env();
    engine.resultFor = () => numbersResult(4, 1);
    const connection = await env().connect({ cluster: 'Main' });
    // The blue query's first batch announces green; the next query starts there.
    engine.takesNewWork.add('green');
    engine.on('getNextResultBatch', announcing('green'));
    const blueCursor = connection.cursor();
    const blueId = await blueCursor.execute('SELECT n FROM t');
    expect(connection.strategyStore.getPending()).toBe('green');
    expect(await blueCursor.fetchOne()).toEqual([0n]);
    const greenCursor = connection.cursor();
    const greenId = await greenCursor.execute('SELECT n FROM t');

    expect(greenId).toMatch(/^green-/);
    const rows: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      rows.push(await greenCursor.fetchOne(), await blueCursor.fetchOne());
    }
    expect(rows).toEqual([[0n], [1n], [1n], [2n], [2n], [3n]]);
    expect(await blueCursor.status()).toEqual({ ok: true, rowCount: 4 });
    await blueCursor.explain();
    await greenCursor.explainAnalyze();
    await blueCursor.close();
    await greenCursor.close();

    const expected = {
      [blueId]: { strategy: 'blue', plannerip: '10.0.0.1' },
      [greenId]: { strategy: 'green', plannerip: '10.0.0.2' },
    };
    const prepares = engine.callsOf('prepareStatementV2');
    const sessionOf = Object.fromEntries(prepares.map((p) => [String(p.response && (p.response as { queryId: string }).queryId), p.request.sessionId]));
    const perQuery = engine.calls.filter((c) => typeof c.request.queryId === 'string');
    const methods = new Set(perQuery.map((c) => c.method));
    expect(methods).toEqual(new Set(['executeStatementV2', 'getResultMetadata', 'getNextResultBatch', 'status', 'explain', 'explainAnalyze', 'clear']));
    for (const call of perQuery) {
      const queryId = String(call.request.queryId);
      expect({ queryId, method: call.method, ...call.headers }).toEqual({ queryId, method: call.method, ...expected[queryId], 'cluster-name': 'main' });
      expect(call.request.sessionId).toBe(sessionOf[queryId]);
      expect(call.request.engineIP).toBe(expected[queryId]!.plannerip);
    }
    expect(engine.sessions.get(String(sessionOf[blueId]))).toBe('blue');
    expect(engine.sessions.get(String(sessionOf[greenId]))).toBe('green');
  });

  test('work-starting calls carry the strategy and cluster name but no plannerip', async () => {
    const { engine } = env();
    const connection = await env().connect({ cluster: 'main' });
    await connection.getSchemaNames();
    await connection.getTables('main');
    await connection.getColumns('main', 'orders');
    await connection.dryRun('SELECT 1');
    await connection.query('SELECT 1');
    for (const method of ['authenticate', 'getSchemaNamesV2', 'getTablesV2', 'getColumnsV2', 'dryRunV2', 'prepareStatementV2'] as const) {
      const [call] = engine.callsOf(method);
      expect(call?.headers).toEqual({ strategy: 'blue', 'cluster-name': 'main' });
    }
  });

  test('a cursor\'s catalog and database go with its prepare; the connection\'s otherwise', async () => {
    const { engine } = env();
    const connection = await env().connect({ catalog: 'hive', database: 'sales' });
    await connection.query('SELECT 1');
    const cursor = connection.cursor({ catalog: 'iceberg', database: 'finance' });
    await cursor.execute('SELECT 1;  ');
    await cursor.close();
    const [first, second] = engine.callsOf('prepareStatementV2');
    expect(first!.request).toMatchObject({ catalog: 'hive', schema: 'sales', queryString: 'SELECT 1' });
    expect(second!.request).toMatchObject({ catalog: 'iceberg', schema: 'finance', queryString: 'SELECT 1' });
  });
});
