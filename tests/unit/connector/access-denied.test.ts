// Rule 7: `Access denied` means the engine no longer knows the session: log in
// again on that deployment (once, however many calls noticed) and retry.
import { E6DataError } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { fail, failures, numbersResult } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('rule 7: access denied', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('20 concurrent calls on an expired session: one re-login on that strategy, every call retried and answered', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const reasons: string[] = [];
    connection.on('retry', (e) => reasons.push(e.reason));
    engine.expireSessions('blue');

    const answers = await Promise.all(Array.from({ length: 20 }, () => connection.getSchemaNames()));

    expect(answers.every((a) => a.length === 2)).toBe(true);
    const logins = engine.callsOf('authenticate').slice(1);
    expect(logins.map((c) => c.headers.strategy)).toEqual(['blue']);
    expect(reasons).toEqual(Array.from({ length: 20 }, () => 'access-denied'));
    expect(connection.stats().retries['access-denied']).toBe(20);
    // No re-detection: the strategy was right, only the session was stale.
    expect(connection.stats().detections).toBe(1);
  });

  test('access denied on a running query\'s batch: re-login on the query\'s deployment, the batch read with the new session', async () => {
    const { engine } = env();
    engine.resultFor = () => numbersResult(2, 1);
    const connection = await env().connect();
    const cursor = connection.cursor();
    const queryId = await cursor.execute('SELECT n FROM t');
    expect(await cursor.fetchOne()).toEqual([0n]);
    engine.expireSessions();
    // The prefetch may already hold batch 2; batch 3 (the end) must be fetched with a live session.
    expect(await cursor.fetchAll()).toEqual([[1n]]);
    const batches = engine.callsOf('getNextResultBatch').filter((c) => c.request.queryId === queryId);
    const last = batches[batches.length - 1]!;
    expect(last.outcome).toBe('ok');
    expect(engine.sessions.get(String(last.request.sessionId))).toBe('blue');
    expect(engine.callsOf('authenticate')).toHaveLength(2);
    expect(cursor.trace?.retries).toBe(1);
    await cursor.close();
  });

  test('bounded: a session refused every time stops after retry.maxAttempts, stage rejected', async () => {
    const { engine } = env();
    const connection = await env().connect({ retry: { maxAttempts: 3 } });
    engine.always('getTablesV2', fail(failures.accessDenied));
    const err = await rejectionOf(connection.getTables('main'), E6DataError);
    expect(err).toMatchObject({ code: 'ACCESS_DENIED', stage: 'rejected', method: 'getTablesV2' });
    expect(engine.callsOf('getTablesV2')).toHaveLength(3);
  });
});

describe('rule 7: backoff between re-logins', () => {
  const env = useTestEnvironment({ random: () => 0.5 });

  test('the first recovery goes at once (its cause was just fixed); the next waits a jittered backoff', async () => {
    const delays: number[] = [];
    const { engine } = env();
    const connection = await env().connect({ retry: { maxAttempts: 3, baseDelayMs: 40, maxDelayMs: 1_000 } });
    connection.on('retry', (e) => delays.push(e.delayMs));
    engine.on('getTablesV2', fail(failures.accessDenied), { times: 2 });
    expect(await connection.getTables('main')).toEqual(['orders', 'customers']);
    // Attempt 2 failed: cap min(1000, 40 * 2) = 80, times random() 0.5.
    expect(delays).toEqual([0, 40]);
  });
});
