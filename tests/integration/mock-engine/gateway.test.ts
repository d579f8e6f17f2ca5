// The gateway in front of two in-process engines: every engine call goes
// through it, routed by the `strategy` header and the request path alone.
import {
  classifyError,
  decodeChunk,
  decodeResultMetadata,
  engineServiceDefinition,
  type CallHeaders,
} from '@e6data-ts/grpc-transport';
import { DEFAULT_CREDENTIALS, login as loginAs, prepareQuery, type OpenQuery } from '../../support/engine-client';
import { useMockCluster } from '../../support/mock-cluster';
import { grpcFrame, rawRequest } from '../../support/raw-http2';
import { transportFailure } from '../../support/transport-failure';

/** A QueryEngineService request, serialised and framed as grpc-js would send it. */
function requestFrame(method: string, request: unknown): Buffer {
  return grpcFrame(engineServiceDefinition()[method]!.requestSerialize(request));
}

describe('gateway', () => {
  const mock = useMockCluster({ batchRows: 4 });
  beforeEach(() => mock.cluster.resetCalls());

  async function login(strategy: string | null = 'blue'): Promise<string> {
    return (await loginAs(mock.client, strategy)).sessionId;
  }

  function prepare(sessionId: string, sql: string, headers: CallHeaders = { strategy: 'blue' }): Promise<OpenQuery> {
    return prepareQuery(mock.client, sessionId, sql, headers);
  }

  it('carries every QueryEngineService call to the live engine and back', async () => {
    const sessionId = await login();
    const blue = { strategy: 'blue' };

    const v1 = await mock.client.prepareStatement({ sessionId, schema: 'main', queryString: 'SELECT * FROM mock_table LIMIT 10', quoting: '' }, { headers: blue });
    const q1 = { engineIP: v1.engineIP, sessionId, queryId: v1.queryId };
    const h1 = { ...blue, plannerIp: v1.engineIP };
    await mock.client.executeStatement({ ...q1, shouldNotCache: false }, { headers: h1 });
    const metadata = decodeResultMetadata((await mock.client.getResultMetadata(q1, { headers: h1 })).resultMetaData);
    expect(metadata.columns.length).toBeGreaterThan(0);
    let rows = 0;
    for (;;) {
      const batch = decodeChunk((await mock.client.getNextResultBatch(q1, { headers: h1 })).resultBatch);
      if (batch.rowCount === 0) break;
      expect(batch.rowCount).toBeLessThanOrEqual(4);
      rows += batch.rowCount;
    }
    expect(rows).toBe(10);
    expect((await mock.client.status(q1, { headers: h1 })).status).toBe(true);
    expect(typeof (await mock.client.explain(q1, { headers: h1 })).explain).toBe('string');
    expect(typeof (await mock.client.explainAnalyze(q1, { headers: h1 })).explainAnalyze).toBe('string');
    await mock.client.clear(q1, { headers: h1 });

    const q2 = await prepare(sessionId, 'SELECT 1, 2, 3');
    await mock.client.executeStatementV2({ ...q2.ref, shouldNotCache: true, params: [] }, { headers: q2.headers });
    await mock.client.cancelQuery(q2.ref, { headers: q2.headers });
    const q3 = await prepare(sessionId, 'SELECT COUNT(*) FROM mock_table');
    await mock.client.clearOrCancelQuery({ ...q3.ref, isDone: true }, { headers: q3.headers });

    await mock.client.dryRunV2({ engineIP: '', sessionId, schema: 'main', queryString: 'SELECT 1', catalog: '' }, { headers: blue });
    expect((await mock.client.getSchemaNames({ sessionId }, { headers: blue })).schemas.length).toBeGreaterThan(0);
    expect((await mock.client.getSchemaNamesV2({ sessionId, catalog: '' }, { headers: blue })).schemas.length).toBeGreaterThan(0);
    expect((await mock.client.getTables({ sessionId, schema: 'main' }, { headers: blue })).tables).toContain('mock_table');
    expect((await mock.client.getTablesV2({ sessionId, schema: 'main', catalog: '' }, { headers: blue })).tables).toContain('mock_table');
    expect((await mock.client.getColumns({ sessionId, schema: 'main', table: 'mock_table' }, { headers: blue })).fieldInfo.length).toBeGreaterThan(0);
    expect((await mock.client.getColumnsV2({ sessionId, schema: 'main', table: 'mock_table', catalog: '' }, { headers: blue })).fieldInfo.length).toBeGreaterThan(0);
    await mock.client.healthCheck({}, { headers: blue });

    const counts = mock.cluster.calls().counts;
    const missed = Object.keys(engineServiceDefinition()).filter((method) => (counts[method]?.blue?.ok ?? 0) === 0);
    expect(missed).toEqual([]);
    expect(Object.values(counts).filter((byDeployment) => byDeployment.green !== undefined)).toEqual([]);
  });

  it('keeps the routing headers it saw in the call log, never the password', async () => {
    const sessionId = await login();
    const q = await prepare(sessionId, 'SELECT 1', { strategy: 'blue', clusterName: 'Cluster-A' });
    await mock.client.clear(q.ref, { headers: q.headers });
    const entries = mock.cluster.calls().entries;
    expect(entries.map((e) => e.rpc)).toEqual(['authenticate', 'prepareStatementV2', 'clear']);
    expect(entries[2]).toMatchObject({
      rpc: 'clear',
      deployment: 'blue',
      strategy: 'blue',
      clusterName: 'cluster-a',
      plannerIp: q.ref.engineIP,
      outcome: 'ok',
      grpcStatus: 0,
      httpStatus: 200,
      failPoint: null,
    });
    expect(JSON.stringify(mock.cluster.calls())).not.toContain(DEFAULT_CREDENTIALS.password);
  });

  it('answers a deployment that is not live with HTTP 456, which grpc-js reports as UNKNOWN', async () => {
    const err = await transportFailure(mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'green' } }));
    expect(err.grpcCode).toBe(2);
    expect(err.details).toBe('Received HTTP status code 456');
    expect(classifyError(err)).toBe('strategy-mismatch');
    expect(mock.cluster.calls().entries[0]).toMatchObject({ rpc: 'authenticate', deployment: 'green', outcome: 'rejected', httpStatus: 456, grpcStatus: null });
  });

  it('sends a bare HTTP 456 (no gRPC status, no body), as a load balancer does', async () => {
    const answer = await rawRequest(
      mock.cluster.port,
      { ':method': 'POST', ':path': '/QueryEngineService/authenticate', 'content-type': 'application/grpc', te: 'trailers', strategy: 'green' },
      requestFrame('authenticate', DEFAULT_CREDENTIALS),
    );
    expect(answer.status).toBe(456);
    expect(answer.headers['grpc-status']).toBeUndefined();
    expect(answer.trailers['grpc-status']).toBeUndefined();
    expect(answer.body.length).toBe(0);
  });

  it('answers 456 to a strategy header that is neither blue nor green (no deployment by that name)', async () => {
    for (const strategy of ['purple', 'Blue', 'blue2', 'blue, green']) {
      const answer = await rawRequest(mock.cluster.port, {
        ':method': 'POST',
        ':path': '/QueryEngineService/healthCheck',
        'content-type': 'application/grpc',
        strategy,
      });
      expect([strategy, answer.status]).toEqual([strategy, 456]);
    }
    expect(mock.cluster.calls().counts.healthCheck).toEqual({ none: { rejected: 4 } });
  });

  it('sends calls without a strategy header to the deployment taking new work', async () => {
    await login(null);
    expect(mock.cluster.calls().entries[0]).toMatchObject({ deployment: 'blue', strategy: null, outcome: 'ok' });
    await mock.cluster.deploy({ mode: 'hard' });
    try {
      mock.cluster.resetCalls();
      await login(null);
      expect(mock.cluster.calls().entries[0]).toMatchObject({ deployment: 'green', outcome: 'ok' });
    } finally {
      await mock.cluster.deploy({ mode: 'hard' });
    }
    expect(mock.cluster.state().live).toBe('blue');
  });

  it("passes the engine's own errors through unchanged (trailers-only answers stay intact)", async () => {
    const wrongToken = await transportFailure(mock.client.authenticate({ user: DEFAULT_CREDENTIALS.user, password: 'not-the-token' }, { headers: { strategy: 'blue' } }));
    expect(wrongToken.grpcCode).toBe(16);
    expect(wrongToken.message).not.toContain('not-the-token');

    const sessionId = await login();
    const badSql = await transportFailure(
      mock.client.prepareStatementV2({ sessionId, schema: 'main', catalog: '', queryString: 'SELEC nonsense', quoting: '' }, { headers: { strategy: 'blue' } }),
    );
    expect(badSql.grpcCode).toBe(3);
    expect(badSql.details).toMatch(/syntax/i);

    const unknown = await transportFailure(mock.client.status({ engineIP: '127.0.0.1', sessionId, queryId: 'no-such-query' }, { headers: { strategy: 'blue' } }));
    expect(unknown.grpcCode).toBe(5);
    expect(unknown.details).toContain('no-such-query');
    expect(mock.cluster.calls().counts.status).toEqual({ blue: { 'grpc-error': 1 } });
  });

  it('never lets a client announce a deployment: its x-mock-announce-strategy header is dropped', async () => {
    const answer = await mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'blue', 'x-mock-announce-strategy': 'green' } as never });
    expect(answer.new_strategy).toBeUndefined();
  });

  it('answers paths that are no gRPC method of the cluster with UNIMPLEMENTED', async () => {
    const unknownService = await rawRequest(mock.cluster.port, { ':method': 'POST', ':path': '/OtherService/call', 'content-type': 'application/grpc' });
    expect(unknownService.status).toBe(200);
    expect(unknownService.headers['grpc-status']).toBe('12');
    expect(unknownService.headers['grpc-message']).toBe('unknown service OtherService');
    const get = await rawRequest(mock.cluster.port, { ':method': 'GET', ':path': '/QueryEngineService/healthCheck' });
    expect(get.headers['grpc-status']).toBe('12');
    expect(get.headers['grpc-message']).toBe('no gRPC method at /QueryEngineService/healthCheck');
    const odd = await rawRequest(mock.cluster.port, { ':method': 'POST', ':path': '/a/b/c' });
    expect(odd.headers['grpc-status']).toBe('12');
    // A method the engine does not have is still forwarded (routing never reads bodies); the engine refuses it.
    const unknownMethod = await rawRequest(
      mock.cluster.port,
      { ':method': 'POST', ':path': '/QueryEngineService/noSuchCall', 'content-type': 'application/grpc', te: 'trailers' },
      Buffer.alloc(5),
    );
    expect(unknownMethod.headers['grpc-status'] ?? unknownMethod.trailers['grpc-status']).toBe('12');
    expect(mock.cluster.calls().counts.noSuchCall).toEqual({ blue: { 'grpc-error': 1 } });
  });

  it('serves many calls at once over one connection', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => mock.client.healthCheck({}, { headers: { strategy: 'blue' } })));
    expect(results).toHaveLength(50);
    expect(mock.cluster.calls().counts.healthCheck).toEqual({ blue: { ok: 50 } });
  });
});
