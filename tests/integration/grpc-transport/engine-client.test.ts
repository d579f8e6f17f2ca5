// The engine client against a real grpc-js server on loopback: typed round
// trips, headers on the wire, deadlines, aborts, message sizes, typed errors,
// and the ClusterService client.
import {
  AccessDeniedError,
  CallAbortedError,
  DeadlineExceededError,
  TransportError,
  UnavailableError,
  classifyError,
  createClusterClient,
  createEngineClient,
  grpc,
  readNewStrategy,
  type EngineClient,
} from '@e6data-ts/grpc-transport';
import { closedPort, startGrpcServer, type RunningServer, type UnaryHandler } from './servers';

const PASSWORD = 'e6-mock-token';
const TEN_MB = 10 * 1024 * 1024;

interface Seen {
  method: string;
  headers: Record<string, unknown>;
  request: Record<string, unknown>;
}

/** The headers the client chose to send, without the ones grpc-js adds itself. */
function e6Headers(metadata: grpc.Metadata): Record<string, unknown> {
  const own = new Set(['user-agent', 'grpc-accept-encoding', 'grpc-encoding', 'content-type', 'te', 'grpc-timeout']);
  return Object.fromEntries(Object.entries(metadata.getMap()).filter(([key]) => !own.has(key)));
}

