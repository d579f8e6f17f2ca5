// Rule 11: while both deployments refuse new work (a switch in progress) new
// work waits, re-detecting with backoff, up to cutoverHoldMs or the caller's
// deadline; and every retry draws from the endpoint's retry budget.
import { CutoverHoldError, E6DataError } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { fail, failures } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('rule 11: cutover hold', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('both 456: held until cutoverHoldMs, then CutoverHoldError (stage rejected), the waits reported as cutover-hold retries', async () => {
    const { engine } = env();
    const connection = await env().connect({ cutoverHoldMs: 200 });
    const reasons = new Set<string>();
    connection.on('retry', (e) => reasons.add(e.reason));
    engine.takesNewWork.clear();
    const err = await rejectionOf(connection.query('SELECT 1'), CutoverHoldError);
    expect(err).toMatchObject({ code: 'CUTOVER_HOLD_EXPIRED', stage: 'rejected' });
    // It held for about the hold (the last detection round may end a little past it): very wide margins.
    expect(err.heldMs).toBeGreaterThanOrEqual(100);
    expect(err.heldMs).toBeLessThan(2_000);
    expect(err.message).toContain('cutover hold 200 ms');
    // The prepare's own retry never happened: the hold ended it.
    expect(reasons).toEqual(new Set(['cutover-hold']));
    expect(connection.stats().retries['cutover-hold']).toBeGreaterThan(0);
  });

  test('the caller\'s timeoutMs ends the hold first', async () => {
    const { engine } = env();
    const connection = await env().connect({ cutoverHoldMs: 30_000 });
    engine.takesNewWork.clear();
    const started = Date.now();
    const err = await rejectionOf(connection.getSchemaNames({ timeoutMs: 150 }), CutoverHoldError);
    expect(err.message).toContain("the caller's deadline");
    // Very wide margin: what matters is that it did not wait for the 30 s hold.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('the hold ends as soon as a deployment takes new work: the query runs there', async () => {
    const { engine } = env();
    const connection = await env().connect({ cutoverHoldMs: 10_000 });
    engine.takesNewWork.clear();
    const timer = setTimeout(() => engine.goLive('green'), 100);
    try {
      const result = await connection.query('SELECT 1');
      expect(result.trace.strategy).toBe('green');
      expect(result.trace.retries).toBeGreaterThan(1);
    } finally {
      clearTimeout(timer);
    }
  });
});

describe('rule 11: retry budget', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('with retry.budget 3 the 4th retry is refused with RETRY_BUDGET_EXHAUSTED', async () => {
    const { engine } = env();
    const connection = await env().connect({ retry: { budget: 3, maxAttempts: 10, baseDelayMs: 0, maxDelayMs: 0 } });
    engine.always('getSchemaNamesV2', fail(failures.notSent));
    const err = await rejectionOf(connection.getSchemaNames(), E6DataError);
    expect(err).toMatchObject({ code: 'RETRY_BUDGET_EXHAUSTED', stage: 'not-sent', method: 'getSchemaNamesV2' });
    expect(engine.callsOf('getSchemaNamesV2')).toHaveLength(4);
    expect(connection.stats().retries.transient).toBe(3);
  });

  test('the budget belongs to the endpoint: another connection to it finds it spent', async () => {
    const { engine } = env();
    const first = await env().connect({ retry: { budget: 2, baseDelayMs: 0, maxDelayMs: 0 } });
    engine.always('getSchemaNamesV2', fail(failures.notSent));
    await rejectionOf(first.getSchemaNames(), E6DataError);
    const second = await env().connect({ retry: { budget: 2, baseDelayMs: 0, maxDelayMs: 0 } });
    const before = engine.callsOf('getSchemaNamesV2').length;
    const err = await rejectionOf(second.getSchemaNames(), E6DataError);
    expect(err.code).toBe('RETRY_BUDGET_EXHAUSTED');
    expect(engine.callsOf('getSchemaNamesV2').length - before).toBe(1);
  });

  test('successes refill the budget a little', async () => {
    const { engine } = env();
    const connection = await env().connect({ retry: { budget: 1, baseDelayMs: 0, maxDelayMs: 0 } });
    engine.on('getSchemaNamesV2', fail(failures.notSent));
    await connection.getSchemaNames();
    // The one token is spent; ten successes put one back.
    for (let i = 0; i < 10; i++) await connection.getSchemaNames();
    engine.on('getSchemaNamesV2', fail(failures.notSent));
    expect(await connection.getSchemaNames()).toEqual(['main', 'sales']);
  });
});
