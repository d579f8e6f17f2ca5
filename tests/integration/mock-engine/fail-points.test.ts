// Fail points through the gateway, seen by a real grpc-js client: each mode
// and each action.
import http2 from 'node:http2';
import { classifyError, decodeChunk, decodeResultMetadata, DecodeError } from '@e6data-ts/grpc-transport';
import { AdminClient, seededRandom } from '@e6data-ts/mock-engine';
import { DEFAULT_CREDENTIALS, login, openQuery, type OpenQuery } from '../../support/engine-client';
import { useMockCluster } from '../../support/mock-cluster';
import { callOutcome, transportFailure } from '../../support/transport-failure';

const BLUE = { headers: { strategy: 'blue' } };

/** Polls `done` every 10 ms for up to 3 s; fails the test when it never holds. */
async function waitFor(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 3_000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}

describe('fail points', () => {
  const mock = useMockCluster({ batchRows: 3, mockTableRows: 100 });
  afterEach(() => {
    mock.cluster.failPoints.clearAll();
    mock.cluster.resetCalls();
  });

  async function openBlueQuery(sql = 'SELECT * FROM mock_table LIMIT 7'): Promise<OpenQuery> {
    const { sessionId } = await login(mock.client, 'blue');
    return openQuery(mock.client, sessionId, sql, { strategy: 'blue' });
  }

  describe('modes', () => {
    it('{ times: n } fails the next n calls, then lets calls through', async () => {
      mock.cluster.failPoints.set('healthCheck', { mode: { times: 2 }, action: { grpcStatus: 14, details: 'flaky' } });
      const results = [];
      for (let i = 0; i < 4; i++) {
        const r = await callOutcome(mock.client.healthCheck({}, BLUE));
        results.push(r === 'ok' ? 'ok' : `${r.grpcCode} ${r.details}`);
      }
      expect(results).toEqual(['14 flaky', '14 flaky', 'ok', 'ok']);
      expect(mock.cluster.failPoints.get('healthCheck')).toMatchObject({ hits: 2, remaining: 0 });
      expect(mock.cluster.calls().counts.healthCheck).toEqual({ blue: { 'fail-point': 2, ok: 2 } });
    });

    it('alwaysOn fails every call; off fails none', async () => {
      mock.cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { grpcStatus: 9 } });
      for (let i = 0; i < 3; i++) expect((await transportFailure(mock.client.healthCheck({}, BLUE))).grpcCode).toBe(9);
      mock.cluster.failPoints.set('healthCheck', { mode: 'off', action: { grpcStatus: 9 } });
      for (let i = 0; i < 3; i++) await expect(mock.client.healthCheck({}, BLUE)).resolves.toEqual({});
    });

    it('{ probability, seed } fails exactly the calls the seeded sequence picks', async () => {
      mock.cluster.failPoints.set('healthCheck', { mode: { probability: 0.4, seed: 2024 }, action: { httpStatus: 500 } });
      const draws = seededRandom(2024);
      const expected = Array.from({ length: 40 }, () => (draws() < 0.4 ? 'fail' : 'ok'));
      const seen = [];
      for (let i = 0; i < 40; i++) seen.push((await callOutcome(mock.client.healthCheck({}, BLUE))) === 'ok' ? 'ok' : 'fail');
      expect(seen).toEqual(expected);
      expect(seen).toContain('fail');
      expect(seen).toContain('ok');
    });

    it('a deployment filter fails only calls for that deployment (fail points act before routing)', async () => {
      mock.cluster.failPoints.set('authenticate', { mode: 'alwaysOn', action: { grpcStatus: 13, details: 'green is broken' }, deployment: 'green' });
      await expect(mock.client.authenticate(DEFAULT_CREDENTIALS, BLUE)).resolves.toBeDefined();
      // Green is not live, so without the fail point this call would get 456.
      const err = await transportFailure(mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'green' } }));
      expect(err.details).toBe('green is broken');
      expect(mock.cluster.calls().counts.authenticate).toEqual({ blue: { ok: 1 }, green: { 'fail-point': 1 } });
    });

    it('a fail point that only delays still leaves routing to refuse a deployment that is not live', async () => {
      mock.cluster.failPoints.set('authenticate', { mode: 'alwaysOn', action: { delayMs: 10 } });
      const err = await transportFailure(mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'green' } }));
      expect(err.details).toBe('Received HTTP status code 456');
      expect(mock.cluster.calls().entries.at(-1)).toMatchObject({ outcome: 'rejected', failPoint: 'authenticate' });
    });

    it("a method's own fail point wins over '*'", async () => {
      mock.cluster.failPoints.set('*', { mode: 'alwaysOn', action: { grpcStatus: 14 } });
      mock.cluster.failPoints.set('healthCheck', { mode: 'off', action: { grpcStatus: 14 } });
      expect((await transportFailure(mock.client.authenticate(DEFAULT_CREDENTIALS, BLUE))).grpcCode).toBe(14);
      // healthCheck's own fail point is off, so the catch-all applies to it as well.
      expect((await transportFailure(mock.client.healthCheck({}, BLUE))).grpcCode).toBe(14);
      mock.cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { grpcStatus: 8 } });
      expect((await transportFailure(mock.client.healthCheck({}, BLUE))).grpcCode).toBe(8);
    });
  });

  describe('actions', () => {
    it('grpcStatus answers with that code and details, any characters kept', async () => {
      const details = 'engine überlastet: 100% busy, retry later (#42)';
      mock.cluster.failPoints.set('status', { mode: 'alwaysOn', action: { grpcStatus: 8, details } });
      const query = await openBlueQuery();
      const err = await transportFailure(mock.client.status(query.ref, { headers: query.headers }));
      expect(err.grpcCode).toBe(8);
      expect(err.details).toBe(details);
      expect(mock.cluster.calls().entries.at(-1)).toMatchObject({ rpc: 'status', outcome: 'fail-point', failPoint: 'status', grpcStatus: 8 });
    });

    it('httpStatus answers at the HTTP level: 503 is UNAVAILABLE, 500 is UNKNOWN, 456 is a strategy mismatch', async () => {
      const cases: Array<[number, number, string]> = [
        [503, 14, 'cluster-suspended'],
        [500, 2, 'fatal'],
        [456, 2, 'strategy-mismatch'],
      ];
      for (const [httpStatus, grpcCode, kind] of cases) {
        mock.cluster.failPoints.set('healthCheck', { mode: { times: 1 }, action: { httpStatus } });
        const err = await transportFailure(mock.client.healthCheck({}, BLUE));
        expect({ httpStatus, code: err.grpcCode, details: err.details, kind: classifyError(err) }).toEqual({
          httpStatus,
          code: grpcCode,
          details: `Received HTTP status code ${httpStatus}`,
          kind,
        });
      }
    });

    it('delayMs holds the call, then forwards it', async () => {
      mock.cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { delayMs: 150 } });
      const started = performance.now();
      await expect(mock.client.healthCheck({}, BLUE)).resolves.toEqual({});
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(mock.cluster.calls().entries.at(-1)).toMatchObject({ outcome: 'ok', failPoint: 'healthCheck' });
    });

    it('delayMs with another action waits first, then acts', async () => {
      mock.cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { delayMs: 100, grpcStatus: 4, details: 'slow and wrong' } });
      const started = performance.now();
      const err = await transportFailure(mock.client.healthCheck({}, BLUE));
      expect(performance.now() - started).toBeGreaterThanOrEqual(90);
      expect(err.grpcCode).toBe(4);
    });

    it('a delayed call the client abandons is dropped at the gateway and logged as cancelled', async () => {
      mock.cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { delayMs: 5_000 } });
      const err = await transportFailure(mock.client.healthCheck({}, { ...BLUE, timeoutMs: 100 }));
      expect(err.grpcCode).toBe(4);
      const deadline = Date.now() + 2_000;
      while (mock.cluster.calls().total === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(mock.cluster.calls().entries[0]).toMatchObject({ rpc: 'healthCheck', outcome: 'cancelled', failPoint: 'healthCheck' });
    });

    it('drop breaks the connection: the client sees a transient transport failure, and the next call reconnects', async () => {
      const query = await openBlueQuery();
      mock.cluster.failPoints.set('getNextResultBatch', { mode: { times: 1 }, action: { drop: true } });
      const err = await transportFailure(mock.client.getNextResultBatch(query.ref, { headers: query.headers }));
      expect(err.grpcCode).toBe(14);
      expect(classifyError(err)).toBe('transient');
      const batch = await mock.client.getNextResultBatch(query.ref, { headers: query.headers });
      expect(decodeChunk(batch.resultBatch).rowCount).toBe(3);
    });

    it('corrupt damages result batches so the codec raises DecodeError, leaving the rest of the answer intact', async () => {
      const query = await openBlueQuery();
      mock.cluster.failPoints.set('getNextResultBatch', { mode: 'alwaysOn', action: { corrupt: true } });
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await mock.client.getNextResultBatch(query.ref, { headers: query.headers }));
      for (const answer of answers) {
        expect(answer.sessionId).toBe(query.ref.sessionId);
        expect(() => decodeChunk(answer.resultBatch)).toThrow(DecodeError);
      }
      // The fourth batch was the empty end-of-result one: even that is turned into bytes no codec accepts.
      expect(answers[3]?.resultBatch.length).toBeGreaterThan(0);
      expect(mock.cluster.calls().counts.getNextResultBatch).toEqual({ blue: { 'fail-point': 4 } });
    });

    it('corrupt damages result metadata so the codec raises DecodeError', async () => {
      const query = await openBlueQuery();
      mock.cluster.failPoints.set('getResultMetadata', { mode: { times: 1 }, action: { corrupt: true } });
      const damaged = await mock.client.getResultMetadata(query.ref, { headers: query.headers });
      expect(() => decodeResultMetadata(damaged.resultMetaData)).toThrow(DecodeError);
      const intact = await mock.client.getResultMetadata(query.ref, { headers: query.headers });
      expect(decodeResultMetadata(intact.resultMetaData).columns.length).toBeGreaterThan(0);
    });

    it("referenceMismatch answers exactly as the reference project's mock does on a wrong strategy", async () => {
      mock.cluster.failPoints.set('authenticate', { mode: 'alwaysOn', action: { referenceMismatch: true }, deployment: 'green' });
      const err = await transportFailure(mock.client.authenticate(DEFAULT_CREDENTIALS, { headers: { strategy: 'green' } }));
      expect(err.grpcCode).toBe(3);
      expect(err.details).toBe('Wrong strategy. Status: 456. Expected: blue, Got: green');
      expect(classifyError(err)).toBe('strategy-mismatch');
      await expect(mock.client.authenticate(DEFAULT_CREDENTIALS, BLUE)).resolves.toBeDefined();
    });

    it('stall (set through the admin API) holds the call unanswered until the client gives up, and frees it then', async () => {
      const admin = new AdminClient(mock.cluster.adminUrl, { timeoutMs: 5_000 });
      await admin.setFailPoint('healthCheck', { mode: 'alwaysOn', action: { stall: true } });
      const started = performance.now();
      const err = await transportFailure(mock.client.healthCheck({}, { ...BLUE, timeoutMs: 300 }));
      expect(err.grpcCode).toBe(4);
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      // The client's reset is what frees the held stream: the call ends as cancelled and nothing is held.
      await waitFor(() => mock.cluster.failPoints.stalledCalls() === 0 && mock.cluster.calls().total === 1);
      expect(mock.cluster.calls().entries[0]).toMatchObject({ rpc: 'healthCheck', outcome: 'cancelled', failPoint: 'healthCheck' });
      expect(await admin.failPoint('healthCheck')).toMatchObject({ action: { stall: true }, hits: 1 });
      await admin.clearFailPoint('healthCheck');
      for (let i = 0; i < 3; i++) await expect(mock.client.healthCheck({}, { ...BLUE, timeoutMs: 5_000 })).resolves.toEqual({});
      expect(mock.cluster.failPoints.stalledCalls()).toBe(0);
    });

    it('stall after delayMs holds calls until their deadlines, several at once, and counts each while held', async () => {
      mock.cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { stall: true, delayMs: 20 } });
      const calls = [0, 1, 2].map(() => transportFailure(mock.client.healthCheck({}, { ...BLUE, timeoutMs: 1_500 })));
      await waitFor(() => mock.cluster.failPoints.stalledCalls() === 3);
      const errors = await Promise.all(calls);
      expect(errors.map((e) => e.grpcCode)).toEqual([4, 4, 4]);
      await waitFor(() => mock.cluster.failPoints.stalledCalls() === 0);
      expect(mock.cluster.calls().counts.healthCheck).toEqual({ blue: { cancelled: 3 } });
    });

    it('stall frees a held call when the client connection closes without resetting it', async () => {
      mock.cluster.failPoints.set('*', { mode: 'alwaysOn', action: { stall: true } });
      const session = http2.connect(`http://${mock.cluster.address}`);
      session.on('error', () => undefined);
      const request = session.request({ ':method': 'POST', ':path': '/QueryEngineService/status', strategy: 'blue', 'content-type': 'application/grpc' });
      request.on('error', () => undefined);
      request.write(Buffer.alloc(5));
      await waitFor(() => mock.cluster.failPoints.stalledCalls() === 1);
      session.destroy();
      await waitFor(() => mock.cluster.failPoints.stalledCalls() === 0);
      expect(mock.cluster.calls().entries[0]).toMatchObject({ rpc: 'status', outcome: 'cancelled', failPoint: '*' });
    });

    it("referenceMismatch names 'None' for a call without a strategy header", async () => {
      mock.cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { referenceMismatch: true } });
      const err = await transportFailure(mock.client.healthCheck({}));
      expect(err.details).toBe('Wrong strategy. Status: 456. Expected: blue, Got: None');
    });
  });
});