describe('engine client over a real grpc-js server', () => {
  let server: RunningServer;
  let client: EngineClient;
  const seen: Seen[] = [];
  const cancelled: string[] = [];
  // Calls the server holds open until the client gives up.
  const held = new Set<grpc.ServerUnaryCall<Record<string, unknown>, unknown>>();

  const record = (method: string, handler: UnaryHandler): UnaryHandler => (call, callback) => {
    seen.push({ method, headers: e6Headers(call.metadata), request: call.request });
    handler(call, callback);
  };
  const hold: UnaryHandler = (call) => {
    held.add(call);
    call.on('cancelled', () => {
      cancelled.push(`${call.getPath()} ${String(call.request.sessionId)}`);
      held.delete(call);
    });
  };

  beforeAll(async () => {
    server = await startGrpcServer({
      engine: {
        authenticate: record('authenticate', (call, callback) => {
          const { user, password } = call.request as { user: string; password: string };
          if (password !== PASSWORD) {
            // A careless server echoing the secret back; the client must not repeat it.
            callback({ code: grpc.status.INTERNAL, details: `Access denied for ${user} with password ${password}` });
            return;
          }
          callback(null, { sessionId: 'sess-1', new_strategy: 'green', engineIP: '10.0.0.7' });
        }),
        status: record('status', (_call, callback) => callback(null, { status: true, rowCount: '9007199254740993', sessionId: 'sess-1' })),
        executeStatementV2: record('executeStatementV2', (_call, callback) => callback(null, { sessionId: 'sess-1' })),
        getSchemaNamesV2: record('getSchemaNamesV2', (_call, callback) => callback(null, { schemas: ['public', 'sales'], sessionId: 'sess-1', new_strategy: 'PURPLE' })),
        getNextResultBatch: record('getNextResultBatch', (call, callback) => {
          const size = Number((call.request as { queryId: string }).queryId);
          callback(null, { resultBatch: Buffer.alloc(size, 7), sessionId: 'sess-1' });
        }),
        clear: record('clear', (_call, callback) => callback({ code: grpc.status.INTERNAL, details: 'Access denied' })),
        explain: record('explain', hold),
        explainAnalyze: record('explainAnalyze', hold),
        healthCheck: record('healthCheck', (_call, callback) => callback(null, {})),
      },
      cluster: {
        status: record('cluster.status', (_call, callback) => callback(null, { status: 'suspended' })),
        resume: record('cluster.resume', (_call, callback) => callback(null, { status: 'resuming' })),
        suspend: record('cluster.suspend', (_call, callback) => callback(null, { status: 'suspended' })),
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    seen.length = 0;
    cancelled.length = 0;
    client = createEngineClient({ host: '127.0.0.1', port: server.port });
  });
  afterEach(() => {
    client.close();
    held.clear();
  });

  it('round-trips typed calls (request fields, 64-bit values, repeated fields, new_strategy)', async () => {
    const auth = await client.authenticate({ user: 'admin@e6data.local', password: PASSWORD });
    expect(auth).toMatchObject({ sessionId: 'sess-1', new_strategy: 'green', engineIP: '10.0.0.7' });
    expect(readNewStrategy(auth)).toBe('green');

    const status = await client.status({ engineIP: '10.0.0.7', sessionId: 'sess-1', queryId: 'q1' });
    expect(status).toMatchObject({ status: true, rowCount: '9007199254740993', sessionId: 'sess-1' });
    expect(BigInt(status.rowCount)).toBe(9007199254740993n);
    expect('new_strategy' in status).toBe(false);
    expect(readNewStrategy(status)).toBeNull();

    await client.executeStatementV2({
      engineIP: '10.0.0.7',
      sessionId: 'sess-1',
      queryId: 'q1',
      shouldNotCache: true,
      params: [{ index: 1, type: 'LONG', value: '-42' }],
    });
    expect(seen.find((s) => s.method === 'executeStatementV2')?.request).toMatchObject({
      queryId: 'q1',
      shouldNotCache: true,
      params: [{ index: 1, type: 'LONG', value: '-42' }],
    });

    const schemas = await client.getSchemaNamesV2({ sessionId: 'sess-1', catalog: 'hive' });
    expect(schemas.schemas).toEqual(['public', 'sales']);
    // An invalid hint from the server is ignored, never cached.
    expect(readNewStrategy(schemas)).toBeNull();
    expect(await client.healthCheck({})).toEqual({});
  });

  it('sends the headers exactly as docs/wire.md section 1 says', async () => {
    await client.status(
      { engineIP: '10.0.0.7', sessionId: 's', queryId: 'q' },
      { headers: { strategy: 'GREEN', clusterName: 'Prod-Cluster', plannerIp: '10.0.0.7' } },
    );
    expect(seen[0]?.headers).toEqual({ strategy: 'green', 'cluster-name': 'prod-cluster', plannerip: '10.0.0.7' });
  });

  it('never sends an invalid strategy; the other headers still go', async () => {
    const warn = jest.fn();
    const warned = createEngineClient({ host: '127.0.0.1', port: server.port, warn });
    try {
      await warned.healthCheck({}, { headers: { strategy: 'purple', clusterName: 'c1' } });
    } finally {
      warned.close();
    }
    expect(seen[0]?.headers).toEqual({ 'cluster-name': 'c1' });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('sends no e6data header when none is given', async () => {
    await client.healthCheck({});
    expect(seen[0]?.headers).toEqual({});
  });

  it('timeoutMs cancels a slow call promptly with a typed deadline error', async () => {
    const started = Date.now();
    const failure = await client.explain({ engineIP: 'e', sessionId: 's', queryId: 'q' }, { timeoutMs: 200 }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(failure).toBeInstanceOf(DeadlineExceededError);
    expect(failure).toMatchObject({ grpcCode: grpc.status.DEADLINE_EXCEEDED, kind: 'transient', ambiguous: true, method: 'explain' });
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('an absolute deadline (Date) works the same, and the earlier of deadline and timeoutMs wins', async () => {
    const started = Date.now();
    await expect(client.explain({ engineIP: 'e', sessionId: 's', queryId: 'q' }, { deadline: new Date(Date.now() + 150) })).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(
      client.explain({ engineIP: 'e', sessionId: 's', queryId: 'q' }, { deadline: Date.now() + 60_000, timeoutMs: 150 }),
    ).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('the client default deadline applies when the call gives none', async () => {
    const quick = createEngineClient({ host: '127.0.0.1', port: server.port, defaultTimeoutMs: 150 });
    try {
      await expect(quick.explainAnalyze({ engineIP: 'e', sessionId: 's', queryId: 'q' })).rejects.toBeInstanceOf(DeadlineExceededError);
    } finally {
      quick.close();
    }
  });

  it('an abort cancels a slow call at once with a typed error carrying the reason, and the server sees the cancel', async () => {
    const controller = new AbortController();
    const reason = new Error('user pressed stop');
    const pending = client.explain({ engineIP: 'e', sessionId: 'abort-me', queryId: 'q' }, { signal: controller.signal });
    await waitFor(() => [...held].some((call) => call.request.sessionId === 'abort-me'));
    const started = Date.now();
    controller.abort(reason);
    const failure = await pending.catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(100);
    expect(failure).toBeInstanceOf(CallAbortedError);
    expect(failure).toMatchObject({ reason, kind: 'fatal', method: 'explain' });
    expect(classifyError(failure)).toBe('fatal');
    // The server learns of the cancel too, so it can stop the work.
    await waitFor(() => cancelled.includes('/QueryEngineService/explain abort-me'));
  });

  it('an abort after the call has finished changes nothing', async () => {
    const controller = new AbortController();
    await expect(client.healthCheck({}, { signal: controller.signal })).resolves.toEqual({});
    controller.abort();
  });

  it('receives a 10 MB result batch (above grpc-js’s 4 MB default receive limit)', async () => {
    const batch = await client.getNextResultBatch({ engineIP: 'e', sessionId: 's', queryId: String(TEN_MB) });
    expect(batch.resultBatch.length).toBe(TEN_MB);
    expect(batch.resultBatch[TEN_MB - 1]).toBe(7);
  });

  it('a receive limit below the message size fails with RESOURCE_EXHAUSTED, classified fatal', async () => {
    const small = createEngineClient({ host: '127.0.0.1', port: server.port, maxReceiveMessageBytes: 1024 * 1024 });
    try {
      const failure = await small.getNextResultBatch({ engineIP: 'e', sessionId: 's', queryId: String(2 * 1024 * 1024) }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(TransportError);
      expect(failure).toMatchObject({ grpcCode: grpc.status.RESOURCE_EXHAUSTED, kind: 'fatal', code: 'CALL_FAILED' });
    } finally {
      small.close();
    }
  });

  it('Access denied from the engine is a typed AccessDeniedError', async () => {
    const failure = await client.clear({ engineIP: 'e', sessionId: 'expired', queryId: 'q' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AccessDeniedError);
    expect(failure).toMatchObject({ grpcCode: grpc.status.INTERNAL, details: 'Access denied', kind: 'access-denied', ambiguous: false });
  });

  it('never repeats the password in an error, even when the server echoes it', async () => {
    const failure = (await client.authenticate({ user: 'admin', password: 'wrong-secret-123' }).catch((e: unknown) => e)) as TransportError;
    expect(failure).toBeInstanceOf(AccessDeniedError);
    expect(failure.message).not.toContain('wrong-secret-123');
    expect(failure.details).toBe('Access denied for admin with password ***');
    expect(String(failure.stack)).not.toContain('wrong-secret-123');
  });

  it('an unimplemented method is fatal', async () => {
    await expect(client.getTables({ sessionId: 's', schema: 'p' })).rejects.toMatchObject({ grpcCode: grpc.status.UNIMPLEMENTED, kind: 'fatal' });
  });

  it('ClusterService through client.cluster shares the channel', async () => {
    const credentials = { user: 'admin@e6data.local', password: PASSWORD };
    expect(await client.cluster.status(credentials, { headers: { clusterName: 'C1' } })).toEqual({ status: 'suspended' });
    expect(await client.cluster.resume(credentials)).toEqual({ status: 'resuming' });
    expect(await client.cluster.suspend(credentials)).toEqual({ status: 'suspended' });
    expect(seen.map((s) => s.method)).toEqual(['cluster.status', 'cluster.resume', 'cluster.suspend']);
    expect(seen[0]?.headers).toEqual({ 'cluster-name': 'c1' });
    expect(seen[0]?.request).toEqual(credentials);
  });

  it('createClusterClient works on its own channel', async () => {
    const cluster = createClusterClient({ host: '127.0.0.1', port: server.port });
    try {
      expect(await cluster.status({ user: 'u', password: 'p' })).toEqual({ status: 'suspended' });
    } finally {
      cluster.close();
    }
  });
});

describe('engine client when nothing listens', () => {
  it('connection refused is transient and known not to have been sent', async () => {
    const port = await closedPort();
    const client = createEngineClient({ host: '127.0.0.1', port });
    try {
      const failure = await client.executeStatementV2(
        { engineIP: 'e', sessionId: 's', queryId: 'q', shouldNotCache: false, params: [] },
        { timeoutMs: 5_000 },
      ).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(UnavailableError);
      expect(failure).toMatchObject({ grpcCode: grpc.status.UNAVAILABLE, kind: 'transient', ambiguous: false, method: 'executeStatementV2' });
      expect((failure as TransportError).details).toMatch(/ECONNREFUSED/);
      expect(classifyError(failure)).toBe('transient');
    } finally {
      client.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
