// The test plan's TestStrategyDetectionIntegration, on the in-memory cluster:
// connect() detects the live deployment (blue first, green after a 456), holds
// while both refuse, and turns bad credentials into AuthenticationError.
import { AuthenticationError, CutoverHoldError, StrategyDetectionError } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { fail, failures } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('TestStrategyDetectionIntegration', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('test_strategy_detection_blue_first: one authenticate call, carrying strategy: blue', async () => {
    const connection = await env().connect();
    const auth = env().engine.callsOf('authenticate');
    expect(auth).toHaveLength(1);
    expect(auth[0]!.headers.strategy).toBe('blue');
    expect(auth[0]!.request).toEqual({ user: env().config.username, password: env().config.password });
    expect(connection.strategyStore.getActive()).toBe('blue');
    expect(connection.sessionStrategies()).toEqual(['blue']);
  });

  test('test_strategy_detection_fallback_to_green: blue answers 456, green succeeds, two calls', async () => {
    const { engine } = env();
    engine.goLive('green');
    const connection = await env().connect();
    const auth = engine.callsOf('authenticate');
    expect(auth.map((c) => c.headers.strategy)).toEqual(['blue', 'green']);
    expect(auth[0]!.outcome).toBe('failed');
    expect(auth[1]!.outcome).toBe('ok');
    expect(connection.strategyStore.getActive()).toBe('green');
    expect(connection.sessionStrategies()).toEqual(['green']);
  });

  test('the cluster name goes with every authenticate call, lowercased', async () => {
    await env().connect({ cluster: 'Sales-Cluster' });
    expect(env().engine.callsOf('authenticate')[0]!.headers['cluster-name']).toBe('sales-cluster');
  });

  test('both answer 456: new work waits up to cutoverHoldMs, then CutoverHoldError carrying both attempts', async () => {
    const { engine } = env();
    engine.takesNewWork.clear();
    const started = Date.now();
    const err = await rejectionOf(env().connect({ cutoverHoldMs: 200 }), CutoverHoldError);
    const waited = Date.now() - started;
    expect(err.code).toBe('CUTOVER_HOLD_EXPIRED');
    expect(err.stage).toBe('rejected');
    // It held (re-detecting more than once) instead of failing at the first refusal; very wide margins.
    expect(err.heldMs).toBeLessThan(2_000);
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(engine.callsOf('authenticate').length).toBeGreaterThan(2);
    const cause = err.cause;
    expect(cause).toBeInstanceOf(StrategyDetectionError);
    const detection = cause as StrategyDetectionError;
    expect(detection.code).toBe('STRATEGY_DETECTION_FAILED');
    expect(detection.attempts.map((a) => a.strategy)).toEqual(['blue', 'green']);
    for (const attempt of detection.attempts) expect((attempt.error as { kind: string }).kind).toBe('strategy-mismatch');
  });

  test('bad credentials: AuthenticationError, never retried, without the password in message, stack or JSON', async () => {
    const { engine } = env();
    const password = 'S3cret-Passw0rd!';
    const err = await rejectionOf(env().connect({ password }), AuthenticationError);
    expect(err.code).toBe('AUTHENTICATION_FAILED');
    expect(err.method).toBe('authenticate');
    expect(engine.callsOf('authenticate')).toHaveLength(1);
    expect(err.message).toContain(env().config.username);
    for (const text of [err.message, String(err.stack), JSON.stringify(err), JSON.stringify(err, Object.getOwnPropertyNames(err))]) {
      expect(text).not.toContain(password);
    }
    // The cause chain too: the transport error and the raw failure.
    let cause: unknown = err.cause;
    while (cause instanceof Error) {
      expect(cause.message).not.toContain(password);
      cause = cause.cause;
    }
  });

  test('a server that echoes the password back in a refusal: masked in the connector\'s error and the transport error it wraps', async () => {
    const { engine } = env();
    const password = 'echoed-Secret-123';
    engine.on('authenticate', fail(() => Object.assign(new Error(`16 UNAUTHENTICATED: bad password ${password}`), { code: 16, details: `bad password ${password}` })));
    const err = await rejectionOf(env().connect({ password }), AuthenticationError);
    expect(err.message).not.toContain(password);
    expect(String(err.stack)).not.toContain(password);
    const transport = err.cause as Error & { details?: string };
    expect(transport.message).not.toContain(password);
    expect(transport.message).toContain('***');
    expect(transport.details).not.toContain(password);
  });

  test('a failed connect closes its client', async () => {
    const { engine } = env();
    engine.always('authenticate', fail(failures.badCredentials));
    await rejectionOf(env().connect(), AuthenticationError);
    expect(engine.clients).toHaveLength(1);
    expect(engine.clients[0]!.closed).toBe(true);
  });
});
