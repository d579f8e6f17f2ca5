// Rule 5: a 456 on a call that starts work (prepare, schema calls) means the
// cached strategy is stale: forget it, detect again, retry; bounded by
// retry.maxAttempts.
import { E6DataError } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { fail, failures } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('rule 5: 456 on a work-starting call', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('456 on prepare: the strategy is forgotten, detection finds green, the prepare is retried there', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const changes: string[] = [];
    const retries: unknown[] = [];
    connection.on('strategyChange', (e) => changes.push(`${e.reason}:${String(e.to)}`));
    connection.on('retry', (e) => retries.push(e));
    engine.goLive('green');

    const result = await connection.query('SELECT 1');

    expect(engine.callsOf('prepareStatementV2').map((c) => `${c.headers.strategy}:${c.outcome}`)).toEqual(['blue:failed', 'green:ok']);
    expect(engine.callsOf('executeStatementV2').map((c) => c.headers.strategy)).toEqual(['green']);
    expect(changes).toEqual(['cleared:null', 'set:green']);
    expect(retries).toEqual([{ method: 'prepareStatementV2', reason: 'strategy-mismatch', attempt: 1, delayMs: 0 }]);
    expect(result.trace).toMatchObject({ strategy: 'green', retries: 1, rerun: false });
    expect(result.rows).toEqual([[1n]]);
  });

  test('456 on a schema call: re-detected and retried the same way', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.goLive('green');
    expect(await connection.getSchemaNames()).toEqual(['main', 'sales']);
    expect(engine.callsOf('getSchemaNamesV2').map((c) => c.headers.strategy)).toEqual(['blue', 'green']);
    expect(connection.strategyStore.getActive()).toBe('green');
  });

  test('bounded: a prepare refused every time gives up after retry.maxAttempts calls, stage rejected', async () => {
    const { engine } = env();
    const connection = await env().connect({ retry: { maxAttempts: 3 } });
    engine.always('prepareStatementV2', fail(failures.strategyMismatch));
    const err = await rejectionOf(connection.query('SELECT 1'), E6DataError);
    expect(err.code).toBe('STRATEGY_MISMATCH');
    expect(err.stage).toBe('rejected');
    expect(err.method).toBe('prepareStatementV2');
    expect(err.message).toContain('gave up after 3 attempts');
    expect(engine.callsOf('prepareStatementV2')).toHaveLength(3);
    expect(engine.callsOf('executeStatementV2')).toHaveLength(0);
  });
});
