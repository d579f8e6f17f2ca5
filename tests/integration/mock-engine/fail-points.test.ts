// Fail points through the gateway, seen by a real grpc-js client: each mode
// and each action.
import {
  classifyError,
  createEngineClient,
  decodeChunk,
  decodeResultMetadata,
  DecodeError,
  type CallHeaders,
  type EngineClient,
  type QueryRef,
  TransportError,
} from '@e6data-ts/grpc-transport';
import { seededRandom, startMockCluster, type MockCluster } from '@e6data-ts/mock-engine';

const USER = 'admin@e6data.local';
const TOKEN = 'e6-mock-token';
const BLUE = { headers: { strategy: 'blue' } };

async function outcome(promise: Promise<unknown>): Promise<TransportError | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(TransportError);
    return err as TransportError;
  }
}

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const result = await outcome(promise);
  if (result === 'ok') throw new Error('expected the call to fail');
  return result;
}

describe('fail points', () => {
  let cluster: MockCluster;
  let client: EngineClient;

  beforeAll(async () => {
    cluster = await startMockCluster({ batchRows: 3, mockTableRows: 100 });
    client = createEngineClient({ host: cluster.host, port: cluster.port });
  });
  afterAll(async () => {
    client.close();
    await cluster.close();
  });
  afterEach(() => {
    cluster.failPoints.clearAll();
    cluster.resetCalls();
  });

  async function openQuery(sql = 'SELECT * FROM mock_table LIMIT 7'): Promise<{ ref: QueryRef; headers: CallHeaders }> {
    const { sessionId } = await client.authenticate({ user: USER, password: TOKEN }, BLUE);
    const prep = await client.prepareStatementV2({ sessionId, schema: 'main', catalog: '', queryString: sql, quoting: '' }, BLUE);
    const ref = { engineIP: prep.engineIP, sessionId, queryId: prep.queryId };
    const headers = { strategy: 'blue', plannerIp: prep.engineIP };
    await client.executeStatementV2({ ...ref, shouldNotCache: false, params: [] }, { headers });
    return { ref, headers };
  }

  describe('modes', () => {
    it('{ times: n } fails the next n calls, then lets calls through', async () => {
      cluster.failPoints.set('healthCheck', { mode: { times: 2 }, action: { grpcStatus: 14, details: 'flaky' } });
      const results = [];
      for (let i = 0; i < 4; i++) {
        const r = await outcome(client.healthCheck({}, BLUE));
        results.push(r === 'ok' ? 'ok' : `${r.grpcCode} ${r.details}`);
      }
      expect(results).toEqual(['14 flaky', '14 flaky', 'ok', 'ok']);
      expect(cluster.failPoints.get('healthCheck')).toMatchObject({ hits: 2, remaining: 0 });
      expect(cluster.calls().counts.healthCheck).toEqual({ blue: { 'fail-point': 2, ok: 2 } });
    });

    it('alwaysOn fails every call; off fails none', async () => {
      cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { grpcStatus: 9 } });
      for (let i = 0; i < 3; i++) expect((await failure(client.healthCheck({}, BLUE))).grpcCode).toBe(9);
      cluster.failPoints.set('healthCheck', { mode: 'off', action: { grpcStatus: 9 } });
      for (let i = 0; i < 3; i++) await expect(client.healthCheck({}, BLUE)).resolves.toEqual({});
    });

    it('{ probability, seed } fails exactly the calls the seeded sequence picks', async () => {
      cluster.failPoints.set('healthCheck', { mode: { probability: 0.4, seed: 2024 }, action: { httpStatus: 500 } });
      const draws = seededRandom(2024);
      const expected = Array.from({ length: 40 }, () => (draws() < 0.4 ? 'fail' : 'ok'));
      const seen = [];
      for (let i = 0; i < 40; i++) seen.push((await outcome(client.healthCheck({}, BLUE))) === 'ok' ? 'ok' : 'fail');
      expect(seen).toEqual(expected);
      expect(seen).toContain('fail');
      expect(seen).toContain('ok');
    });

    it('a deployment filter fails only calls for that deployment (fail points act before routing)', async () => {
      cluster.failPoints.set('authenticate', { mode: 'alwaysOn', action: { grpcStatus: 13, details: 'green is broken' }, deployment: 'green' });
      await expect(client.authenticate({ user: USER, password: TOKEN }, BLUE)).resolves.toBeDefined();
      // Green is not live, so without the fail point this call would get 456.
      const err = await failure(client.authenticate({ user: USER, password: TOKEN }, { headers: { strategy: 'green' } }));
      expect(err.details).toBe('green is broken');
      expect(cluster.calls().counts.authenticate).toEqual({ blue: { ok: 1 }, green: { 'fail-point': 1 } });
    });

    it('a fail point that only delays still leaves routing to refuse a deployment that is not live', async () => {
      cluster.failPoints.set('authenticate', { mode: 'alwaysOn', action: { delayMs: 10 } });
      const err = await failure(client.authenticate({ user: USER, password: TOKEN }, { headers: { strategy: 'green' } }));
      expect(err.details).toBe('Received HTTP status code 456');
      expect(cluster.calls().entries.at(-1)).toMatchObject({ outcome: 'rejected', failPoint: 'authenticate' });
    });

    it("a method's own fail point wins over '*'", async () => {
      cluster.failPoints.set('*', { mode: 'alwaysOn', action: { grpcStatus: 14 } });
      cluster.failPoints.set('healthCheck', { mode: 'off', action: { grpcStatus: 14 } });
      expect((await failure(client.authenticate({ user: USER, password: TOKEN }, BLUE))).grpcCode).toBe(14);
      // healthCheck's own fail point is off, so the catch-all applies to it as well.
      expect((await failure(client.healthCheck({}, BLUE))).grpcCode).toBe(14);
      cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { grpcStatus: 8 } });
      expect((await failure(client.healthCheck({}, BLUE))).grpcCode).toBe(8);
    });
  });

  describe('actions', () => {
    it('grpcStatus answers with that code and details, any characters kept', async () => {
      const details = 'engine überlastet: 100% busy, retry later (#42)';
      cluster.failPoints.set('status', { mode: 'alwaysOn', action: { grpcStatus: 8, details } });
      const query = await openQuery();
      const err = await failure(client.status(query.ref, { headers: query.headers }));
      expect(err.grpcCode).toBe(8);
      expect(err.details).toBe(details);
      expect(cluster.calls().entries.at(-1)).toMatchObject({ rpc: 'status', outcome: 'fail-point', failPoint: 'status', grpcStatus: 8 });
    });

    it('httpStatus answers at the HTTP level: 503 is UNAVAILABLE, 500 is UNKNOWN, 456 is a strategy mismatch', async () => {
      const cases: Array<[number, number, string]> = [
        [503, 14, 'cluster-suspended'],
        [500, 2, 'fatal'],
        [456, 2, 'strategy-mismatch'],
      ];
      for (const [httpStatus, grpcCode, kind] of cases) {
        cluster.failPoints.set('healthCheck', { mode: { times: 1 }, action: { httpStatus } });
        const err = await failure(client.healthCheck({}, BLUE));
        expect({ httpStatus, code: err.grpcCode, details: err.details, kind: classifyError(err) }).toEqual({
          httpStatus,
          code: grpcCode,
          details: `Received HTTP status code ${httpStatus}`,
          kind,
        });
      }
    });

    it('delayMs holds the call, then forwards it', async () => {
      cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { delayMs: 150 } });
      const started = performance.now();
      await expect(client.healthCheck({}, BLUE)).resolves.toEqual({});
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(cluster.calls().entries.at(-1)).toMatchObject({ outcome: 'ok', failPoint: 'healthCheck' });
    });

    it('delayMs with another action waits first, then acts', async () => {
      cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { delayMs: 100, grpcStatus: 4, details: 'slow and wrong' } });
      const started = performance.now();
      const err = await failure(client.healthCheck({}, BLUE));
      expect(performance.now() - started).toBeGreaterThanOrEqual(90);
      expect(err.grpcCode).toBe(4);
    });

    it('a delayed call the client abandons is dropped at the gateway and logged as cancelled', async () => {
      cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { delayMs: 5_000 } });
      const err = await failure(client.healthCheck({}, { ...BLUE, timeoutMs: 100 }));
      expect(err.grpcCode).toBe(4);
      const deadline = Date.now() + 2_000;
      while (cluster.calls().total === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(cluster.calls().entries[0]).toMatchObject({ rpc: 'healthCheck', outcome: 'cancelled', failPoint: 'healthCheck' });
    });

    it('drop breaks the connection: the client sees a transient transport failure, and the next call reconnects', async () => {
      const query = await openQuery();
      cluster.failPoints.set('getNextResultBatch', { mode: { times: 1 }, action: { drop: true } });
      const err = await failure(client.getNextResultBatch(query.ref, { headers: query.headers }));
      expect(err.grpcCode).toBe(14);
      expect(classifyError(err)).toBe('transient');
      const batch = await client.getNextResultBatch(query.ref, { headers: query.headers });
      expect(decodeChunk(batch.resultBatch).rowCount).toBe(3);
    });

    it('corrupt damages result batches so the codec raises DecodeError, leaving the rest of the answer intact', async () => {
      const query = await openQuery();
      cluster.failPoints.set('getNextResultBatch', { mode: 'alwaysOn', action: { corrupt: true } });
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await client.getNextResultBatch(query.ref, { headers: query.headers }));
      for (const answer of answers) {
        expect(answer.sessionId).toBe(query.ref.sessionId);
        expect(() => decodeChunk(answer.resultBatch)).toThrow(DecodeError);
      }
      // The fourth batch was the empty end-of-result one: even that is turned into bytes no codec accepts.
      expect(answers[3]?.resultBatch.length).toBeGreaterThan(0);
      expect(cluster.calls().counts.getNextResultBatch).toEqual({ blue: { 'fail-point': 4 } });
    });

    it('corrupt damages result metadata so the codec raises DecodeError', async () => {
      const query = await openQuery();
      cluster.failPoints.set('getResultMetadata', { mode: { times: 1 }, action: { corrupt: true } });
      const damaged = await client.getResultMetadata(query.ref, { headers: query.headers });
      expect(() => decodeResultMetadata(damaged.resultMetaData)).toThrow(DecodeError);
      const intact = await client.getResultMetadata(query.ref, { headers: query.headers });
      expect(decodeResultMetadata(intact.resultMetaData).columns.length).toBeGreaterThan(0);
    });

    it("referenceMismatch answers exactly as the reference project's mock does on a wrong strategy", async () => {
      cluster.failPoints.set('authenticate', { mode: 'alwaysOn', action: { referenceMismatch: true }, deployment: 'green' });
      const err = await failure(client.authenticate({ user: USER, password: TOKEN }, { headers: { strategy: 'green' } }));
      expect(err.grpcCode).toBe(3);
      expect(err.details).toBe('Wrong strategy. Status: 456. Expected: blue, Got: green');
      expect(classifyError(err)).toBe('strategy-mismatch');
      await expect(client.authenticate({ user: USER, password: TOKEN }, BLUE)).resolves.toBeDefined();
    });

    it("referenceMismatch names 'None' for a call without a strategy header", async () => {
      cluster.failPoints.set('healthCheck', { mode: 'alwaysOn', action: { referenceMismatch: true } });
      const err = await failure(client.healthCheck({}));
      expect(err.details).toBe('Wrong strategy. Status: 456. Expected: blue, Got: None');
    });
  });
});
