// The gateway's proxy path against hand-written HTTP/2 "engines" that misbehave
// on purpose: cancellation both ways, broken and unreachable upstreams,
// reconnection, an address that takes no connections, headers and trailers,
// large messages.
import http2 from 'node:http2';
import { type AddressInfo } from 'node:net';
import { CallAbortedError, classifyError, createEngineClient, engineServiceDefinition, type EngineClient } from '@e6data-ts/grpc-transport';
import { type CallLog, type FailPoints } from '@e6data-ts/mock-engine';
import { type DeploymentController, type Gateway } from '@e6data-ts/mock-engine/internal';
import { grpcFrame } from '../../support/raw-http2';
import { openBlackHole, type BlackHole } from '../../support/black-hole';
import { startStubGateway, type StubGateway } from '../../support/stub-gateway';
import { transportFailure } from '../../support/transport-failure';

type StreamHandler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void;

interface StubEngine {
  port: number;
  handler: StreamHandler;
  seen: http2.IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function startStub(port = 0): Promise<StubEngine> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
    s.on('error', () => undefined);
  });
  const stub: StubEngine = {
    port: 0,
    seen: [],
    // An empty message answers healthCheck (its response has no fields).
    handler: (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(grpcFrame(Buffer.alloc(0)));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) s.destroy();
      }),
  };
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    stub.seen.push(headers);
    stub.handler(stream, headers);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  stub.port = (server.address() as AddressInfo).port;
  return stub;
}

function batchResponse(resultBatch: Buffer): Buffer {
  return grpcFrame(engineServiceDefinition().getNextResultBatch!.responseSerialize({ resultBatch, sessionId: 's1' }));
}

const QUERY = { engineIP: '10.0.0.7', sessionId: 's1', queryId: 'q1' };
const BLUE = { headers: { strategy: 'blue' } };

