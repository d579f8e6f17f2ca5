// Suspend and resume: HTTP 503 for engine calls while suspended, and the
// ClusterService (status, resume, suspend) the auto-resume path relies on.
import http2 from 'node:http2';
import { classifyError, clusterServiceDefinition, createEngineClient, type EngineClient, TransportError } from '@e6data-ts/grpc-transport';
import { startMockCluster, type MockCluster } from '@e6data-ts/mock-engine';

const CREDENTIALS = { user: 'admin@e6data.local', password: 'e6-mock-token' };
const BLUE = { headers: { strategy: 'blue' } };

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(TransportError);
    return err as TransportError;
  }
  throw new Error('expected the call to fail');
}

/** A raw ClusterService call, to send what no well-behaved client would. */
function rawClusterCall(port: number, method: string, body: Buffer): Promise<{ status: string | undefined; message: string | undefined }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const req = session.request({ ':method': 'POST', ':path': `/ClusterService/${method}`, 'content-type': 'application/grpc', te: 'trailers' });
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    req.on('response', (h) => {
      headers = h;
    });
    req.on('trailers', (t) => {
      trailers = t;
    });
    req.on('data', () => undefined);
    req.on('end', () => {
      session.close();
      const status = headers['grpc-status'] ?? trailers['grpc-status'];
      const message = headers['grpc-message'] ?? trailers['grpc-message'];
      resolve({ status: status as string | undefined, message: message === undefined ? undefined : decodeURI(message as string) });
    });
    req.end(body);
  });
}

function frame(message: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

describe('suspend and resume', () => {
  let cluster: MockCluster;
  let client: EngineClient;

  beforeAll(async () => {
    cluster = await startMockCluster({ resumeDelayMs: 300, mockTableRows: 10 });
    client = createEngineClient({ host: cluster.host, port: cluster.port });
  });
  afterAll(async () => {
    client.close();
    await cluster.close();
  });
  afterEach(async () => {
    await cluster.resume();
    cluster.resetCalls();
  });

  it('answers engine calls with HTTP 503 while suspended, which grpc-js reports as UNAVAILABLE', async () => {
    expect(cluster.suspend()).toBe('suspended');
    expect(cluster.state()).toMatchObject({ power: 'suspended', suspended: true });
    const err = await failure(client.authenticate(CREDENTIALS, BLUE));
    expect(err.grpcCode).toBe(14);
    expect(err.details).toBe('Received HTTP status code 503');
    expect(classifyError(err)).toBe('cluster-suspended');
    // Whatever the strategy header says: a suspended cluster routes nothing.
    expect((await failure(client.healthCheck({}, { headers: { strategy: 'green' } }))).details).toBe('Received HTTP status code 503');
    expect(cluster.calls().entries.map((e) => [e.rpc, e.deployment, e.outcome, e.httpStatus])).toEqual([
      ['authenticate', 'blue', 'suspended', 503],
      ['healthCheck', 'green', 'suspended', 503],
    ]);
  });

  it('runs the auto-resume sequence: status suspended, resume, resuming, then active, then calls work', async () => {
    cluster.suspend();
    await failure(client.authenticate(CREDENTIALS, BLUE));
    await expect(client.cluster.status(CREDENTIALS)).resolves.toEqual({ status: 'suspended' });
    await expect(client.cluster.resume(CREDENTIALS)).resolves.toEqual({ status: 'resuming' });
    await expect(client.cluster.status(CREDENTIALS)).resolves.toEqual({ status: 'resuming' });
    expect((await failure(client.healthCheck({}, BLUE))).details).toBe('Received HTTP status code 503');

    const started = Date.now();
    let status = 'resuming';
    while (status !== 'active') {
      expect(Date.now() - started).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await client.cluster.status(CREDENTIALS)).status;
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await expect(client.authenticate(CREDENTIALS, BLUE)).resolves.toHaveProperty('sessionId');
    const clusterCalls = cluster.calls().counts;
    expect(clusterCalls['ClusterService/status']?.none?.ok).toBeGreaterThanOrEqual(3);
    expect(clusterCalls['ClusterService/resume']).toEqual({ none: { ok: 1 } });
  });

  it('suspends over ClusterService too, and resume on an active cluster changes nothing', async () => {
    await expect(client.cluster.resume(CREDENTIALS)).resolves.toEqual({ status: 'active' });
    await expect(client.cluster.suspend(CREDENTIALS)).resolves.toEqual({ status: 'suspended' });
    expect(cluster.state().power).toBe('suspended');
    await cluster.resume();
    expect(cluster.state().power).toBe('active');
  });

  it('checks user and token on every ClusterService call, never echoing the token', async () => {
    const err = await failure(client.cluster.status({ user: CREDENTIALS.user, password: 'wrong-token-123' }));
    expect(err.grpcCode).toBe(16);
    expect(err.details).toBe('authentication failed: unknown user or wrong token for the cluster service');
    expect(err.message).not.toContain('wrong-token-123');
    expect((await failure(client.cluster.resume({ user: 'nobody', password: CREDENTIALS.password }))).grpcCode).toBe(16);
  });

  it('answers unknown, malformed and oversized ClusterService requests with a gRPC error', async () => {
    const request = clusterServiceDefinition().status!.requestSerialize(CREDENTIALS);
    await expect(rawClusterCall(cluster.port, 'status', frame(request))).resolves.toEqual({ status: '0', message: '' });
    await expect(rawClusterCall(cluster.port, 'reboot', frame(request))).resolves.toEqual({ status: '12', message: 'ClusterService has no method reboot' });
    await expect(rawClusterCall(cluster.port, 'status', Buffer.from([0, 0, 0, 0, 9, 1]))).resolves.toEqual({
      status: '13',
      message: 'could not read the ClusterService status request: gRPC frame at byte 0 declares 9 bytes but 1 follow',
    });
    await expect(rawClusterCall(cluster.port, 'status', Buffer.concat([frame(request), frame(request)]))).resolves.toEqual({
      status: '13',
      message: 'could not read the ClusterService status request: expected one uncompressed message, got 2',
    });
    await expect(rawClusterCall(cluster.port, 'status', Buffer.alloc(70_000))).resolves.toEqual({
      status: '8',
      message: 'ClusterService requests are limited to 65536 bytes',
    });
  });
});
