// The cutover and chaos schedule against a real mock cluster (no connector).
import { startMockDriver } from '@e6data-ts/drill';
import { startMockCluster, type MockCluster } from '@e6data-ts/mock-engine';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('startMockDriver', () => {
  let cluster: MockCluster;
  beforeAll(async () => {
    cluster = await startMockCluster({ resumeDelayMs: 0 });
  }, 60_000);
  afterAll(async () => {
    await cluster.close();
  });

  it('starts the planned cutovers and switches chaos on and off on time', async () => {
    const errors: string[] = [];
    const driver = startMockDriver({
      cluster,
      cutovers: [
        { atMs: 50, mode: 'graceful' },
        { atMs: 400, mode: 'hard' },
      ],
      chaos: [
        { kind: 'access-denied-storm', startMs: 100, endMs: 300 },
        { kind: 'suspend-resume', startMs: 500, endMs: 700 },
      ],
      announceMs: 50,
      drainMs: 50,
      seed: 3,
      onError: (what) => errors.push(what),
    });
    try {
      await sleep(200);
      expect(cluster.failPoints.list().map((f) => f.rpc).sort()).toEqual(['prepareStatement', 'prepareStatementV2']);
      await sleep(400);
      expect(cluster.failPoints.list()).toEqual([]);
      expect(cluster.state().suspended).toBe(true);
      await sleep(400);
      expect(cluster.state().suspended).toBe(false);
      const state = cluster.state();
      expect(state.completed).toBe(2);
      expect(state.live).toBe('blue');
      expect([...driver.modes.values()]).toEqual(['graceful', 'hard']);
      expect(errors).toEqual([]);
    } finally {
      await driver.stop();
    }
  });

  it('undoes chaos in force and cancels what is left when stopped early', async () => {
    const driver = startMockDriver({
      cluster,
      cutovers: [{ atMs: 5_000, mode: 'graceful' }],
      chaos: [
        { kind: 'transient-unavailable', startMs: 10, endMs: 5_000 },
        { kind: 'suspend-resume', startMs: 20, endMs: 5_000 },
      ],
      announceMs: 50,
      drainMs: 50,
      seed: 3,
    });
    const completed = cluster.state().completed;
    await sleep(100);
    expect(cluster.failPoints.list()).toHaveLength(2);
    expect(cluster.state().suspended).toBe(true);
    await driver.stop();
    expect(cluster.failPoints.list()).toEqual([]);
    expect(cluster.state().suspended).toBe(false);
    await sleep(50);
    expect(cluster.state().completed).toBe(completed);
  });
});
