// The admin HTTP API of an in-process cluster, through AdminClient and raw
// requests (for the error answers a typed client never provokes).
import { AdminClient, AdminRequestError, type AdminErrorBody } from '@e6data-ts/mock-engine';
import { DEFAULT_CREDENTIALS } from '../../support/engine-client';
import { useMockCluster } from '../../support/mock-cluster';
import { rejectionOf } from '../../support/expected-error';

describe('admin API', () => {
  const mock = useMockCluster({ mockTableRows: 10, announceMs: 50, drainMs: 50 });
  let admin: AdminClient;

  beforeAll(() => {
    admin = new AdminClient(mock.cluster.adminUrl, { timeoutMs: 5_000 });
  });
  afterEach(() => {
    mock.cluster.failPoints.clearAll();
    mock.cluster.resetCalls();
  });

  async function raw(method: string, path: string, body?: string): Promise<{ status: number; json: unknown; headers: Headers }> {
    const response = await fetch(`${mock.cluster.adminUrl}${path}`, { method, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, json: text === '' ? null : (JSON.parse(text) as unknown), headers: response.headers };
  }

  it('listens on 127.0.0.1 on an ephemeral port', () => {
    expect(mock.cluster.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.cluster.adminUrl).not.toBe('http://127.0.0.1:0');
  });

  it('GET /state reports phase, live, power, both deployments with their active queries, and history', async () => {
    const state = await admin.state();
    expect(state).toMatchObject({
      phase: 'stable',
      live: 'blue',
      next: null,
      draining: null,
      power: 'active',
      suspended: false,
      deployment: null,
      deployments: {
        blue: { host: '127.0.0.1', port: mock.cluster.engines.blue.port, activeQueries: 0 },
        green: { host: '127.0.0.1', port: mock.cluster.engines.green.port, activeQueries: 0 },
      },
    });
    expect(state.history[0]).toMatchObject({ phase: 'stable', description: 'stable(blue)', reason: 'initial' });
    const trailing = await raw('GET', '/state/');
    expect(trailing.status).toBe(200);
  });

  it('POST /deploy starts a deployment, answers 202 with its plan and 409 while it runs', async () => {
    const plan = await admin.deploy({ mode: 'graceful', announceMs: 100, drainMs: 100 });
    expect(plan).toMatchObject({ id: expect.any(Number), from: 'blue', to: 'green', mode: 'graceful', trigger: 'admin' });
    const busy = await raw('POST', '/deploy', '{}');
    expect(busy.status).toBe(409);
    expect(busy.json).toEqual({ error: { code: 'DEPLOYMENT_IN_PROGRESS', message: expect.stringContaining('is still running') } });
    const done = await admin.waitForState((s) => s.phase === 'stable' && s.live === 'green', { timeoutMs: 5_000 });
    expect(done.history.map((h) => h.description).slice(-3)).toEqual(['announce(green)', 'cutover(blue->green)', 'stable(green)']);
    // And back with the defaults (announce and drain set when the cluster started).
    await admin.deploy({ mode: 'hard' });
    expect((await admin.state()).live).toBe('blue');
  });

  it('refuses bad deploy requests with 400 naming the problem', async () => {
    const cases: Array<[string, string]> = [
      ['{"mode":"slow"}', "mode: must be 'graceful' or 'hard'"],
      ['{"to":"red"}', "to: must be 'blue' or 'green'"],
      ['{"drainMs":-1}', 'drainMs: must be a whole number of milliseconds, 0 or more'],
      ['{"announceMs":"1s"}', 'announceMs: must be a whole number of milliseconds, 0 or more'],
      ['{"mode":"hard","force":true}', 'body: unknown field "force"; allowed: to, mode, announceMs, drainMs'],
      ['[1]', 'body: must be a JSON object like {"mode":"graceful","to":"green"}'],
    ];
    for (const [body, message] of cases) {
      const answer = await raw('POST', '/deploy', body);
      expect([body, answer.status, answer.json]).toEqual([body, 400, { error: { code: 'INVALID_BODY', message } }]);
    }
    expect(await raw('POST', '/deploy', '{"to":"blue"}')).toMatchObject({ status: 409, json: { error: { code: 'ALREADY_LIVE', message: 'to: blue is already live' } } });
    const badJson = await raw('POST', '/deploy', '{"mode":');
    expect(badJson.status).toBe(400);
    expect(badJson.json).toEqual({ error: { code: 'BAD_JSON', message: expect.stringMatching(/^the body is not valid JSON: /) } });
    expect((await admin.state()).deployment).toBeNull();
  });

  it('POST /suspend and /resume take no fields, refusing unknown ones as /deploy does', async () => {
    for (const route of ['/suspend', '/resume']) {
      expect(await raw('POST', route, '{"force":true}')).toMatchObject({
        status: 400,
        json: { error: { code: 'INVALID_BODY', message: `body: unknown field "force"; ${route} takes no fields` } },
      });
      expect(await raw('POST', route, '[]')).toMatchObject({ status: 400, json: { error: { code: 'INVALID_BODY', message: `body: must be empty or {} on ${route}` } } });
    }
    expect((await admin.state()).suspended).toBe(false);
    expect(await raw('POST', '/suspend', '{}')).toMatchObject({ status: 200, json: { status: 'suspended' } });
    expect(await raw('POST', '/resume', '')).toMatchObject({ status: 200, json: { status: 'active' } });
  });

  it('POST /suspend and /resume switch the cluster off and on', async () => {
    await expect(admin.suspend()).resolves.toBe('suspended');
    expect((await admin.state()).suspended).toBe(true);
    await expect(mock.client.healthCheck({})).rejects.toMatchObject({ details: 'Received HTTP status code 503' });
    await expect(admin.resume()).resolves.toBe('active');
    await expect(mock.client.healthCheck({})).resolves.toEqual({});
  });

  it('manages fail points: PUT, GET one, GET all, DELETE one, DELETE all', async () => {
    const info = await admin.setFailPoint('healthCheck', { mode: { times: 1 }, action: { grpcStatus: 14, details: 'from admin' } });
    expect(info).toEqual({ rpc: 'healthCheck', mode: { times: 1 }, action: { grpcStatus: 14, details: 'from admin' }, deployment: null, hits: 0, remaining: 1 });
    await expect(mock.client.healthCheck({})).rejects.toMatchObject({ grpcCode: 14, details: 'from admin' });
    await expect(admin.failPoint('healthCheck')).resolves.toMatchObject({ hits: 1, remaining: 0 });
    await admin.setFailPoint('*', { mode: 'off', action: { delayMs: 1 } });
    expect((await admin.failPoints()).map((p) => p.rpc)).toEqual(['healthCheck', '*']);
    await admin.clearFailPoint('healthCheck');
    await expect(admin.failPoint('healthCheck')).rejects.toMatchObject({ status: 404 });
    await admin.clearFailPoints();
    await expect(admin.failPoints()).resolves.toEqual([]);
  });

  it('refuses bad fail point requests with 4xx naming the problem', async () => {
    const unknown = await raw('PUT', '/fail-points/notAMethod', '{"mode":"alwaysOn","action":{"delayMs":1}}');
    expect(unknown).toMatchObject({ status: 404, json: { error: { code: 'UNKNOWN_RPC' } } });
    expect((unknown.json as AdminErrorBody).error.message).toMatch(/^no QueryEngineService method "notAMethod" Valid: \*, authenticate, .*getNextResultBatch/);
    const typo = await raw('PUT', '/fail-points/getNextResultBach', '{"mode":"alwaysOn","action":{"delayMs":1}}');
    expect(typo).toMatchObject({ status: 404, json: { error: { code: 'UNKNOWN_RPC' } } });
    expect((typo.json as AdminErrorBody).error.message).toMatch(/^no QueryEngineService method "getNextResultBach"; did you mean getNextResultBatch\? Valid: /);
    expect(await raw('GET', '/fail-points/HEALTHCHECK')).toMatchObject({ status: 404, json: { error: { message: expect.stringContaining('did you mean healthCheck?') } } });
    expect(await raw('DELETE', '/fail-points/nope')).toMatchObject({ status: 404, json: { error: { code: 'UNKNOWN_RPC' } } });
    expect(await raw('PUT', '/fail-points/status', '{"mode":"alwaysOn","action":{"corrupt":true}}')).toMatchObject({
      status: 400,
      json: { error: { message: 'action.corrupt: applies to getNextResultBatch or getResultMetadata only, not status' } },
    });
    expect(await raw('PUT', '/fail-points/status')).toMatchObject({ status: 400, json: { error: { code: 'BAD_JSON', message: 'the request needs a JSON body' } } });
    expect(await raw('PUT', '/fail-points/%E0%A4%A', '{}')).toMatchObject({ status: 400, json: { error: { code: 'BAD_PATH' } } });
    expect(await raw('DELETE', '/fail-points/status')).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND', message: 'no fail point is set on status' } } });
    const tooBig = await raw('PUT', '/fail-points/status', JSON.stringify({ mode: 'alwaysOn', action: { grpcStatus: 2, details: 'x'.repeat(70_000) } }));
    expect(tooBig).toMatchObject({ status: 413, json: { error: { code: 'BODY_TOO_LARGE' } } });
    expect(await admin.failPoints()).toEqual([]);
  });

  it('GET /calls returns the call log and counts; DELETE /calls resets them', async () => {
    await mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'blue', clusterName: 'Test' } });
    await mock.client.healthCheck({}, { headers: { strategy: 'green' } }).catch(() => undefined);
    const calls = await admin.calls();
    expect(calls.total).toBe(2);
    expect(calls.counts).toEqual({ authenticate: { blue: { ok: 1 } }, healthCheck: { green: { rejected: 1 } } });
    expect(calls.entries[0]).toMatchObject({ rpc: 'authenticate', strategy: 'blue', clusterName: 'test' });
    expect(JSON.stringify(calls)).not.toContain(DEFAULT_CREDENTIALS.password);
    await admin.resetCalls();
    await expect(admin.calls()).resolves.toMatchObject({ total: 0, entries: [], counts: {} });
  });

  it('GET /metrics serves Prometheus text built from the live cluster', async () => {
    await mock.client.healthCheck({});
    await mock.client.healthCheck({}, { headers: { strategy: 'green' } }).catch(() => undefined);
    mock.cluster.failPoints.set('status', { mode: 'off', action: { delayMs: 1 } });
    const response = await fetch(`${mock.cluster.adminUrl}/metrics`);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('e6_mock_calls_total{rpc="healthCheck",deployment="blue",outcome="ok"} 1\n');
    expect(text).toContain('e6_mock_calls_total{rpc="healthCheck",deployment="green",outcome="rejected"} 1\n');
    expect(text).toContain('e6_mock_phase{phase="stable"} 1\n');
    expect(text).toContain('e6_mock_live{deployment="blue"} 1\n');
    expect(text).toContain('e6_mock_active_queries{deployment="blue"} 0\n');
    expect(text).toContain('e6_mock_fail_point_hits_total{rpc="status"} 0\n');
    expect(text).toMatch(/e6_mock_deployments_completed_total \d+\n/);
    await expect(admin.metrics()).resolves.toBe(mock.cluster.metrics());
  });

  it('answers unknown routes with 404 and wrong methods with 405, both as JSON', async () => {
    expect(await raw('GET', '/nope')).toMatchObject({
      status: 404,
      json: { error: { code: 'NOT_FOUND', message: 'no admin route GET /nope; routes: /state, /deploy, /suspend, /resume, /fail-points, /calls, /metrics' } },
    });
    const wrong = await raw('DELETE', '/state');
    expect(wrong).toMatchObject({ status: 405, json: { error: { code: 'METHOD_NOT_ALLOWED', message: 'DELETE is not allowed on /state; use GET' } } });
    expect(wrong.headers.get('allow')).toBe('GET');
    expect((await raw('GET', '/deploy')).headers.get('allow')).toBe('POST');
    expect((await raw('POST', '/fail-points/status', '{}')).headers.get('allow')).toBe('PUT, DELETE, GET');
  });

  it('typed client errors carry the status and the server message', async () => {
    const caught = await rejectionOf(admin.deploy({ to: 'blue' }), AdminRequestError);
    expect(caught).toMatchObject({ code: 'ADMIN_HTTP', status: 409, message: 'admin API refused POST /deploy (HTTP 409) ALREADY_LIVE: to: blue is already live' });
  });
});
