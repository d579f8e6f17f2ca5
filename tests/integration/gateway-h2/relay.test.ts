// The gateway's frame relay between real node:http2 peers: what plain gRPC
// unary calls never exercise but an HTTP/2 intermediary must get right.
// Padding, header blocks split over CONTINUATION, flow control in both
// directions, an engine's stream limit and GOAWAY, client PINGs, trailers
// from the client, and clients that are not HTTP/2 at all.
import { createHash } from 'node:crypto';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import { createEngineClient, type EngineClient } from '@e6data-ts/grpc-transport';
import { type CallLog, type FailPoints } from '@e6data-ts/mock-engine';
import { type DeploymentController, type Gateway, h2 } from '@e6data-ts/mock-engine/internal';
import { grpcRequestHeaders, RawClient, rawFrame, rawHeaders } from '../../support/raw-http2';
import { startStubGateway, type StubGateway } from '../../support/stub-gateway';

type Handler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void;

interface Stub {
  port: number;
  handler: Handler;
  open: number;
  maxOpen: number;
  sessions: Set<http2.ServerHttp2Session>;
  close(): Promise<void>;
}

async function startStub(settings: http2.Settings = {}): Promise<Stub> {
  const server = http2.createServer({ settings, paddingStrategy: http2.constants.PADDING_STRATEGY_MAX });
  const stub: Stub = {
    port: 0,
    open: 0,
    maxOpen: 0,
    sessions: new Set(),
    handler: (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.alloc(5));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of stub.sessions) session.destroy();
      }),
  };
  server.on('session', (session) => {
    stub.sessions.add(session);
    session.on('close', () => stub.sessions.delete(session));
    session.on('error', () => undefined);
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    stub.open++;
    stub.maxOpen = Math.max(stub.maxOpen, stub.open);
    stream.on('close', () => stub.open--);
    stub.handler(stream, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.port = (server.address() as AddressInfo).port;
  return stub;
}

interface Answer {
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders;
  body: Buffer;
}

/** One request on `session`; resolves with the whole answer once the stream ends. */
function request(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':method': 'POST', 'content-type': 'application/grpc', te: 'trailers', ...headers });
    let answerHeaders: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => {
      answerHeaders = h;
    });
    req.on('trailers', (t: http2.IncomingHttpHeaders) => {
      trailers = t;
    });
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve({ headers: answerHeaders, trailers, body: Buffer.concat(chunks) }));
    req.on('error', reject);
    req.end(body);
  });
}

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const PATH = '/QueryEngineService/getNextResultBatch';

