// Rule 2's single flight: every caller refused by the same switch shares one
// detection, so a hundred queries that hit a 456 together log in on each
// deployment at most once.
import { useTestEnvironment } from '../../support/test-environment';

describe('single-flight detection', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('100 concurrent queries that hit 456 together cause exactly one re-detection', async () => {
    const { engine } = env();
    // Default retry budget (50 tokens): each caller's first recovery from a 456 is free of it.
    const connection = await env().connect();
    const detections: unknown[] = [];
    connection.on('detect', (event) => detections.push(event));
    engine.goLive('green');
    const authBefore = engine.callsOf('authenticate').length;

    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => connection.query(`SELECT ${i}`)));

    expect(results.every((r) => r.trace.strategy === 'green')).toBe(true);
    const auth = engine.callsOf('authenticate').slice(authBefore);
    // One detection: blue refused, green took it; no other login.
    expect(auth.map((c) => c.headers.strategy)).toEqual(['blue', 'green']);
    expect(detections).toEqual([{ strategy: 'green', attempts: 2, durationMs: expect.any(Number) }]);
    // The connect's detection and this one.
    expect(connection.stats().detections).toBe(2);
    expect(engine.callsOf('prepareStatementV2', 'blue')).toHaveLength(100);
    expect(engine.callsOf('prepareStatementV2', 'green')).toHaveLength(100);
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
  });

  test('100 concurrent queries on a fresh connection to a known endpoint log in once', async () => {
    const { engine } = env();
    await env().connect();
    // A second connection shares the endpoint's store: it knows blue, and needs only its own session.
    const second = await env().connect();
    await Promise.all(Array.from({ length: 100 }, () => second.query('SELECT 1')));
    expect(engine.callsOf('authenticate')).toHaveLength(2);
    expect(engine.callsOf('authenticate').every((c) => c.headers.strategy === 'blue')).toBe(true);
  });
});
