import nock from 'nock';
import { AdminClient, AdminRequestError, InvalidMockOptionError } from '@e6data-ts/mock-engine';
import { clusterState } from '../../support/cluster-state';
import { rejectionOf } from '../../support/expected-error';

const BASE = 'http://admin.mock.test:9000';

describe('AdminClient', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('reads the state', async () => {
    const scope = nock(BASE).get('/state').reply(200, clusterState({ phase: 'announce', next: 'green' }));
    const client = new AdminClient(`${BASE}/`);
    expect(client.baseUrl).toBe(BASE);
    await expect(client.state()).resolves.toMatchObject({ phase: 'announce', next: 'green' });
    scope.done();
  });

  it('starts a deployment with a JSON body and returns its plan', async () => {
    const plan = { id: 1, from: 'blue', to: 'green', mode: 'graceful', announceMs: 10, drainMs: 20, trigger: 'admin', startedAt: 5 };
    const scope = nock(BASE)
      .post('/deploy', { mode: 'graceful', announceMs: 10, drainMs: 20 })
      .matchHeader('content-type', 'application/json')
      .reply(202, { deployment: plan });
    await expect(new AdminClient(BASE).deploy({ mode: 'graceful', announceMs: 10, drainMs: 20 })).resolves.toEqual(plan);
    scope.done();
  });

  it('deploys with an empty object when given no options', async () => {
    const scope = nock(BASE).post('/deploy', {}).reply(202, { deployment: { id: 2 } });
    await expect(new AdminClient(BASE).deploy()).resolves.toEqual({ id: 2 });
    scope.done();
  });

  it('suspends and resumes', async () => {
    const scope = nock(BASE).post('/suspend').reply(200, { status: 'suspended' }).post('/resume').reply(200, { status: 'resuming' });
    const client = new AdminClient(BASE);
    await expect(client.suspend()).resolves.toBe('suspended');
    await expect(client.resume()).resolves.toBe('resuming');
    scope.done();
  });

  it('sets, reads, lists and clears fail points', async () => {
    const info = { rpc: '*', mode: 'alwaysOn', action: { delayMs: 5 }, deployment: null, hits: 0, remaining: null };
    const scope = nock(BASE)
      .put('/fail-points/*', { mode: 'alwaysOn', action: { delayMs: 5 } })
      .reply(200, info)
      .get('/fail-points/status')
      .reply(200, { ...info, rpc: 'status' })
      .get('/fail-points')
      .reply(200, [info])
      .delete('/fail-points/getNextResultBatch')
      .reply(204)
      .delete('/fail-points')
      .reply(204);
    const client = new AdminClient(BASE);
    await expect(client.setFailPoint('*', { mode: 'alwaysOn', action: { delayMs: 5 } })).resolves.toEqual(info);
    await expect(client.failPoint('status')).resolves.toMatchObject({ rpc: 'status' });
    await expect(client.failPoints()).resolves.toEqual([info]);
    await expect(client.clearFailPoint('getNextResultBatch')).resolves.toBeUndefined();
    await expect(client.clearFailPoints()).resolves.toBeUndefined();
    scope.done();
  });

  it('reads and resets the call log, and reads metrics as text', async () => {
    const snapshot = { total: 1, dropped: 0, limit: 1000, counts: { healthCheck: { blue: { ok: 1 } } }, entries: [] };
    const scope = nock(BASE)
      .get('/calls')
      .reply(200, snapshot)
      .delete('/calls')
      .reply(204)
      .get('/metrics')
      .reply(200, 'e6_mock_suspended 0\n', { 'content-type': 'text/plain; version=0.0.4' });
    const client = new AdminClient(BASE);
    await expect(client.calls()).resolves.toEqual(snapshot);
    await expect(client.resetCalls()).resolves.toBeUndefined();
    await expect(client.metrics()).resolves.toBe('e6_mock_suspended 0\n');
    scope.done();
  });

  it("turns a refusal into ADMIN_HTTP with the status and the server's own message", async () => {
    nock(BASE)
      .post('/deploy')
      .reply(409, { error: { code: 'DEPLOYMENT_IN_PROGRESS', message: 'deployment #1 (blue -> green) is still running' } });
    const err = await rejectionOf(new AdminClient(BASE).deploy(), AdminRequestError);
    expect(err.code).toBe('ADMIN_HTTP');
    expect(err.status).toBe(409);
    expect(err.message).toBe('admin API refused POST /deploy (HTTP 409) DEPLOYMENT_IN_PROGRESS: deployment #1 (blue -> green) is still running');
  });

  it('keeps a non-JSON error body, cut short', async () => {
    nock(BASE).get('/state').reply(502, `<html>${'x'.repeat(500)}</html>`);
    const err = await rejectionOf(new AdminClient(BASE).state(), AdminRequestError);
    expect(err.status).toBe(502);
    expect(err.message.startsWith('admin API refused GET /state (HTTP 502) <html>xxx')).toBe(true);
    expect(err.message.length).toBeLessThan(260);
  });

  it('reports an error body without a message as its raw text', async () => {
    nock(BASE).get('/state').reply(500, { error: {} });
    const err = await rejectionOf(new AdminClient(BASE).state(), AdminRequestError);
    expect(err.message).toBe('admin API refused GET /state (HTTP 500) {"error":{}}');
  });

  it('refuses a success answer that is not JSON', async () => {
    nock(BASE).get('/state').reply(200, 'not json');
    const err = await rejectionOf(new AdminClient(BASE).state(), AdminRequestError);
    expect(err).toMatchObject({ code: 'ADMIN_HTTP', status: 200 });
    expect(err.message).toBe('admin API answered GET /state with a body that is not JSON');
  });

  it('gives up after the time limit with ADMIN_TIMEOUT', async () => {
    nock(BASE).get('/state').delay(300).reply(200, clusterState());
    const err = await rejectionOf(new AdminClient(BASE, { timeoutMs: 50 }).state(), AdminRequestError);
    expect(err.code).toBe('ADMIN_TIMEOUT');
    expect(err.message).toBe('admin API did not answer GET /state within 50 ms');
  });

  it('lets a call set its own time limit', async () => {
    nock(BASE).get('/state').delay(300).reply(200, clusterState());
    const err = await rejectionOf(new AdminClient(BASE, { timeoutMs: 10_000 }).state({ timeoutMs: 30 }), AdminRequestError);
    expect(err.message).toBe('admin API did not answer GET /state within 30 ms');
  });

  it("rethrows the caller's abort reason", async () => {
    nock(BASE).get('/state').delay(300).reply(200, clusterState());
    const controller = new AbortController();
    const reason = new Error('test is over');
    const call = new AdminClient(BASE).state({ signal: controller.signal });
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  it('reports an unreachable API as ADMIN_UNREACHABLE', async () => {
    nock(BASE).get('/state').replyWithError('connect ECONNREFUSED 127.0.0.1:9000');
    const err = await rejectionOf(new AdminClient(BASE).state(), AdminRequestError);
    expect(err.code).toBe('ADMIN_UNREACHABLE');
    expect(err.message).toMatch(/^admin API at http:\/\/admin\.mock\.test:9000 is unreachable \(GET \/state\): /);
  });

  it('refuses a base URL that is not absolute http(s)', () => {
    expect(() => new AdminClient('localhost:9000/x')).toThrow(InvalidMockOptionError);
    expect(() => new AdminClient('/state')).toThrow('baseUrl: must be an absolute http(s) URL such as http://127.0.0.1:9000');
    expect(() => new AdminClient('ftp://h/')).toThrow('baseUrl: must use http or https');
  });

  describe('waitForState', () => {
    it('polls until the predicate holds', async () => {
      const scope = nock(BASE)
        .get('/state')
        .reply(200, clusterState({ phase: 'announce' }))
        .get('/state')
        .reply(200, clusterState({ phase: 'cutover' }))
        .get('/state')
        .reply(200, clusterState({ phase: 'stable', live: 'green' }));
      const sleeps: number[] = [];
      const client = new AdminClient(BASE, {
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
      });
      await expect(client.waitForState((s) => s.phase === 'stable' && s.live === 'green', { intervalMs: 7 })).resolves.toMatchObject({
        live: 'green',
      });
      expect(sleeps).toEqual([7, 7]);
      scope.done();
    });

    it('gives up with ADMIN_TIMEOUT naming the last state seen', async () => {
      nock(BASE).get('/state').times(1_000).reply(200, clusterState());
      const client = new AdminClient(BASE);
      const err = await rejectionOf(client.waitForState((s) => s.live === 'green', { timeoutMs: 100, intervalMs: 10 }), AdminRequestError);
      expect(err.code).toBe('ADMIN_TIMEOUT');
      expect(err.message).toBe('the cluster did not reach the awaited state within 100 ms (last seen: phase stable, live blue)');
    });

    it('passes on errors other than its deadline', async () => {
      nock(BASE).get('/state').reply(500, { error: { code: 'X', message: 'broken' } });
      const err = await rejectionOf(new AdminClient(BASE).waitForState(() => true), AdminRequestError);
      expect(err.status).toBe(500);
    });

    it("rethrows the caller's abort reason", async () => {
      nock(BASE).get('/state').times(1_000).reply(200, clusterState());
      const controller = new AbortController();
      const reason = new Error('stop waiting');
      const client = new AdminClient(BASE, {
        sleep: () => {
          controller.abort(reason);
          return Promise.reject(reason);
        },
      });
      await expect(client.waitForState(() => false, { signal: controller.signal })).rejects.toBe(reason);
    });
  });
});
