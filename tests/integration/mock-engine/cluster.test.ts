// startMockCluster as a whole: ports, options, start failures, clean close.
import net from 'node:net';
import { createEngineClient, decodeChunk, classifyError, TransportError } from '@e6data-ts/grpc-transport';
import { ListenError, MockClusterError, startClusterGateway, startMockCluster, type ClusterLogger } from '@e6data-ts/mock-engine';
import { rejectionOf } from '../../support/expected-error';

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function occupiedPort(): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('startMockCluster', () => {
  it('starts engines, gateway and admin API on distinct ephemeral ports, and close() stops them all', async () => {
    const cluster = await startMockCluster({ mockTableRows: 10 });
    const ports = [cluster.port, new URL(cluster.adminUrl).port, cluster.engines.blue.port, cluster.engines.green.port].map(Number);
    expect(new Set(ports).size).toBe(4);
    expect(ports.every((p) => p > 0)).toBe(true);
    expect(cluster.address).toBe(`127.0.0.1:${cluster.port}`);
    expect(cluster.users).toEqual([{ user: 'admin@e6data.local', token: 'e6-mock-token' }]);
    expect(cluster.engines.blue.name).toBe('blue');
    expect(cluster.engines.green.name).toBe('green');
    for (const port of ports) expect(await canConnect(port)).toBe(true);

    await cluster.close();
    await cluster.close();
    for (const port of ports) expect(await canConnect(port)).toBe(false);
  });

  it('takes users, batch size and init SQL, and the engines honour them through the gateway', async () => {
    const cluster = await startMockCluster({
      users: [{ user: 'ana@example.com', token: 'tok-ana' }],
      batchRows: 2,
      mockTableRows: 10,
      initSql: ['CREATE TABLE answers AS SELECT * FROM range(5) t(n)'],
    });
    const client = createEngineClient({ host: cluster.host, port: cluster.port });
    try {
      const headers = { strategy: 'blue' };
      await expect(client.authenticate({ user: 'admin@e6data.local', password: 'e6-mock-token' }, { headers })).rejects.toMatchObject({ grpcCode: 16 });
      const { sessionId } = await client.authenticate({ user: 'ana@example.com', password: 'tok-ana' }, { headers });
      await expect(client.cluster.status({ user: 'ana@example.com', password: 'tok-ana' })).resolves.toEqual({ status: 'active' });
      const prep = await client.prepareStatementV2({ sessionId, schema: 'main', catalog: '', queryString: 'SELECT n FROM answers ORDER BY n', quoting: '' }, { headers });
      const ref = { engineIP: prep.engineIP, sessionId, queryId: prep.queryId };
      const qh = { headers: { ...headers, plannerIp: prep.engineIP } };
      await client.executeStatementV2({ ...ref, shouldNotCache: false, params: [] }, qh);
      const sizes: number[] = [];
      for (;;) {
        const rows = decodeChunk((await client.getNextResultBatch(ref, qh)).resultBatch).rowCount;
        if (rows === 0) break;
        sizes.push(rows);
      }
      expect(sizes).toEqual([2, 2, 1]);
      await client.clear(ref, qh);
    } finally {
      client.close();
      await cluster.close();
    }
  });

  it('logs phase changes through the logger it is given', async () => {
    const lines: string[] = [];
    const logger: ClusterLogger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const cluster = await startMockCluster({ mockTableRows: 10, logger });
    try {
      await cluster.deploy({ announceMs: 10, drainMs: 10 });
      expect(lines).toEqual(expect.arrayContaining(['phase announce(green)', 'phase cutover(blue->green)', 'phase stable(green)', 'cluster gateway ready']));
    } finally {
      await cluster.close();
    }
  });

  it('keeps only callLogLimit call records', async () => {
    const cluster = await startMockCluster({ mockTableRows: 10, callLogLimit: 3 });
    const client = createEngineClient({ host: cluster.host, port: cluster.port });
    try {
      for (let i = 0; i < 5; i++) await client.healthCheck({});
      expect(cluster.calls()).toMatchObject({ total: 5, dropped: 2, limit: 3 });
      expect(cluster.calls().entries).toHaveLength(3);
    } finally {
      client.close();
      await cluster.close();
    }
  });

  it('fails to start with LAUNCH_FAILED when a port is taken, leaving nothing running', async () => {
    const blocker = await occupiedPort();
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const caught = await rejectionOf(startMockCluster({ mockTableRows: 10, adminPort: taken }), MockClusterError);
      expect(caught).toMatchObject({ code: 'LAUNCH_FAILED' });
      expect(caught).toBeInstanceOf(ListenError);
      expect(caught.message).toBe(`the admin API cannot listen on 127.0.0.1:${taken}: port ${taken} is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('fails to start with LAUNCH_FAILED when an engine cannot start', async () => {
    await expect(startMockCluster({ batchRows: 0 })).rejects.toMatchObject({
      code: 'LAUNCH_FAILED',
      message: expect.stringMatching(/^the mock engines could not start: batchRows/),
    });
  });

  it('startClusterGateway fronts engines it did not start, and reports their active queries as unknown', async () => {
    const engines = await startMockCluster({ mockTableRows: 10 });
    const gateway = await startClusterGateway({
      engines: {
        blue: { host: engines.engines.blue.host, port: engines.engines.blue.port },
        green: { host: engines.engines.green.host, port: engines.engines.green.port },
      },
    });
    const client = createEngineClient({ host: gateway.host, port: gateway.port });
    try {
      await expect(client.healthCheck({})).resolves.toEqual({});
      expect(gateway.state().deployments.blue.activeQueries).toBeNull();
      expect(gateway.metrics()).not.toContain('e6_mock_active_queries');
      gateway.suspend();
      const err = await client.healthCheck({}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect(classifyError(err)).toBe('cluster-suspended');
      await gateway.resume();
      await expect(client.healthCheck({})).resolves.toEqual({});
    } finally {
      client.close();
      await gateway.close();
      await engines.close();
    }
  });
});
