// Sessions (credentials, idle expiry on an injected clock, 'Access denied'),
// engine options, initSql, and the engine's own life cycle (listen, close).
import { createEngineClient, grpc, loadServices, type EngineClient, type QueryRef } from '@e6data-ts/grpc-transport';
import { DEFAULT_USERS, EngineError, startEngine, type EngineLogger, type EngineOptions } from '@e6data-ts/mock-engine';
import { useMockEngine } from '../../support/mock-engine';
import { rejectionOf } from '../../support/expected-error';
import { grpcFailure } from '../../support/transport-failure';

const [admin] = DEFAULT_USERS;
const USER = admin!.user;
const TOKEN = admin!.token;

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000): { now(): number; advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** The EngineError startEngine fails with (an engine that did start is closed, and the test fails). */
function startError(options: EngineOptions): Promise<EngineError> {
  return rejectionOf(startEngine(options).then((engine) => engine.close()), EngineError);
}

describe('credentials', () => {
  const mock = useMockEngine({ name: 'green', seed: false, users: [{ user: USER, token: TOKEN }, { user: 'analyst@e6data.local', token: 'second-token' }] });

  test('each configured user logs in with its own token; session ids are random and distinct', async () => {
    const first = await mock.client.authenticate({ user: USER, password: TOKEN });
    const second = await mock.client.authenticate({ user: 'analyst@e6data.local', password: 'second-token' });
    const third = await mock.client.authenticate({ user: USER, password: TOKEN, userNameForImpersonation: 'someone' });
    expect(new Set([first.sessionId, second.sessionId, third.sessionId]).size).toBe(3);
    expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.engineIP).toBe(mock.engine.host);
    expect(mock.engine.sessionCount()).toBeGreaterThanOrEqual(3);
  });

  test.each([
    ['a wrong token', USER, 'e6-wrong-token-value'],
    ['another user’s token', USER, 'second-token'],
    ['an unknown user', 'nobody@e6data.local', TOKEN],
    ['an empty token', USER, ''],
  ])('%s is UNAUTHENTICATED', async (_label, user, password) => {
    const { code, details } = await grpcFailure(mock.client.authenticate({ user, password }));
    expect(code).toBe(grpc.status.UNAUTHENTICATED);
    expect(details).toMatch(/authentication failed for user/);
  });

  test('the refusal never echoes the token (checked on the raw gRPC error, which the client does not mask)', async () => {
    const { QueryEngineService } = loadServices();
    type RawAuthenticate = (request: { user: string; password: string }, callback: (error: grpc.ServiceError | null) => void) => void;
    const raw = new QueryEngineService(`${mock.engine.host}:${mock.engine.port}`, grpc.credentials.createInsecure()) as unknown as grpc.Client & { authenticate: RawAuthenticate };
    try {
      const error = await new Promise<grpc.ServiceError>((resolve, reject) => {
        raw.authenticate({ user: USER, password: 'super-secret-token-123' }, (err) => (err ? resolve(err) : reject(new Error('authenticate should fail'))));
      });
      expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(error.details).not.toContain('super-secret-token-123');
      expect(error.details).toContain(USER);
    } finally {
      raw.close();
    }
  });

  test('an unknown session id is INTERNAL "Access denied" on session calls', async () => {
    const unknown = 'no-such-session';
    const ref: QueryRef = { engineIP: '', sessionId: unknown, queryId: 'q' };
    const calls: Promise<unknown>[] = [
      mock.client.prepareStatement({ sessionId: unknown, schema: '', queryString: 'SELECT 1', quoting: '' }),
      mock.client.prepareStatementV2({ sessionId: unknown, schema: '', catalog: '', queryString: 'SELECT 1', quoting: '' }),
      mock.client.getResultMetadata(ref),
      mock.client.status(ref),
      mock.client.getSchemaNamesV2({ sessionId: unknown, catalog: '' }),
      mock.client.getTables({ sessionId: unknown, schema: '' }),
      mock.client.getColumnsV2({ sessionId: unknown, schema: '', table: 't', catalog: '' }),
      mock.client.dryRunV2({ engineIP: '', sessionId: unknown, schema: '', catalog: '', queryString: 'SELECT 1' }),
    ];
    for (const call of calls) {
      const { code, details } = await grpcFailure(call);
      expect(code).toBe(grpc.status.INTERNAL);
      expect(details).toContain('Access denied');
    }
  });
});

