import { ABANDONED_KIND, startWorkload, type DrillClient, type DrillTrace } from '@e6data-ts/drill';

const TRACE: DrillTrace = { strategy: 'blue', retries: 0, moved: false, rerun: false };

interface FakeCall {
  readonly sql: string;
  readonly signal: AbortSignal | undefined;
}

/** A client whose queries end after `latencyMs`, or fail/ignore aborts as told. */
function fakeClient(opts: { latencyMs?: number; fail?: (sql: string) => Error | undefined; ignoreAbort?: boolean } = {}): DrillClient & { calls: FakeCall[]; dispose(): void } {
  const calls: FakeCall[] = [];
  const timers = new Set<NodeJS.Timeout>();
  return {
    calls,
    dispose: () => timers.forEach((timer) => clearTimeout(timer)),
    query: (sql, options) => {
      calls.push({ sql, signal: options?.signal });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const failure = opts.fail?.(sql);
          if (failure !== undefined) reject(failure);
          else resolve({ rows: 1, trace: TRACE });
        }, opts.latencyMs ?? 5);
        timers.add(timer);
        if (opts.ignoreAbort !== true) {
          options?.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(Object.assign(new Error('cancelled'), { name: 'QueryCancelledError', code: 'QUERY_CANCELLED', stage: 'executed' }));
          });
        }
      });
    },
    subscribe: () => () => undefined,
    detections: () => 0,
    close: () => Promise.resolve(),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('startWorkload', () => {
  it('closed loop: keeps exactly N queries in flight and runs every query of the mix', async () => {
    const client = fakeClient({ latencyMs: 5 });
    let most = 0;
    const workload = startWorkload({
      client, queries: ['A', 'B', 'C'], workers: 4, rate: null, queryTimeoutMs: 1_000, random: () => 0.5,
      onStart: (inFlight) => {
        most = Math.max(most, inFlight);
      },
    });
    await sleep(150);
    const { samples, dropped, abandoned } = await workload.stop(1_000);
    expect(most).toBe(4);
    expect(dropped).toBe(0);
    expect(abandoned).toBe(0);
    expect(samples.length).toBeGreaterThan(8);
    expect(samples.every((s) => s.cls === 'ok' && s.deployment === 'blue')).toBe(true);
    const counts = ['A', 'B', 'C'].map((sql) => client.calls.filter((c) => c.sql === sql).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(4);
    expect(workload.progress().inFlight).toBe(0);
  });

  it('records failures with their class and kind and keeps going', async () => {
    const lost = Object.assign(new Error('gone'), { name: 'QueryLostError', code: 'QUERY_LOST', stage: 'executed', strategy: 'green' });
    const client = fakeClient({ latencyMs: 2, fail: (sql) => (sql === 'BAD' ? lost : undefined) });
    const workload = startWorkload({ client, queries: ['GOOD', 'BAD'], workers: 2, rate: null, queryTimeoutMs: 1_000, random: () => 0 });
    await sleep(80);
    const { samples } = await workload.stop(1_000);
    const bad = samples.filter((s) => s.cls === 'lost');
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((s) => s.errorKind === 'QueryLostError/QUERY_LOST' && s.deployment === 'green')).toBe(true);
    expect(samples.some((s) => s.cls === 'ok')).toBe(true);
  });

  it('does not starve its own stop when every query fails at once', async () => {
    const client: DrillClient = { ...fakeClient(), query: () => Promise.reject(new Error('down')) };
    const workload = startWorkload({ client, queries: ['A'], workers: 3, rate: null, queryTimeoutMs: 1_000, random: Math.random });
    await sleep(30);
    const { samples } = await workload.stop(100);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((s) => s.cls === 'lost' && s.errorKind === 'Error')).toBe(true);
  });

  it('open loop: starts at the rate and counts starts with no free worker as dropped', async () => {
    // 1 worker, queries of 100 ms, 100 starts/s: about 9 in 10 starts find the worker busy.
    const client = fakeClient({ latencyMs: 100 });
    const workload = startWorkload({ client, queries: ['A'], workers: 1, rate: 100, queryTimeoutMs: 1_000, random: () => 0 });
    await sleep(400);
    const { samples, dropped } = await workload.stop(1_000);
    expect(dropped).toBeGreaterThan(10);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.length).toBeLessThanOrEqual(6);
  });

  it('at stop waits for queries in flight up to the limit, then aborts them and counts them as abandoned', async () => {
    const client = fakeClient({ latencyMs: 10_000 });
    const workload = startWorkload({ client, queries: ['SLOW'], workers: 2, rate: null, queryTimeoutMs: 60_000, random: () => 0 });
    await sleep(20);
    const began = Date.now();
    const { samples, abandoned } = await workload.stop(100);
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(abandoned).toBe(2);
    expect(samples).toHaveLength(2);
    expect(samples.every((s) => s.cls === 'lost' && s.errorKind === ABANDONED_KIND)).toBe(true);
    expect(client.calls.every((c) => c.signal?.aborted === true)).toBe(true);
  });

  it('writes off queries that ignore the abort, so stop never hangs', async () => {
    const client = fakeClient({ latencyMs: 30_000, ignoreAbort: true });
    const workload = startWorkload({ client, queries: ['STUCK'], workers: 1, rate: null, queryTimeoutMs: 60_000, random: () => 0 });
    await sleep(10);
    const { samples, abandoned } = await workload.stop(50);
    expect(abandoned).toBe(1);
    expect(samples[0]?.errorKind).toBe(ABANDONED_KIND);
    client.dispose();
  }, 10_000);
});