describe('gateway proxy against misbehaving engines', () => {
  let blue: StubEngine;
  let green: StubEngine;
  let stubGateway: StubGateway;
  let gateway: Gateway;
  let controller: DeploymentController;
  let failPoints: FailPoints;
  let callLog: CallLog;
  let client: EngineClient;

  beforeEach(async () => {
    blue = await startStub();
    green = await startStub();
    stubGateway = await startStubGateway({ blue: blue.port, green: green.port });
    ({ gateway, controller, failPoints, callLog } = stubGateway);
    client = createEngineClient({ host: '127.0.0.1', port: gateway.port });
  });

  afterEach(async () => {
    client.close();
    await stubGateway.close();
    await Promise.all([blue.close(), green.close()]);
  });

  it('cancels the engine stream when the client gives up', async () => {
    const upstreamClosed = new Promise<number>((resolve) => {
      blue.handler = (stream) => stream.on('close', () => resolve(stream.rstCode));
    });
    const abort = new AbortController();
    const call = client.getNextResultBatch(QUERY, { ...BLUE, signal: abort.signal });
    while (blue.seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    abort.abort(new Error('user pressed stop'));
    await expect(call).rejects.toBeInstanceOf(CallAbortedError);
    expect(await upstreamClosed).toBe(http2.constants.NGHTTP2_CANCEL);
    while (callLog.snapshot().total === 0) await new Promise((r) => setTimeout(r, 5));
    expect(callLog.snapshot().entries[0]).toMatchObject({ rpc: 'getNextResultBatch', outcome: 'cancelled' });
  });

  it('turns an engine that resets the stream before answering into UNAVAILABLE', async () => {
    blue.handler = (stream) => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    const err = await transportFailure(client.healthCheck({}, BLUE));
    expect(err.grpcCode).toBe(14);
    expect(err.details).toBe(`deployment blue (127.0.0.1:${blue.port}) broke off the call (HTTP/2 code 2)`);
    expect(classifyError(err)).toBe('transient');
    expect(callLog.snapshot().entries[0]).toMatchObject({ outcome: 'upstream-error', grpcStatus: 14 });
  });

  it('turns an engine that dies mid-answer into UNAVAILABLE in the trailers', async () => {
    blue.handler = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.write(batchResponse(Buffer.alloc(100_000)).subarray(0, 5_000));
      setTimeout(() => stream.session?.destroy(), 20);
    };
    const err = await transportFailure(client.getNextResultBatch(QUERY, BLUE));
    expect(err.grpcCode).toBe(14);
    expect(err.details).toBe(`deployment blue (127.0.0.1:${blue.port}) broke off the call (HTTP/2 code 8)`);
    expect(callLog.snapshot().entries[0]).toMatchObject({ outcome: 'upstream-error', grpcStatus: 14, httpStatus: 200 });
  });

  it('answers INTERNAL when the engine ends without a gRPC status', async () => {
    blue.handler = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.end(batchResponse(Buffer.from([1, 2, 3])));
    };
    const err = await transportFailure(client.getNextResultBatch(QUERY, BLUE));
    expect(err.grpcCode).toBe(13);
    expect(err.details).toBe(`deployment blue (127.0.0.1:${blue.port}) ended the call without a gRPC status`);
  });

  it('answers UNAVAILABLE while an engine is down and reconnects once it is back on its address', async () => {
    await client.healthCheck({}, BLUE);
    const port = blue.port;
    await blue.close();
    const err = await transportFailure(client.healthCheck({}, BLUE));
    expect(err.grpcCode).toBe(14);
    expect(err.details).toMatch(new RegExp(`^deployment blue \\(127\\.0\\.0\\.1:${port}\\) (is unreachable|broke off the call)`));
    expect(classifyError(err)).toBe('transient');
    blue = await startStub(port);
    await expect(client.healthCheck({}, BLUE)).resolves.toEqual({});
    expect(gateway.upstreamSessions()).toBe(1);
  });

  it('relays request metadata up and response headers, body and trailers down, unchanged', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    blue.handler = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'x-engine-header': 'h1' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'x-engine-trailer': 't1' }));
      stream.end(batchResponse(body));
    };
    const session = http2.connect(`http://127.0.0.1:${gateway.port}`);
    const answer = await new Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; size: number }>((resolve, reject) => {
      const req = session.request({
        ':method': 'POST',
        ':path': '/QueryEngineService/getNextResultBatch',
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-timeout': '5S',
        strategy: 'blue',
        plannerip: '10.0.0.7',
        'x-user-meta': 'm1',
        authorization: 'Bearer secret',
      });
      let headers: http2.IncomingHttpHeaders = {};
      let size = 0;
      req.on('response', (h) => (headers = h));
      req.on('data', (chunk: Buffer) => (size += chunk.length));
      req.on('trailers', (trailers) => resolve({ headers, trailers, size }));
      req.on('error', reject);
      req.end(grpcFrame(engineServiceDefinition().getNextResultBatch!.requestSerialize(QUERY)));
    });
    session.close();
    expect(answer.headers[':status']).toBe(200);
    expect(answer.headers['x-engine-header']).toBe('h1');
    expect(answer.trailers).toMatchObject({ 'grpc-status': '0', 'x-engine-trailer': 't1' });
    expect(answer.size).toBe(batchResponse(body).length);
    expect(blue.seen[0]).toMatchObject({
      ':path': '/QueryEngineService/getNextResultBatch',
      'grpc-timeout': '5S',
      strategy: 'blue',
      plannerip: '10.0.0.7',
      'x-user-meta': 'm1',
      te: 'trailers',
      'content-type': 'application/grpc',
    });
    expect(blue.seen[0]?.['x-mock-announce-strategy']).toBeUndefined();
    expect(JSON.stringify(callLog.snapshot())).not.toContain('secret');
  });

  it('tells the engine to announce the next deployment during announce, and only then', async () => {
    const handle = controller.start({ announceMs: 60_000 });
    await client.healthCheck({}, BLUE);
    await client.healthCheck({}, { headers: { strategy: 'green' } });
    expect(blue.seen[0]?.['x-mock-announce-strategy']).toBe('green');
    expect(green.seen[0]?.['x-mock-announce-strategy']).toBe('green');
    controller.close();
    await expect(handle.done).resolves.toMatchObject({ outcome: 'aborted' });
  });

  it('delivers a large answer to a grpc-js client intact', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    blue.handler = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(batchResponse(body));
    };
    const answer = await client.getNextResultBatch(QUERY, BLUE);
    expect(Buffer.compare(answer.resultBatch, body)).toBe(0);
  });

  it('refuses to corrupt a compressed answer, saying so', async () => {
    failPoints.set('getNextResultBatch', { mode: 'alwaysOn', action: { corrupt: true } });
    blue.handler = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-encoding': 'gzip' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(grpcFrame(Buffer.from([1, 2, 3]), true));
    };
    const err = await transportFailure(client.getNextResultBatch(QUERY, BLUE));
    expect(err.grpcCode).toBe(13);
    expect(err.details).toBe('could not corrupt the getNextResultBatch answer: cannot corrupt a compressed getNextResultBatch response');
    expect(blue.seen[0]?.['grpc-accept-encoding']).toBeUndefined();
  });

  it("passes an engine's trailers-only error through even when asked to corrupt the answer", async () => {
    failPoints.set('getNextResultBatch', { mode: 'alwaysOn', action: { corrupt: true } });
    blue.handler = (stream) =>
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '5', 'grpc-message': 'query q1 not found' }, { endStream: true });
    const err = await transportFailure(client.getNextResultBatch(QUERY, BLUE));
    expect(err.grpcCode).toBe(5);
    expect(err.details).toBe('query q1 not found');
    expect(callLog.snapshot().entries[0]).toMatchObject({ outcome: 'fail-point', failPoint: 'getNextResultBatch', grpcStatus: 5 });
  });

  it('drops every client connection and engine connection on close', async () => {
    await client.healthCheck({}, BLUE);
    expect(gateway.openSessions()).toBe(1);
    expect(gateway.upstreamSessions()).toBe(1);
    await gateway.close();
    expect(gateway.openSessions()).toBe(0);
    expect(gateway.upstreamSessions()).toBe(0);
    const err = await transportFailure(client.healthCheck({}, { ...BLUE, timeoutMs: 2_000 }));
    expect(classifyError(err)).toBe('transient');
  });
});