describe('session expiry on the injected clock', () => {
  const IDLE_MS = 60_000;
  let clock: ReturnType<typeof manualClock>;
  // A fresh engine per test, on a fresh clock.
  const mock = useMockEngine(
    () => {
      clock = manualClock();
      return { name: 'blue', sessionIdleMs: IDLE_MS, clock, mockTableRows: 10_000 };
    },
    { per: 'each' },
  );

  async function preparedQuery(sessionId: string): Promise<QueryRef> {
    const { queryId, engineIP } = await mock.client.prepareStatementV2({ sessionId, schema: '', catalog: '', queryString: 'SELECT * FROM range(2500)', quoting: '' });
    return { queryId, engineIP, sessionId };
  }

  test('a session used within the idle time stays; each use restarts the idle time', async () => {
    const { sessionId } = await mock.client.authenticate({ user: USER, password: TOKEN });
    for (let i = 0; i < 3; i += 1) {
      clock.advance(IDLE_MS - 1);
      expect((await mock.client.getSchemaNames({ sessionId })).schemas).toContain('main');
    }
    expect(mock.engine.sessionCount()).toBe(1);
  });

  test('after the idle time every call on the session answers INTERNAL "Access denied", as real clusters do', async () => {
    const { sessionId } = await mock.client.authenticate({ user: USER, password: TOKEN });
    const query = await preparedQuery(sessionId);
    await mock.client.executeStatementV2({ ...query, shouldNotCache: false, params: [] });
    clock.advance(IDLE_MS);
    expect(mock.engine.sessionCount()).toBe(0);
    const { code, details } = await grpcFailure(mock.client.getNextResultBatch(query));
    expect(code).toBe(grpc.status.INTERNAL);
    expect(details).toMatch(/^Access denied/);
    for (const call of [
      mock.client.prepareStatementV2({ sessionId, schema: '', catalog: '', queryString: 'SELECT 1', quoting: '' }),
      mock.client.status(query),
      mock.client.getTablesV2({ sessionId, schema: '', catalog: '' }),
    ]) {
      expect(await grpcFailure(call)).toMatchObject({ code: grpc.status.INTERNAL, details: expect.stringContaining('Access denied') });
    }
  });

  test('after logging in again, a query keeps going under the new session of the same user', async () => {
    const first = await mock.client.authenticate({ user: USER, password: TOKEN });
    const query = await preparedQuery(first.sessionId);
    await mock.client.executeStatementV2({ ...query, shouldNotCache: false, params: [] });
    await mock.client.getNextResultBatch(query);
    clock.advance(IDLE_MS - 1);
    await mock.client.getNextResultBatch(query);
    clock.advance(IDLE_MS);
    expect((await grpcFailure(mock.client.getNextResultBatch(query))).details).toContain('Access denied');
    const second = await mock.client.authenticate({ user: USER, password: TOKEN });
    const again = { ...query, sessionId: second.sessionId };
    expect((await mock.client.getNextResultBatch(again)).sessionId).toBe(second.sessionId);
    expect((await mock.client.getNextResultBatch(again)).resultBatch).toHaveLength(0);
    expect(await mock.client.status(again)).toMatchObject({ status: true, rowCount: '2500' });
    await mock.client.clear(again);
  });

  test('queries nobody touched for twice the idle time are freed at the next login or prepare', async () => {
    const { sessionId } = await mock.client.authenticate({ user: USER, password: TOKEN });
    const abandoned = await preparedQuery(sessionId);
    expect(mock.engine.activeQueryCount()).toBe(1);
    clock.advance(IDLE_MS);
    await mock.client.authenticate({ user: USER, password: TOKEN });
    expect(mock.engine.activeQueryCount()).toBe(1);
    clock.advance(IDLE_MS);
    const fresh = await mock.client.authenticate({ user: USER, password: TOKEN });
    expect(mock.engine.activeQueryCount()).toBe(0);
    expect(await grpcFailure(mock.client.status({ ...abandoned, sessionId: fresh.sessionId }))).toMatchObject({
      code: grpc.status.NOT_FOUND,
      details: expect.stringMatching(/expired after being idle/),
    });
  });
});

