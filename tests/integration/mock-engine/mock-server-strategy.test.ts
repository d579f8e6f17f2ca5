// The seed's TestMockServerStrategy, made real: its setUp started a mock
// server in a thread and its two tests only said `pass`. Here the mock server
// is the in-process mock cluster, and both tests drive it through grpc-js.
import { classifyError } from '@e6data-ts/grpc-transport';
import { type Strategy } from '@e6data-ts/strategy-core';
import { DEFAULT_CREDENTIALS } from '../../support/engine-client';
import { useMockCluster } from '../../support/mock-cluster';
import { transportFailure } from '../../support/transport-failure';

describe('TestMockServerStrategy', () => {
  // setUp: start the mock server before each test (and wait for it: startMockCluster resolves when it listens).
  const mock = useMockCluster({ mockTableRows: 10 }, { per: 'each' });

  /** The reference client's detection: authenticate with blue, on a 456 with green. */
  async function detect(): Promise<{ strategy: Strategy; sessionId: string; attempts: string[] }> {
    const attempts: string[] = [];
    for (const strategy of ['blue', 'green'] as const) {
      try {
        const { sessionId } = await mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy } });
        attempts.push(`${strategy}:ok`);
        return { strategy, sessionId, attempts };
      } catch (err) {
        if (classifyError(err) !== 'strategy-mismatch') throw err;
        attempts.push(`${strategy}:456`);
      }
    }
    throw new Error(`no deployment took authenticate (${attempts.join(', ')})`);
  }

  it('test_mock_server_strategy_switching: blue works, the server switches, then blue gets 456 and green works', async () => {
    await expect(detect()).resolves.toMatchObject({ strategy: 'blue', attempts: ['blue:ok'] });

    const result = await mock.cluster.deploy({ announceMs: 50, drainMs: 50 });
    expect(result).toMatchObject({ from: 'blue', to: 'green', outcome: 'completed' });

    const blue = await transportFailure(mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'blue' } }));
    expect(blue.grpcCode).toBe(2);
    expect(blue.details).toBe('Received HTTP status code 456');
    await expect(mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'green' } })).resolves.toHaveProperty('sessionId');
    await expect(detect()).resolves.toMatchObject({ strategy: 'green', attempts: ['blue:456', 'green:ok'] });
  });

  it('test_mock_server_456_error_simulation: simulated 456 errors are recognised and recovered from', async () => {
    // A wrong strategy gets the load balancer's 456.
    const wrong = await transportFailure(mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'green' } }));
    expect(wrong.name).toBe('StrategyMismatchError');
    expect(classifyError(wrong)).toBe('strategy-mismatch');

    // A fail point makes the live deployment answer 456 twice: detection tries both, then recovers.
    mock.cluster.failPoints.set('authenticate', { mode: { times: 1 }, action: { httpStatus: 456 }, deployment: 'blue' });
    await expect(detect()).rejects.toThrow('no deployment took authenticate (blue:456, green:456)');
    await expect(detect()).resolves.toMatchObject({ strategy: 'blue', attempts: ['blue:ok'] });

    // The reference mock's own form of the error is recognised as a mismatch too, and detection moves on.
    await mock.cluster.deploy({ mode: 'hard' });
    mock.cluster.failPoints.set('authenticate', { mode: 'alwaysOn', action: { referenceMismatch: true }, deployment: 'blue' });
    const reference = await transportFailure(mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'blue' } }));
    expect(reference.grpcCode).toBe(3);
    expect(reference.details).toBe('Wrong strategy. Status: 456. Expected: green, Got: blue');
    expect(classifyError(reference)).toBe('strategy-mismatch');
    await expect(detect()).resolves.toMatchObject({ strategy: 'green', attempts: ['blue:456', 'green:ok'] });
    expect(mock.cluster.failPoints.get('authenticate')?.hits).toBe(2);
  });
});