describe('gateway proxy against an engine address that takes no connections', () => {
  let blue: StubEngine;
  let hole: BlackHole;
  let stubGateway: StubGateway;
  let client: EngineClient;

  beforeEach(async () => {
    blue = await startStub();
    hole = await openBlackHole();
    stubGateway = await startStubGateway({ blue: blue.port, green: hole.port }, { connectTimeoutMs: 400 });
    client = createEngineClient({ host: '127.0.0.1', port: stubGateway.gateway.port });
  });

  afterEach(async () => {
    client.close();
    await stubGateway.close();
    await Promise.all([blue.close(), hole.close()]);
  });

  it('gives up connecting after connectTimeoutMs with UNAVAILABLE naming the address, while the other deployment answers', async () => {
    // During an announce both deployments take work, so calls reach the hole (green) and the stub (blue).
    stubGateway.controller.start({ to: 'green', announceMs: 60_000 });
    const started = Date.now();
    const call = transportFailure(client.healthCheck({}, { headers: { strategy: 'green' }, timeoutMs: 10_000 }));
    // The live deployment is not held up by the one that hangs.
    await expect(client.healthCheck({}, BLUE)).resolves.toEqual({});
    const err = await call;
    const waited = Date.now() - started;
    expect(err.grpcCode).toBe(14);
    expect(err.details).toBe(`deployment green (127.0.0.1:${hole.port}) is unreachable: connecting to 127.0.0.1:${hole.port} took more than 400 ms`);
    expect(classifyError(err)).toBe('transient');
    expect(waited).toBeGreaterThanOrEqual(350);
    expect(waited).toBeLessThan(5_000);
    expect(stubGateway.callLog.snapshot().entries.find((e) => e.rpc === 'healthCheck' && e.outcome === 'upstream-error')).toMatchObject({ grpcStatus: 14 });
    // The failed connection is not kept: the next call tries again, and fails the same way.
    expect(stubGateway.gateway.upstreamSessions()).toBe(1);
    const again = await transportFailure(client.healthCheck({}, { headers: { strategy: 'green' }, timeoutMs: 10_000 }));
    expect(again.details).toMatch(/took more than 400 ms$/);
  });
});