describe('options', () => {
  test.each<[string, Partial<EngineOptions>, RegExp]>([
    ['an unknown deployment name', { name: 'purple' as 'blue' }, /^name: must be 'blue' or 'green'/],
    ['a port out of range', { port: 70_000 }, /^port: must be an integer from 0 to 65535/],
    ['a zero batch size', { batchRows: 0 }, /^batchRows: must be an integer/],
    ['no users', { users: [] }, /^users: at least one user is needed/],
    ['a user without a token', { users: [{ user: 'u', token: '' }] }, /^users\[0\]\.token: must be a non-empty string/],
    ['a negative idle time', { sessionIdleMs: -1 }, /^sessionIdleMs: must be positive/],
    ['a non-text init script', { initSql: [42 as unknown as string] }, /^initSql: must be a list of SQL texts/],
    ['an empty host', { host: ' ' }, /^host: must be a non-empty string/],
    ['a fractional mock_table size', { mockTableRows: 1.5 }, /^mockTableRows: must be an integer/],
  ])('%s is refused before anything starts', async (_label, options, message) => {
    const error = await startError({ name: 'blue', ...options });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toMatch(message);
  });

  test('a port already taken is a clear error', async () => {
    const first = await startEngine({ name: 'blue', seed: false });
    // grpc-js logs the failed bind itself; keep it out of the test output.
    const grpcLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const error = await startError({ name: 'green', seed: false, port: first.port });
      expect(error.message).toMatch(new RegExp(`deployment green cannot listen on 127\\.0\\.0\\.1:${first.port}`));
    } finally {
      grpcLog.mockRestore();
      await first.close();
    }
  });

  test('initSql runs after the seed; with seed: false instead of it', async () => {
    const script = 'CREATE TABLE main.extra AS SELECT COUNT(*) AS n FROM main.mock_table; CREATE SCHEMA reports;';
    const seeded = await startEngine({ name: 'blue', mockTableRows: 10_500, initSql: [script, 'CREATE TABLE reports.r AS SELECT 1 AS x'] });
    const bare = await startEngine({ name: 'green', seed: false, initSql: ['CREATE TABLE t AS SELECT 42 AS answer'] });
    const clients = [seeded, bare].map((e) => createEngineClient({ host: e.host, port: e.port }));
    try {
      const [seededClient, bareClient] = clients as [EngineClient, EngineClient];
      const s1 = (await seededClient.authenticate({ user: USER, password: TOKEN })).sessionId;
      expect((await seededClient.getTablesV2({ sessionId: s1, catalog: '', schema: 'main' })).tables).toEqual(['extra', 'mock_table']);
      expect((await seededClient.getTablesV2({ sessionId: s1, catalog: '', schema: 'reports' })).tables).toEqual(['r']);
      const s2 = (await bareClient.authenticate({ user: USER, password: TOKEN })).sessionId;
      expect((await bareClient.getTablesV2({ sessionId: s2, catalog: '', schema: '' })).tables).toEqual(['t']);
      expect((await bareClient.getSchemaNamesV2({ sessionId: s2, catalog: '' })).schemas).toEqual(['main']);
    } finally {
      clients.forEach((c) => c.close());
      await Promise.all([seeded.close(), bare.close()]);
    }
  });

  test('a failing init script stops the start with INIT_SQL_FAILED naming the script', async () => {
    const error = await startError({ name: 'blue', seed: false, initSql: ['SELECT 1', 'CREATE TABLE broken AS SELEC 1'] });
    expect(error.code).toBe('INIT_SQL_FAILED');
    expect(error.message).toMatch(/^initSql script 2 failed: Parser Error/);
  });
});

describe('life cycle', () => {
  test('listens on an ephemeral port, logs, and close() is idempotent and refuses later calls', async () => {
    const lines: string[] = [];
    const logger: EngineLogger = {
      info: (message) => lines.push(`info ${message}`),
      warn: (message) => lines.push(`warn ${message}`),
      error: (message) => lines.push(`error ${message}`),
    };
    const engine = await startEngine({ name: 'green', seed: false, logger });
    expect(engine.port).toBeGreaterThan(0);
    expect(engine).toMatchObject({ name: 'green', host: '127.0.0.1' });
    const client = createEngineClient({ host: engine.host, port: engine.port, defaultTimeoutMs: 2_000 });
    try {
      expect(await client.healthCheck({})).toEqual({});
      await Promise.all([engine.close(), engine.close()]);
      await engine.close();
      const { code } = await grpcFailure(client.healthCheck({}));
      expect(code).toBe(grpc.status.UNAVAILABLE);
      expect(lines).toEqual(['info engine listening', 'info engine closed']);
    } finally {
      client.close();
    }
  });

  test('close() interrupts a running query and frees every query and session', async () => {
    const engine = await startEngine({ name: 'blue', seed: false });
    const client = createEngineClient({ host: engine.host, port: engine.port });
    try {
      const { sessionId } = await client.authenticate({ user: USER, password: TOKEN });
      const prepared = await client.prepareStatementV2({ sessionId, schema: '', catalog: '', queryString: 'SELECT COUNT(*) FROM range(100000000000) AS t(i) WHERE i % 7 = 3', quoting: '' });
      const query = { sessionId, queryId: prepared.queryId, engineIP: prepared.engineIP };
      await client.prepareStatementV2({ sessionId, schema: '', catalog: '', queryString: 'SELECT 1', quoting: '' });
      await client.executeStatementV2({ ...query, shouldNotCache: false, params: [] });
      const waiting = grpcFailure(client.getResultMetadata(query));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(engine.activeQueryCount()).toBe(2);
      const started = performance.now();
      await engine.close();
      expect(performance.now() - started).toBeLessThan(2_000);
      expect((await waiting).code).toBe(grpc.status.CANCELLED);
      expect(engine.activeQueryCount()).toBe(0);
      expect(engine.sessionCount()).toBe(0);
    } finally {
      client.close();
      await engine.close();
    }
  });
});
