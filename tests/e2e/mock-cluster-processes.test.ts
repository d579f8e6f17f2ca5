// The mock cluster across process boundaries: gateway, blue and green each in
// their own process (or container, where Docker runs). Kills and restarts a
// deployment mid-session and drives a deployment over the admin API.
import {
  classifyError,
  createEngineClient,
  decodeChunk,
  type CallHeaders,
  type EngineClient,
  type QueryRef,
  TransportError,
} from '@e6data-ts/grpc-transport';
import { type Strategy } from '@e6data-ts/strategy-core';
import { AdminClient } from '@e6data-ts/mock-engine';
import { e2eRuntime, startE2ECluster, type E2ECluster } from './support/mock-cluster-runtime';

const CREDENTIALS = { user: 'admin@e6data.local', password: 'e6-mock-token' };
// Building the image takes minutes the first time; starting three tsx processes a few seconds.
const START_TIMEOUT_MS = e2eRuntime() === 'docker' ? 600_000 : 90_000;

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(TransportError);
    return err as TransportError;
  }
  throw new Error('expected the call to fail');
}

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

  async function login(strategy: Strategy): Promise<string> {
    return (await client.authenticate(CREDENTIALS, { headers: { strategy } })).sessionId;
  }

  async function open(sessionId: string, strategy: Strategy, sql: string): Promise<{ ref: QueryRef; headers: CallHeaders }> {
    const prep = await client.prepareStatementV2({ sessionId, schema: 'main', catalog: '', queryString: sql, quoting: '' }, { headers: { strategy } });
    const ref = { engineIP: prep.engineIP, sessionId, queryId: prep.queryId };
    const headers = { strategy, plannerIp: prep.engineIP };
    await client.executeStatementV2({ ...ref, shouldNotCache: false, params: [] }, { headers });
    return { ref, headers };
  }

  async function selectOne(strategy: Strategy): Promise<unknown[][]> {
    const sessionId = await login(strategy);
    const query = await open(sessionId, strategy, 'SELECT 1');
    await client.getResultMetadata(query.ref, { headers: query.headers });
    const rows: unknown[][] = [];
    for (;;) {
      const batch = decodeChunk((await client.getNextResultBatch(query.ref, { headers: query.headers })).resultBatch);
      if (batch.rowCount === 0) break;
      rows.push(...batch.rows);
    }
    await client.clear(query.ref, { headers: query.headers });
    return rows;
  }

  it('answers SELECT 1 through the gateway', async () => {
    await expect(selectOne('blue')).resolves.toEqual([[1]]);
    await expect(admin.state()).resolves.toMatchObject({ phase: 'stable', live: 'blue' });
  });

  it('fails calls routed to a killed blue engine with a transient error, and recovers once it is restarted', async () => {
    const sessionId = await login('blue');
    const query = await open(sessionId, 'blue', 'SELECT * FROM mock_table LIMIT 5');
    await cluster.kill('blue');

    const err = await failure(client.getNextResultBatch(query.ref, { headers: query.headers }));
    expect(err.grpcCode).toBe(14);
    expect(classifyError(err)).toBe('transient');
    expect(classifyError(await failure(client.healthCheck({}, { headers: { strategy: 'blue' } })))).toBe('transient');

    await cluster.restart('blue');
    // A restarted engine has forgotten its sessions: the old one is refused as a client expects...
    const stale = await failure(client.getNextResultBatch(query.ref, { headers: query.headers }));
    expect(['access-denied', 'fatal']).toContain(classifyError(stale));
    // ... and a fresh login works again.
    await expect(selectOne('blue')).resolves.toEqual([[1]]);
  }, 120_000);

  it('moves work to green on a deployment started over the admin API (announce crosses the process boundary)', async () => {
    const plan = await admin.deploy({ mode: 'graceful', announceMs: 1_500, drainMs: 500 });
    expect(plan).toMatchObject({ from: 'blue', to: 'green', trigger: 'admin' });

    // The blue engine runs in another process than the gateway: the announcement reached it by header.
    const during = await client.authenticate(CREDENTIALS, { headers: { strategy: 'blue' } });
    expect(during.new_strategy).toBe('green');

    await admin.waitForState((state) => state.phase === 'stable' && state.live === 'green', { timeoutMs: 20_000 });
    const refused = await failure(client.authenticate(CREDENTIALS, { headers: { strategy: 'blue' } }));
    expect(refused.details).toBe('Received HTTP status code 456');
    await expect(selectOne('green')).resolves.toEqual([[1]]);
    const calls = await admin.calls();
    expect(calls.counts.authenticate?.blue?.rejected).toBeGreaterThanOrEqual(1);
    expect(calls.counts.authenticate?.green?.ok).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
