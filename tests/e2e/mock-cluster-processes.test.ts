// The mock cluster across process boundaries: gateway, blue and green each in
// their own process (or container, where Docker runs). Kills and restarts a
// deployment mid-session and drives a deployment over the admin API.
import { classifyError, createEngineClient, type EngineClient } from '@e6data-ts/grpc-transport';
import { AdminClient } from '@e6data-ts/mock-engine';
import { DEFAULT_CREDENTIALS, login, openQuery, selectRows } from '../support/engine-client';
import { transportFailure } from '../support/transport-failure';
import { e2eRuntime, START_TIMEOUT_MS, startE2ECluster, type E2ECluster } from './support/mock-cluster-runtime';

describe(`mock cluster as separate ${e2eRuntime() === 'docker' ? 'containers' : 'processes'}`, () => {
  let cluster: E2ECluster;
  let client: EngineClient;
  let admin: AdminClient;

  beforeAll(async () => {
    cluster = await startE2ECluster({ announceMs: 400, drainMs: 1_000 });
    client = createEngineClient({ host: cluster.host, port: cluster.port, defaultTimeoutMs: 10_000 });
    admin = new AdminClient(cluster.adminUrl);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    client?.close();
    await cluster?.close();
  }, 60_000);

  const selectOne = (strategy: string): Promise<unknown[][]> => selectRows(client, strategy, 'SELECT 1');

  it('answers SELECT 1 through the gateway', async () => {
    await expect(selectOne('blue')).resolves.toEqual([[1]]);
    await expect(admin.state()).resolves.toMatchObject({ phase: 'stable', live: 'blue' });
  });

  it('fails calls routed to a killed blue engine with a transient error, and recovers once it is restarted', async () => {
    const { sessionId } = await login(client, 'blue');
    const query = await openQuery(client, sessionId, 'SELECT * FROM mock_table LIMIT 5', { strategy: 'blue' });
    await cluster.kill('blue');

    const err = await transportFailure(client.getNextResultBatch(query.ref, { headers: query.headers }));
    expect(err.grpcCode).toBe(14);
    expect(classifyError(err)).toBe('transient');
    expect(classifyError(await transportFailure(client.healthCheck({}, { headers: { strategy: 'blue' } })))).toBe('transient');

    await cluster.restart('blue');
    // A restarted engine has forgotten its sessions: the old one is refused as a client expects...
    const stale = await transportFailure(client.getNextResultBatch(query.ref, { headers: query.headers }));
    expect(['access-denied', 'fatal']).toContain(classifyError(stale));
    // ... and a fresh login works again.
    await expect(selectOne('blue')).resolves.toEqual([[1]]);
  }, 120_000);

  it('moves work to green on a deployment started over the admin API (announce crosses the process boundary)', async () => {
    const plan = await admin.deploy({ mode: 'graceful', announceMs: 1_500, drainMs: 500 });
    expect(plan).toMatchObject({ from: 'blue', to: 'green', trigger: 'admin' });

    // The blue engine runs in another process than the gateway: the announcement reached it by header.
    const during = await client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'blue' } });
    expect(during.new_strategy).toBe('green');

    await admin.waitForState((state) => state.phase === 'stable' && state.live === 'green', { timeoutMs: 20_000 });
    const refused = await transportFailure(client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'blue' } }));
    expect(refused.details).toBe('Received HTTP status code 456');
    await expect(selectOne('green')).resolves.toEqual([[1]]);
    const calls = await admin.calls();
    expect(calls.counts.authenticate?.blue?.rejected).toBeGreaterThanOrEqual(1);
    expect(calls.counts.authenticate?.green?.ok).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
