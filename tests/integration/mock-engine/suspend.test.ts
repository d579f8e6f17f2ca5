// Suspend and resume: HTTP 503 for engine calls while suspended, and the
// ClusterService (status, resume, suspend) the auto-resume path relies on.
import { classifyError, clusterServiceDefinition } from '@e6data-ts/grpc-transport';
import { DEFAULT_CREDENTIALS } from '../../support/engine-client';
import { useMockCluster } from '../../support/mock-cluster';
import { grpcFrame, rawRequest } from '../../support/raw-http2';
import { transportFailure } from '../../support/transport-failure';

const BLUE = { headers: { strategy: 'blue' } };

/** A raw ClusterService call, to send what no well-behaved client would. */
async function rawClusterCall(port: number, method: string, body: Buffer): Promise<{ status: string | undefined; message: string | undefined }> {
  const answer = await rawRequest(port, { ':method': 'POST', ':path': `/ClusterService/${method}`, 'content-type': 'application/grpc', te: 'trailers' }, body);
  const status = answer.headers['grpc-status'] ?? answer.trailers['grpc-status'];
  const message = answer.headers['grpc-message'] ?? answer.trailers['grpc-message'];
  return { status: status as string | undefined, message: message === undefined ? undefined : decodeURI(message as string) };
}

describe('suspend and resume', () => {
  const mock = useMockCluster({ resumeDelayMs: 300, mockTableRows: 10 });
  afterEach(async () => {
    await mock.cluster.resume();
    mock.cluster.resetCalls();
  });

  it('answers engine calls with HTTP 503 while suspended, which grpc-js reports as UNAVAILABLE', async () => {
    expect(mock.cluster.suspend()).toBe('suspended');
    expect(mock.cluster.state()).toMatchObject({ power: 'suspended', suspended: true });
    const err = await transportFailure(mock.client.authenticate(DEFAULT_CREDENTIALS, BLUE));
    expect(err.grpcCode).toBe(14);
    expect(err.details).toBe('Received HTTP status code 503');
    expect(classifyError(err)).toBe('cluster-suspended');
    // Whatever the strategy header says: a suspended cluster routes nothing.
    expect((await transportFailure(mock.client.healthCheck({}, { headers: { strategy: 'green' } }))).details).toBe('Received HTTP status code 503');
    expect(mock.cluster.calls().entries.map((e) => [e.rpc, e.deployment, e.outcome, e.httpStatus])).toEqual([
      ['authenticate', 'blue', 'suspended', 503],
      ['healthCheck', 'green', 'suspended', 503],
    ]);
  });

  it('runs the auto-resume sequence: status suspended, resume, resuming, then active, then calls work', async () => {
    mock.cluster.suspend();
    await transportFailure(mock.client.authenticate(DEFAULT_CREDENTIALS, BLUE));
    await expect(mock.client.cluster.status(DEFAULT_CREDENTIALS)).resolves.toEqual({ status: 'suspended' });
    await expect(mock.client.cluster.resume(DEFAULT_CREDENTIALS)).resolves.toEqual({ status: 'resuming' });
    await expect(mock.client.cluster.status(DEFAULT_CREDENTIALS)).resolves.toEqual({ status: 'resuming' });
    expect((await transportFailure(mock.client.healthCheck({}, BLUE))).details).toBe('Received HTTP status code 503');

    const started = Date.now();
    let status = 'resuming';
    while (status !== 'active') {
      expect(Date.now() - started).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 25));
      status = (await mock.client.cluster.status(DEFAULT_CREDENTIALS)).status;
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await expect(mock.client.authenticate(DEFAULT_CREDENTIALS, BLUE)).resolves.toHaveProperty('sessionId');
    const clusterCalls = mock.cluster.calls().counts;
    expect(clusterCalls['ClusterService/status']?.none?.ok).toBeGreaterThanOrEqual(3);
    expect(clusterCalls['ClusterService/resume']).toEqual({ none: { ok: 1 } });
  });

  it('suspends over ClusterService too, and resume on an active cluster changes nothing', async () => {
    await expect(mock.client.cluster.resume(DEFAULT_CREDENTIALS)).resolves.toEqual({ status: 'active' });
    await expect(mock.client.cluster.suspend(DEFAULT_CREDENTIALS)).resolves.toEqual({ status: 'suspended' });
    expect(mock.cluster.state().power).toBe('suspended');
    await mock.cluster.resume();
    expect(mock.cluster.state().power).toBe('active');
  });

  it('checks user and token on every ClusterService call, never echoing the token', async () => {
    const err = await transportFailure(mock.client.cluster.status({ user: DEFAULT_CREDENTIALS.user, password: 'wrong-token-123' }));
    expect(err.grpcCode).toBe(16);
    expect(err.details).toBe('authentication failed: unknown user or wrong token for the cluster service');
    expect(err.message).not.toContain('wrong-token-123');
    expect((await transportFailure(mock.client.cluster.resume({ user: 'nobody', password: DEFAULT_CREDENTIALS.password }))).grpcCode).toBe(16);
  });

  it('answers unknown, malformed and oversized ClusterService requests with a gRPC error', async () => {
    const request = clusterServiceDefinition().status!.requestSerialize(DEFAULT_CREDENTIALS);
    await expect(rawClusterCall(mock.cluster.port, 'status', grpcFrame(request))).resolves.toEqual({ status: '0', message: '' });
    await expect(rawClusterCall(mock.cluster.port, 'reboot', grpcFrame(request))).resolves.toEqual({ status: '12', message: 'ClusterService has no method reboot' });
    await expect(rawClusterCall(mock.cluster.port, 'status', Buffer.from([0, 0, 0, 0, 9, 1]))).resolves.toEqual({
      status: '13',
      message: 'could not read the ClusterService status request: gRPC frame at byte 0 declares 9 bytes but 1 follow',
    });
    await expect(rawClusterCall(mock.cluster.port, 'status', Buffer.concat([grpcFrame(request), grpcFrame(request)]))).resolves.toEqual({
      status: '13',
      message: 'could not read the ClusterService status request: expected one uncompressed message, got 2',
    });
    await expect(rawClusterCall(mock.cluster.port, 'status', Buffer.alloc(70_000))).resolves.toEqual({
      status: '8',
      message: 'ClusterService requests are limited to 65536 bytes',
    });
  });
});
