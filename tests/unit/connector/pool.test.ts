// The pool over fake clients: its sizes, acquire timeout, withConnection's
// release on throw, stats, close waiting for borrowed connections, and one
// blue/green state shared by every connection of the pool.
import { AuthenticationError, ClosedError, E6DataError, type Connection, type Pool } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { fail, failures } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

/** Waits until `check` holds, a few milliseconds at a time (generic-pool fills `min` in the background). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('pool', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('min connections are opened up front; nothing more until asked', async () => {
    const { engine } = env();
    const pool = env().pool({ min: 2, max: 4 });
    await eventually(() => pool.stats().available === 2, 'the pool holds min connections');
    expect(pool.stats()).toMatchObject({ size: 2, available: 2, borrowed: 0, pending: 0, min: 2, max: 4 });
    expect(engine.clients).toHaveLength(2);
    // Every connection shares the endpoint's state: one detection, then a login per connection.
    expect(engine.callsOf('authenticate').every((c) => c.headers.strategy === 'blue')).toBe(true);
  });

  test('max bounds the connections; the next borrower waits for a release', async () => {
    const pool = env().pool({ max: 2 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    expect(a).not.toBe(b);
    const waiting = pool.acquire();
    await eventually(() => pool.stats().pending === 1, 'the third acquire waits');
    expect(pool.stats()).toMatchObject({ size: 2, borrowed: 2 });
    await pool.release(a);
    expect(await waiting).toBe(a);
    await pool.release(a);
    await pool.release(b);
    expect(pool.stats()).toMatchObject({ borrowed: 0, available: 2 });
  });

  test('acquire timeout: POOL_ACQUIRE_TIMEOUT, stage not-sent', async () => {
    const pool = env().pool({ max: 1, acquireTimeoutMs: 100 });
    const held = await pool.acquire();
    try {
      const err = await rejectionOf(pool.acquire(), E6DataError);
      expect(err).toMatchObject({ code: 'POOL_ACQUIRE_TIMEOUT', stage: 'not-sent', method: 'acquire' });
    } finally {
      await pool.release(held);
    }
  });

  test('an acquire timeout after an earlier, recovered connect failure still says POOL_ACQUIRE_TIMEOUT', async () => {
    const { engine } = env();
    // The first connection attempt fails once (never sent), the pool's retry succeeds.
    engine.on('authenticate', fail(failures.notSent));
    const pool = env().pool({ max: 1, acquireTimeoutMs: 300 });
    const held = await pool.acquire();
    try {
      const err = await rejectionOf(pool.acquire(), E6DataError);
      expect(err.code).toBe('POOL_ACQUIRE_TIMEOUT');
    } finally {
      await pool.release(held);
    }
  });

  test('a connection that cannot be opened: acquire fails with the reason (bad credentials), not a bare timeout', async () => {
    const { engine } = env();
    engine.always('authenticate', fail(failures.badCredentials));
    const pool = env().pool({ acquireTimeoutMs: 200 });
    const err = await rejectionOf(pool.acquire(), AuthenticationError);
    expect(err.code).toBe('AUTHENTICATION_FAILED');
  });

  test('bad credentials: a waiting acquire fails at the first refusal, and later logins back off instead of storming', async () => {
    const { engine } = env();
    engine.always('authenticate', fail(failures.badCredentials));
    const pool = env().pool({ acquireTimeoutMs: 5_000 });
    const started = Date.now();
    await rejectionOf(pool.acquire(), AuthenticationError);
    // Not held until the 5 s acquire timeout.
    expect(Date.now() - started).toBeLessThan(2_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Without backoff generic-pool re-creates back to back (hundreds of logins in 300 ms).
    expect(engine.callsOf('authenticate').length).toBeLessThan(10);
  });

  test('withConnection releases the connection when the callback throws', async () => {
    const pool = env().pool({ max: 1 });
    const boom = new Error('callback failed');
    let borrowed: Connection | undefined;
    await expect(
      pool.withConnection(async (connection) => {
        borrowed = connection;
        await connection.query('SELECT 1');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(pool.stats()).toMatchObject({ borrowed: 0, available: 1 });
    // The same connection is lent again: it was released, not leaked.
    await pool.withConnection(async (connection) => {
      expect(connection).toBe(borrowed);
      return Promise.resolve();
    });
  });

  test('stats add up the counters of every connection, closed ones included', async () => {
    const { engine } = env();
    const pool = env().pool({ max: 2 });
    await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 2'), pool.query('SELECT 3')]);
    engine.on('getSchemaNamesV2', fail(failures.notSent));
    await pool.withConnection((c) => c.getSchemaNames());
    const stats = pool.stats();
    expect(stats.queries).toBe(3);
    expect(stats.retries.transient).toBe(1);
    // Detection is shared by the callers of one connection; connections opened together may each detect once.
    expect(stats.detections).toBeGreaterThanOrEqual(1);
    expect(stats.detections).toBeLessThanOrEqual(engine.clients.length);
    // A connection closed while borrowed is destroyed on release; its counters stay in the pool's.
    await pool.withConnection(async (c) => {
      await c.query('SELECT 4');
      await c.close();
    });
    expect(pool.stats().queries).toBe(4);
  });

  test('pool.query runs on a borrowed connection and gives it back; events are forwarded', async () => {
    const { engine } = env();
    const pool = env().pool({ max: 1 });
    const reasons: string[] = [];
    pool.on('retry', (e: { reason: string }) => reasons.push(e.reason));
    await pool.query('SELECT 1');
    engine.goLive('green');
    const result = await pool.query('SELECT 1');
    expect(result.trace.strategy).toBe('green');
    expect(reasons).toEqual(['strategy-mismatch']);
    expect(pool.stats().borrowed).toBe(0);
  });

  test('close waits for borrowed connections, then closes them all; later acquires raise ClosedError', async () => {
    const { engine } = env();
    const pool: Pool = env().pool({ max: 2 });
    const borrowed = await pool.acquire();
    await pool.query('SELECT 1');
    let closed = false;
    const closing = pool.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    expect(borrowed.isClosed).toBe(false);
    await rejectionOf(pool.acquire(), ClosedError);
    await pool.release(borrowed);
    await closing;
    expect(borrowed.isClosed).toBe(true);
    expect(engine.clients.every((c) => c.closed)).toBe(true);
    await pool.close();
  });

  test('pool options are checked: ConfigurationError naming the field', async () => {
    expect(() => env().pool({ max: 0 })).toThrow(/max must be at least 1/);
    expect(() => env().pool({ min: 3, max: 2 })).toThrow(/min \(3\) must not exceed max \(2\)/);
    expect(() => env().pool({ acquireTimeoutMs: -1 })).toThrow(/acquireTimeoutMs must be a positive, finite number of milliseconds, got -1/);
    expect(() => env().pool({ min: 1.5 })).toThrow(/min must be an integer >= 0, got 1.5/);
    expect(() => env().pool({ maxx: 2 } as never)).toThrow(/did you mean "max"/);
    await Promise.resolve();
  });
});