describe('gateway frame relay between node:http2 peers', () => {
  let blue: Stub;
  let green: Stub;
  let stubGateway: StubGateway;
  let gateway: Gateway;
  let controller: DeploymentController;
  let callLog: CallLog;
  let failPoints: FailPoints;
  let session: http2.ClientHttp2Session;

  async function start(blueSettings: http2.Settings = {}): Promise<void> {
    blue = await startStub(blueSettings);
    green = await startStub();
    stubGateway = await startStubGateway({ blue: blue.port, green: green.port });
    ({ gateway, controller, failPoints, callLog } = stubGateway);
    session = http2.connect(`http://127.0.0.1:${gateway.port}`, { paddingStrategy: http2.constants.PADDING_STRATEGY_MAX });
    session.on('error', () => undefined);
  }

  afterEach(async () => {
    session.destroy();
    await stubGateway.close();
    await Promise.all([blue.close(), green.close()]);
  });

  it('relays padded frames and header blocks split over CONTINUATION, both ways', async () => {
    await start();
    const big = 'v'.repeat(30_000);
    let seen: http2.IncomingHttpHeaders = {};
    blue.handler = (stream, headers) => {
      seen = headers;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'x-big-answer': big }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'x-echo-sha': sha(Buffer.concat(chunks)) }));
        stream.end(Buffer.concat(chunks));
      });
    };
    const body = Buffer.from('padded '.repeat(10_000));
    const answer = await request(session, { ':path': PATH, strategy: 'blue', 'x-big-question': big }, body);
    expect(seen['x-big-question']).toBe(big);
    expect(answer.headers['x-big-answer']).toBe(big);
    expect(answer.trailers['x-echo-sha']).toBe(sha(body));
    expect(answer.body.equals(body)).toBe(true);
  });

  it('uploads a large request to a slow-reading engine without losing or reordering a byte', async () => {
    await start();
    const body = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7) % 251;
    blue.handler = (stream) => {
      const chunks: Buffer[] = [];
      stream.pause();
      // The engine reads only after a while: the gateway must hold the client back meanwhile.
      setTimeout(() => stream.resume(), 200);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        stream.respond({ ':status': 200 }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'x-sha': sha(Buffer.concat(chunks)) }));
        stream.end();
      });
    };
    const answer = await request(session, { ':path': PATH, strategy: 'blue' }, body);
    expect(answer.trailers['x-sha']).toBe(sha(body));
  });

  it('holds the engine back while the client does not read, then delivers everything', async () => {
    await start();
    const body = Buffer.alloc(8 * 1024 * 1024, 3);
    let engineStream: http2.ServerHttp2Stream | undefined;
    blue.handler = (stream) => {
      engineStream = stream;
      stream.respond({ ':status': 200 }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(body);
    };
    const req = session.request({ ':method': 'POST', ':path': PATH, strategy: 'blue' });
    req.end();
    req.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Flow control bounds what left the engine: what the client's window took plus what the gateway may hold for the stream (1 MiB).
    const engineSocket = engineStream?.session?.socket;
    expect(engineSocket?.bytesWritten).toBeLessThan(2 * 1024 * 1024);
    let received = 0;
    const trailers = new Promise<http2.IncomingHttpHeaders>((resolve) => req.on('trailers', resolve));
    const ended = new Promise((resolve) => req.on('end', resolve));
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    req.resume();
    expect((await trailers)['grpc-status']).toBe('0');
    await ended;
    expect(received).toBe(body.length);
    expect(engineSocket?.bytesWritten).toBeGreaterThan(body.length);
  });

  it("queues calls past the engine's SETTINGS_MAX_CONCURRENT_STREAMS instead of failing them", async () => {
    await start({ maxConcurrentStreams: 1 });
    blue.handler = (stream) => {
      setTimeout(() => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '0' }, { endStream: true });
      }, 20);
    };
    const answers = await Promise.all(Array.from({ length: 5 }, () => request(session, { ':path': PATH, strategy: 'blue' })));
    expect(answers.map((a) => a.headers['grpc-status'])).toEqual(['0', '0', '0', '0', '0']);
    expect(blue.maxOpen).toBe(1);
    expect(callLog.count('getNextResultBatch', 'blue', 'ok')).toBe(5);
  });

  it('finishes a call in flight when the engine sends GOAWAY, and opens a new connection for the next', async () => {
    await start();
    let first = true;
    blue.handler = (stream) => {
      const answer = (): void => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '0' }, { endStream: true });
      };
      if (!first) return answer();
      first = false;
      // A graceful shutdown of the engine's connection while this call is running.
      stream.session?.close();
      setTimeout(answer, 30);
    };
    const inFlight = await request(session, { ':path': PATH, strategy: 'blue' });
    expect(inFlight.headers['grpc-status']).toBe('0');
    const next = await request(session, { ':path': PATH, strategy: 'blue' });
    expect(next.headers['grpc-status']).toBe('0');
    while (gateway.upstreamSessions() !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it('answers client PINGs and passes client trailers on to the engine', async () => {
    await start();
    // node:http2 cancels a PING sent before its connection is up.
    if (session.connecting) await new Promise((resolve) => session.once('connect', resolve));
    const rtt = await new Promise<number>((resolve, reject) => session.ping((err, duration) => (err ? reject(err) : resolve(duration))));
    expect(rtt).toBeGreaterThanOrEqual(0);
    const trailersSeen = new Promise<http2.IncomingHttpHeaders>((resolve) => {
      blue.handler = (stream) => {
        stream.on('trailers', (trailers) => {
          resolve(trailers);
          stream.respond({ ':status': 200, 'grpc-status': '0' }, { endStream: true });
        });
        stream.resume();
      };
    });
    const req = session.request({ ':method': 'POST', ':path': PATH, strategy: 'blue' }, { waitForTrailers: true });
    req.on('wantTrailers', () => req.sendTrailers({ 'x-client-trailer': 'done' }));
    req.resume();
    req.end(Buffer.from('body'));
    expect((await trailersSeen)['x-client-trailer']).toBe('done');
  });

  it('cancels the engine stream when the client resets in the middle of a long answer', async () => {
    await start();
    const engineClosed = new Promise<number>((resolve) => {
      blue.handler = (stream) => {
        stream.on('close', () => resolve(stream.rstCode));
        stream.respond({ ':status': 200 });
        stream.write(Buffer.alloc(100_000));
      };
    });
    const req = session.request({ ':method': 'POST', ':path': PATH, strategy: 'blue' });
    req.end();
    await new Promise((resolve) => req.once('data', resolve));
    req.close(http2.constants.NGHTTP2_CANCEL);
    expect(await engineClosed).toBe(http2.constants.NGHTTP2_CANCEL);
    while (callLog.snapshot().total === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(callLog.snapshot().entries[0]).toMatchObject({ outcome: 'cancelled', deployment: 'blue' });
  });

  it('serves many calls to both deployments over one client connection at once', async () => {
    await start();
    controller.start({ announceMs: 60_000 });
    for (const stub of [blue, green]) {
      stub.handler = (stream, headers) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          stream.respond({ ':status': 200, 'x-served-by': String(headers.strategy) }, { waitForTrailers: true });
          stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
          stream.end(Buffer.concat(chunks).reverse());
        });
      };
    }
    const calls = Array.from({ length: 60 }, (_, i) => {
      const strategy = i % 2 === 0 ? 'blue' : 'green';
      const body = Buffer.alloc(1 + ((i * 7919) % 200_000), i);
      body[0] = 0xfe;
      return request(session, { ':path': PATH, strategy }, body).then((answer) => ({ answer, body, strategy }));
    });
    for (const { answer, body, strategy } of await Promise.all(calls)) {
      expect(answer.headers['x-served-by']).toBe(strategy);
      expect(answer.body.equals(Buffer.from(body).reverse())).toBe(true);
    }
    expect(gateway.upstreamSessions()).toBe(2);
    controller.close();
  });

  it('lets a client finish its upload after the engine already answered (trailers-only)', async () => {
    await start();
    blue.handler = (stream) => stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '9', 'grpc-message': 'too early' }, { endStream: true });
    const answer = await request(session, { ':path': PATH, strategy: 'blue' }, Buffer.alloc(3 * 1024 * 1024));
    expect(answer.headers['grpc-status']).toBe('9');
    expect(callLog.snapshot().entries[0]).toMatchObject({ outcome: 'grpc-error', grpcStatus: 9 });
  });

  it('holds a request body (ended by client trailers) through a fail-point delay, then forwards it', async () => {
    await start();
    failPoints.set('getNextResultBatch', { mode: { times: 1 }, action: { delayMs: 50 } });
    const bodySeen = new Promise<string>((resolve) => {
      blue.handler = (stream) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          resolve(Buffer.concat(chunks).toString());
          stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '0' }, { endStream: true });
        });
      };
    });
    const req = session.request({ ':method': 'POST', ':path': PATH, strategy: 'blue' }, { waitForTrailers: true });
    req.on('wantTrailers', () => req.sendTrailers({ 'x-done': '1' }));
    req.resume();
    req.end(Buffer.from('held for a while'));
    expect(await bodySeen).toBe('held for a while');
    while (callLog.snapshot().total === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(callLog.snapshot().entries[0]).toMatchObject({ outcome: 'ok', failPoint: 'getNextResultBatch' });
  });

  it('answers a ClusterService call that has no body with INTERNAL, naming what is missing', async () => {
    await start();
    // END_STREAM on the HEADERS frame itself, and on an empty DATA frame after it.
    const bare = session.request({ ':method': 'POST', ':path': '/ClusterService/status', 'content-type': 'application/grpc' }, { endStream: true });
    const bareHeaders = await new Promise<http2.IncomingHttpHeaders>((resolve) => bare.on('response', resolve));
    bare.resume();
    const emptyBody = await request(session, { ':path': '/ClusterService/status' });
    for (const headers of [bareHeaders, emptyBody.headers]) {
      expect(headers['grpc-status']).toBe('13');
      expect(headers['grpc-message']).toBe('could not read the ClusterService status request: expected one uncompressed message, got 0');
    }
  });

  it('closes a connection that does not speak HTTP/2 and keeps serving the others', async () => {
    await start();
    const client: EngineClient = createEngineClient({ host: '127.0.0.1', port: gateway.port });
    try {
      await client.healthCheck({}, { headers: { strategy: 'blue' } });
      const raw = net.connect(gateway.port, '127.0.0.1');
      raw.on('error', () => undefined);
      const closed = new Promise((resolve) => raw.on('close', resolve));
      const reply: Buffer[] = [];
      raw.on('data', (chunk: Buffer) => reply.push(chunk));
      raw.write('GET / HTTP/1.1\r\nHost: gateway\r\n\r\n');
      await closed;
      // The gateway's SETTINGS, then its GOAWAY (type 7) with PROTOCOL_ERROR.
      const bytes = Buffer.concat(reply);
      expect(bytes.includes(Buffer.from('did not start with the HTTP/2 client preface'))).toBe(true);
      await expect(client.healthCheck({}, { headers: { strategy: 'blue' } })).resolves.toEqual({});
      while (gateway.openSessions() !== 2) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      client.close();
    }
  });

  it('counts a client that vanishes mid-request as cancelled and resets the engine stream', async () => {
    await start();
    const engineClosed = new Promise<number>((resolve) => {
      blue.handler = (stream) => stream.on('close', () => resolve(stream.rstCode));
    });
    const req = session.request({ ':method': 'POST', ':path': PATH, strategy: 'blue' });
    req.write(Buffer.alloc(10));
    while (blue.open === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    session.destroy();
    expect(await engineClosed).toBe(http2.constants.NGHTTP2_CANCEL);
    while (callLog.snapshot().total === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(callLog.snapshot().entries[0]).toMatchObject({ outcome: 'cancelled' });
    while (gateway.openSessions() !== 0) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it.each([1, 100])('holds back an engine answering %i stream(s) of a client that opened huge windows but never reads its socket', async (streams) => {
    await start();
    const MB = 1024 * 1024;
    const total = 160 * MB;
    let written = 0;
    blue.handler = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      const chunk = Buffer.alloc(16 * 1024, 3);
      const pump = (): void => {
        while (written < total && !stream.destroyed) {
          written += chunk.length;
          if (!stream.write(chunk)) {
            stream.once('drain', pump);
            return;
          }
        }
        if (!stream.destroyed) stream.end();
      };
      pump();
    };
    const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const client = await RawClient.connect(gateway.port, { settings: [[h2.SETTING_INITIAL_WINDOW_SIZE, h2.MAX_WINDOW]] });
    try {
      client.stopReading();
      const requests = Array.from({ length: streams }, (_, i) => rawHeaders(2 * i + 1, grpcRequestHeaders('getNextResultBatch'), true));
      await client.send(rawFrame(h2.FRAME_WINDOW_UPDATE, 0, 0, [0x7f, 0xff, 0, 0]), ...requests);
      // Wait until the engine stops making progress: the gateway no longer credits it.
      let last = -1;
      while (written !== last) {
        last = written;
        await new Promise((r) => setTimeout(r, 300));
      }
      const grew = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - before;
      // The kernel's socket buffers (tens of MB on loopback) take part; the gateway holds at most its
      // send high-water mark and one engine stream window (256 KiB) per stream.
      expect(written).toBeLessThan(total);
      expect(grew).toBeLessThan(64 * MB);
    } finally {
      client.close();
    }
    // The test's node:http2 session stays.
    while (gateway.openSessions() !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
  });
});
