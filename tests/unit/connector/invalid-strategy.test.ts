// Rule 10: an invalid strategy value from anywhere is ignored with a warning,
// never cached and never sent.
import { announcing } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('rule 10: invalid strategy values', () => {
  const env = useTestEnvironment();

  test.each(['prepareStatementV2', 'getNextResultBatch', 'authenticate'] as const)('new_strategy "purple" in a %s answer: ignored with a warning through the logger, never cached', async (method) => {
    const { engine } = env();
    engine.on(method, announcing('purple'));
    const connection = await env().connect();
    await connection.query('SELECT 1');
    await connection.query('SELECT 2');
    const store = connection.strategyStore;
    expect(store.getActive()).toBe('blue');
    expect(store.getPending()).toBeNull();
    const warnings = env().logs.filter((l) => l.level === 'warn');
    expect(warnings.map((l) => l.message)).toEqual(['e6data: ignoring an invalid new_strategy in a response']);
    expect(JSON.stringify(warnings[0]!.fields)).toContain('purple');
    // Every call still went to blue.
    expect(new Set(engine.calls.map((c) => c.headers.strategy))).toEqual(new Set(['blue']));
  });

  test('a valid value in another case is accepted ("GREEN")', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.on('getSchemaNamesV2', announcing('GREEN'));
    await connection.getSchemaNames();
    expect(connection.strategyStore.getActive()).toBe('green');
  });

  test('an announcement of the active strategy changes nothing', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const changes: unknown[] = [];
    connection.on('strategyChange', (e) => changes.push(e));
    engine.on('getSchemaNamesV2', announcing('blue'));
    await connection.getSchemaNames();
    expect(changes).toEqual([]);
    expect(connection.strategyStore.getPending()).toBeNull();
  });
});
