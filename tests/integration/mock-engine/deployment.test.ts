// Blue/green deployments of the in-process cluster, seen through a real gRPC
// client: announce, cutover with drain, hard switch, schedule.
import { classifyError, decodeChunk, type EngineClient } from '@e6data-ts/grpc-transport';
import { type Strategy } from '@e6data-ts/strategy-core';
import { MockClusterError, type ClusterState, type MockCluster, type MockClusterOptions } from '@e6data-ts/mock-engine';
import { login as loginAs, openQuery, type OpenQuery } from '../../support/engine-client';
import { thrownBy } from '../../support/expected-error';
import { type Closable } from '../../support/fixture';
import { startClusterClient } from '../../support/mock-cluster';
import { transportFailure } from '../../support/transport-failure';

async function expect456(promise: Promise<unknown>): Promise<void> {
  const err = await transportFailure(promise);
  expect({ code: err.grpcCode, details: err.details, kind: classifyError(err) }).toEqual({
    code: 2,
    details: 'Received HTTP status code 456',
    kind: 'strategy-mismatch',
  });
}

async function waitFor(cluster: MockCluster, predicate: (state: ClusterState) => boolean, timeoutMs = 10_000): Promise<ClusterState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = cluster.state();
    if (predicate(state)) return state;
    if (Date.now() > deadline) throw new Error(`cluster never reached the awaited state; last: ${state.phase}, live ${state.live}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('blue/green deployments', () => {
  // Each test starts its own cluster, with its own options.
  let cluster: MockCluster;
  let client: EngineClient;
  let running: Closable | undefined;

  async function start(options: MockClusterOptions = {}): Promise<void> {
    const started = await startClusterClient({ batchRows: 5, ...options });
    ({ cluster, client } = started);
    running = started;
  }

  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function login(strategy: Strategy): Promise<{ sessionId: string; newStrategy: string | undefined }> {
    const answer = await loginAs(client, strategy);
    return { sessionId: answer.sessionId, newStrategy: answer.new_strategy };
  }

  function open(sessionId: string, strategy: Strategy, sql: string): Promise<OpenQuery> {
    return openQuery(client, sessionId, sql, { strategy });
  }

  async function fetch(query: OpenQuery): Promise<{ rows: number; newStrategy: string | undefined }> {
    const answer = await client.getNextResultBatch(query.ref, { headers: query.headers });
    return { rows: decodeChunk(answer.resultBatch).rowCount, newStrategy: answer.new_strategy };
  }

  it('graceful: announces, then moves new work to green while an old query drains on blue', async () => {
    await start();
    const { sessionId } = await login('blue');
    const old = await open(sessionId, 'blue', 'SELECT * FROM mock_table LIMIT 40');
    await expect(fetch(old)).resolves.toEqual({ rows: 5, newStrategy: undefined });

    const deployment = cluster.startDeploy({ announceMs: 300, drainMs: 60_000 });
    expect(cluster.state()).toMatchObject({ phase: 'announce', live: 'blue', next: 'green' });

    // Announce: both deployments take all work, every answer names green.
    await expect(fetch(old)).resolves.toEqual({ rows: 5, newStrategy: 'green' });
    await expect(login('blue')).resolves.toMatchObject({ newStrategy: 'green' });
    await expect(login('green')).resolves.toMatchObject({ newStrategy: 'green' });

    await waitFor(cluster, (s) => s.phase === 'cutover');
    expect(cluster.state()).toMatchObject({ live: 'green', draining: 'blue' });

    // Cutover: blue serves the query it holds (still announcing green) ...
    await expect(fetch(old)).resolves.toEqual({ rows: 5, newStrategy: 'green' });
    await expect(client.status(old.ref, { headers: old.headers })).resolves.toMatchObject({ status: true, new_strategy: 'green' });
    // ... but takes no new work ...
    await expect456(client.prepareStatementV2({ sessionId, schema: 'main', catalog: '', queryString: 'SELECT 1', quoting: '' }, { headers: { strategy: 'blue' } }));
    await expect456(login('blue'));
    // ... which green takes, without announcing anything.
    const fresh = await login('green');
    expect(fresh.newStrategy).toBeUndefined();
    const moved = await open(fresh.sessionId, 'green', 'SELECT 1');
    await expect(fetch(moved)).resolves.toEqual({ rows: 1, newStrategy: undefined });
    await client.clear(moved.ref, { headers: moved.headers });

    // The old query runs to its end on blue.
    let rows = 15;
    for (;;) {
      const batch = await fetch(old);
      if (batch.rows === 0) break;
      rows += batch.rows;
    }
    expect(rows).toBe(40);
    await client.clear(old.ref, { headers: old.headers });
    expect(cluster.state().phase).toBe('cutover');

    // Time-based drain: still cutover until drainMs, which a second deployment cannot cut short.
    expect(thrownBy(() => cluster.startDeploy(), MockClusterError)).toMatchObject({ code: 'DEPLOYMENT_IN_PROGRESS' });
    await cluster.close();
    await expect(deployment.done).resolves.toMatchObject({ outcome: 'aborted' });
  });

  it('graceful with endDrainWhenIdle: the drain ends once blue holds no query, then blue refuses everything', async () => {
    await start({ endDrainWhenIdle: true });
    const { sessionId } = await login('blue');
    const old = await open(sessionId, 'blue', 'SELECT * FROM mock_table LIMIT 12');
    const deployment = cluster.startDeploy({ announceMs: 50, drainMs: 60_000 });
    await waitFor(cluster, (s) => s.phase === 'cutover');
    expect(cluster.state().deployments.blue.activeQueries).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(cluster.state().phase).toBe('cutover');
    await expect(fetch(old)).resolves.toMatchObject({ rows: 5 });
    await client.clear(old.ref, { headers: old.headers });

    const result = await deployment.done;
    expect(result).toMatchObject({ outcome: 'completed', from: 'blue', to: 'green' });
    expect(result.finishedAt - result.startedAt).toBeLessThan(10_000);
    expect(cluster.state()).toMatchObject({ phase: 'stable', live: 'green', next: null, draining: null, completed: 1 });
    expect(cluster.state().history.map((h) => h.reason)).toEqual(['initial', 'start', 'announce-elapsed', 'drain-idle']);

    await expect456(client.status(old.ref, { headers: old.headers }));
    await expect456(login('blue'));
    await expect(login('green')).resolves.toMatchObject({ newStrategy: undefined });
  });

  it('graceful with a short drain: a query still running on blue when the drain ends gets 456 on its next call', async () => {
    await start();
    const { sessionId } = await login('blue');
    const old = await open(sessionId, 'blue', 'SELECT * FROM mock_table LIMIT 12');
    await cluster.deploy({ announceMs: 20, drainMs: 100 });
    await expect456(fetch(old));
    expect(cluster.calls().counts.getNextResultBatch).toEqual({ blue: { rejected: 1 } });
  });

  it('hard: the old deployment refuses everything at once, new work goes to the new one', async () => {
    await start();
    const { sessionId } = await login('blue');
    const old = await open(sessionId, 'blue', 'SELECT * FROM mock_table LIMIT 12');
    const result = await cluster.deploy({ mode: 'hard' });
    expect(result).toMatchObject({ mode: 'hard', announceMs: 0, drainMs: 0, outcome: 'completed' });
    expect(cluster.state()).toMatchObject({ phase: 'stable', live: 'green' });

    await expect456(fetch(old));
    await expect456(client.clear(old.ref, { headers: old.headers }));
    await expect456(login('blue'));
    const green = await login('green');
    const fresh = await open(green.sessionId, 'green', 'SELECT 1, 2, 3');
    await expect(fetch(fresh)).resolves.toEqual({ rows: 1, newStrategy: undefined });
    // The session from blue means nothing to green: its engine does not know it.
    const foreign = await transportFailure(client.prepareStatementV2({ sessionId, schema: 'main', catalog: '', queryString: 'SELECT 1', quoting: '' }, { headers: { strategy: 'green' } }));
    expect(classifyError(foreign)).toBe('access-denied');
  });

  it('switches on a schedule when switchEveryMs is set', async () => {
    await start({ switchEveryMs: 150, announceMs: 30, drainMs: 30 });
    expect(cluster.state().switchEveryMs).toBe(150);
    await waitFor(cluster, (s) => s.completed >= 1);
    expect(cluster.state().live).toBe('green');
    await expect(login('green')).resolves.toBeDefined();
    await waitFor(cluster, (s) => s.completed >= 2);
    expect(cluster.state().live).toBe('blue');
    const reasons = cluster.state().history.map((h) => h.reason);
    expect(reasons.slice(0, 7)).toEqual(['initial', 'start', 'announce-elapsed', 'drain-elapsed', 'start', 'announce-elapsed', 'drain-elapsed']);
  });

  it('starts with green live when asked', async () => {
    await start({ live: 'green' });
    await expect456(login('blue'));
    await expect(login('green')).resolves.toBeDefined();
    await expect(cluster.deploy({ mode: 'hard' })).resolves.toMatchObject({ from: 'green', to: 'blue' });
  });
});
