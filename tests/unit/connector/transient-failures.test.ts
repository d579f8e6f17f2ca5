// Rule 9: transient transport failures are retried with backoff when sending
// the call again does no harm (an idempotent call, or one that never left);
// execute is never sent twice after a failure that may have reached an engine.
import { E6DataError } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { fail, failures, numbersResult } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('rule 9: transient failures', () => {
  const env = useTestEnvironment({ random: () => 0.5 });

  test('Connection dropped on execute: never re-sent, stage ambiguous', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.on('executeStatementV2', fail(failures.dropped));
    const err = await rejectionOf(connection.query('INSERT INTO t VALUES (1)'), E6DataError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', stage: 'ambiguous', kind: 'transient', method: 'executeStatementV2' });
    expect(err.queryId).toMatch(/^blue-q/);
    expect(engine.callsOf('executeStatementV2')).toHaveLength(1);
    expect(engine.callsOf('prepareStatementV2')).toHaveLength(1);
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
  });

  test('Connection dropped on a batch read: not re-sent either (a batch may have been consumed), stage ambiguous', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.on('getNextResultBatch', fail(failures.dropped));
    const err = await rejectionOf(connection.query('SELECT 1'), E6DataError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', stage: 'ambiguous', method: 'getNextResultBatch' });
    expect(engine.callsOf('getNextResultBatch')).toHaveLength(1);
  });

  test('Connection dropped on status (idempotent): retried with backoff', async () => {
    const { engine } = env();
    engine.resultFor = () => numbersResult(2, 1);
    const connection = await env().connect({ retry: { baseDelayMs: 20, maxDelayMs: 1_000 } });
    const retries: unknown[] = [];
    connection.on('retry', (e) => retries.push(e));
    const cursor = connection.cursor();
    const queryId = await cursor.execute('SELECT n FROM t');
    engine.on('status', fail(failures.dropped), { times: 2 });
    expect(await cursor.status()).toEqual({ ok: true, rowCount: 2 });
    expect(engine.callsOf('status')).toHaveLength(3);
    // Full jitter with random() 0.5: attempt 1 waits 0.5 * 20, attempt 2 waits 0.5 * 40.
    expect(retries).toEqual([
      { method: 'status', reason: 'transient', attempt: 1, delayMs: 10, queryId },
      { method: 'status', reason: 'transient', attempt: 2, delayMs: 20, queryId },
    ]);
    expect(cursor.trace?.retries).toBe(2);
    await cursor.close();
  });

  test('No connection established on prepare (never sent): retried', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.on('prepareStatementV2', fail(failures.notSent));
    const result = await connection.query('SELECT 1');
    expect(result.rows).toEqual([[1n]]);
    expect(engine.callsOf('prepareStatementV2').map((c) => c.outcome)).toEqual(['failed', 'ok']);
    expect(result.trace.retries).toBe(1);
  });

  test('No connection established on execute: it never left, so it is sent again', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.on('executeStatementV2', fail(failures.notSent));
    await connection.query('INSERT INTO t VALUES (1)');
    expect(engine.callsOf('executeStatementV2').map((c) => c.outcome)).toEqual(['failed', 'ok']);
  });

  test('bounded by retry.maxAttempts: the last failure is raised with its stage', async () => {
    const { engine } = env();
    const connection = await env().connect({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    engine.always('getSchemaNamesV2', fail(failures.notSent));
    const err = await rejectionOf(connection.getSchemaNames(), E6DataError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', stage: 'not-sent' });
    expect(err.message).toContain('gave up after 2 attempts');
    expect(engine.callsOf('getSchemaNamesV2')).toHaveLength(2);
  });

  test('a fatal engine error is not retried at all', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.on('prepareStatementV2', fail(() => Object.assign(new Error('3 INVALID_ARGUMENT: syntax error'), { code: 3, details: 'syntax error at or near "SELEC"' })));
    const err = await rejectionOf(connection.query('SELEC 1'), E6DataError);
    expect(err).toMatchObject({ code: 'CALL_FAILED', stage: 'executed', kind: 'fatal' });
    expect(engine.callsOf('prepareStatementV2')).toHaveLength(1);
  });

  test('no retry wait starts that would end past the caller\'s deadline', async () => {
    const { engine } = env();
    const connection = await env().connect({ retry: { baseDelayMs: 10_000, maxDelayMs: 10_000 } });
    engine.always('getSchemaNamesV2', fail(failures.notSent));
    const started = Date.now();
    const err = await rejectionOf(connection.getSchemaNames({ timeoutMs: 1_000 }), E6DataError);
    expect(err.code).toBe('DEADLINE_EXCEEDED');
    expect(err.stage).toBe('not-sent');
    // It gave up at once instead of sleeping 5 s: a very wide margin.
    expect(Date.now() - started).toBeLessThan(900);
    expect(engine.callsOf('getSchemaNamesV2')).toHaveLength(1);
  });
});
