// The gateway in front of an "engine" that writes raw HTTP/2 frames, for the
// answers no node:http2 server would give: a body before its headers,
// informational headers, a reset with NO_ERROR before the status, a GOAWAY
// refusing a stream it was already sent.
import net, { type AddressInfo } from 'node:net';
import { createEngineClient, type EngineClient } from '@e6data-ts/grpc-transport';
import { CallLog, ClusterPower, DeploymentController, FailPoints, h2, startGateway, type Gateway } from '@e6data-ts/mock-engine/internal';
import { grpcFailure } from '../../support/transport-failure';

/** Frames the engine writes for the request on `streamId`. */
type Script = (streamId: number) => Buffer[];

interface RawEngine {
  port: number;
  script: Script;
  close(): Promise<void>;
}

async function startRawEngine(): Promise<RawEngine> {
  const sockets = new Set<net.Socket>();
  const engine: RawEngine = {
    port: 0,
    script: () => [],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(h2.settingsFrame([]));
    let preface = h2.CLIENT_PREFACE.length;
    const reader = new h2.FrameReader(h2.DEFAULT_MAX_FRAME_SIZE, (frame) => {
      if (frame.type === h2.FRAME_SETTINGS && (frame.flags & h2.FLAG_ACK) === 0) socket.write(h2.SETTINGS_ACK);
      if (frame.type === h2.FRAME_HEADERS) socket.write(Buffer.concat(engine.script(frame.streamId)));
      return true;
    });
    socket.on('data', (chunk: Buffer) => {
      const skip = Math.min(preface, chunk.length);
      preface -= skip;
      reader.push(chunk.subarray(skip));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  engine.port = (server.address() as AddressInfo).port;
  return engine;
}

function headers(streamId: number, list: string[], flags = h2.FLAG_END_HEADERS): Buffer[] {
  return h2.headersFrames(streamId, h2.encodeHeaderBlock(list), (flags & h2.FLAG_END_STREAM) !== 0, h2.DEFAULT_MAX_FRAME_SIZE);
}

/** An empty gRPC message: what healthCheck answers. */
function emptyMessage(streamId: number): Buffer[] {
  return [h2.dataFrameHeader(streamId, 5, false), Buffer.alloc(5)];
}

const OK_HEADERS = [':status', '200', 'content-type', 'application/grpc'];
const BLUE = { headers: { strategy: 'blue' } };

describe('gateway in front of an engine writing raw HTTP/2', () => {
  let engine: RawEngine;
  let gateway: Gateway;
  let controller: DeploymentController;
  let callLog: CallLog;
  let client: EngineClient;
  let name: string;

  beforeEach(async () => {
    engine = await startRawEngine();
    controller = new DeploymentController();
    callLog = new CallLog();
    gateway = await startGateway({
      engines: { blue: { host: '127.0.0.1', port: engine.port }, green: { host: '127.0.0.1', port: engine.port } },
      controller,
      power: new ClusterPower(),
      failPoints: new FailPoints(),
      callLog,
      users: [{ user: 'u', token: 't' }],
    });
    client = createEngineClient({ host: '127.0.0.1', port: gateway.port });
    name = `deployment blue (127.0.0.1:${engine.port})`;
  });

  afterEach(async () => {
    client.close();
    controller.close();
    await gateway.close();
    await engine.close();
  });

  it('relays the final answer and drops informational (1xx) headers', async () => {
    engine.script = (id) => [
      ...headers(id, [':status', '100']),
      ...headers(id, OK_HEADERS),
      ...emptyMessage(id),
      ...headers(id, ['grpc-status', '0'], h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM),
    ];
    await expect(client.healthCheck({}, BLUE)).resolves.toEqual({});
    expect(callLog.snapshot().entries[0]).toMatchObject({ outcome: 'ok', grpcStatus: 0 });
  });

  it('answers INTERNAL when the engine sends a body before its response headers', async () => {
    engine.script = (id) => emptyMessage(id);
    expect(await grpcFailure(client.healthCheck({}, BLUE))).toEqual({ code: 13, details: `${name} sent a body before its response headers` });
    expect(callLog.snapshot().entries[0]).toMatchObject({ outcome: 'upstream-error', grpcStatus: 13 });
  });

  it('answers INTERNAL when the engine resets with NO_ERROR before any status', async () => {
    engine.script = (id) => [...headers(id, OK_HEADERS), ...emptyMessage(id), h2.rstStreamFrame(id, h2.ERROR_NO_ERROR)];
    expect(await grpcFailure(client.healthCheck({}, BLUE))).toEqual({ code: 13, details: `${name} ended the call without a gRPC status` });
  });

  it('answers INTERNAL when the engine ends the body without trailers', async () => {
    engine.script = (id) => [...headers(id, OK_HEADERS), h2.dataFrameHeader(id, 5, true), Buffer.alloc(5)];
    expect(await grpcFailure(client.healthCheck({}, BLUE))).toEqual({ code: 13, details: `${name} ended the call without a gRPC status` });
  });

  const okAnswer = (id: number): Buffer[] => [
    ...headers(id, OK_HEADERS),
    ...emptyMessage(id),
    ...headers(id, ['grpc-status', '0'], h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM),
  ];

  it('sends a call the engine refused unprocessed (GOAWAY past it) again on a fresh connection (RFC 9113 section 8.7)', async () => {
    let refusals = 1;
    // The last stream it processed is the one before this one (0 for the first).
    engine.script = (id) => (refusals-- > 0 ? [h2.goawayFrame(Math.max(id - 2, 0), h2.ERROR_NO_ERROR, 'shutting down')] : okAnswer(id));
    await expect(client.healthCheck({}, BLUE)).resolves.toEqual({});
    expect(callLog.snapshot().entries[0]).toMatchObject({ outcome: 'ok' });
    while (gateway.upstreamSessions() !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it('answers UNAVAILABLE when the engine keeps refusing a call, and the next call gets a new connection', async () => {
    engine.script = (id) => [h2.goawayFrame(Math.max(id - 2, 0), h2.ERROR_NO_ERROR, 'shutting down')];
    expect(await grpcFailure(client.healthCheck({}, BLUE))).toEqual({ code: 14, details: `${name} broke off the call (HTTP/2 code 7)` });
    engine.script = okAnswer;
    await expect(client.healthCheck({}, BLUE)).resolves.toEqual({});
    while (gateway.upstreamSessions() !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it('fails the calls an engine took at once when it answers GOAWAY with an error, and drops that connection', async () => {
    // Calls 1 and 2 wait for an answer; the third makes the engine give up on the whole connection.
    let calls = 0;
    engine.script = (id) => (++calls < 3 ? [] : [h2.goawayFrame(id, h2.ERROR_COMPRESSION, 'header too large')]);
    const started = performance.now();
    const failures = await Promise.all([0, 1, 2].map(() => grpcFailure(client.healthCheck({}, { ...BLUE, timeoutMs: 20_000 }))));
    // Well before any deadline: the calls do not hang on a connection the engine abandoned.
    expect(performance.now() - started).toBeLessThan(5_000);
    for (const failure of failures) {
      expect(failure).toEqual({ code: 14, details: `${name} is unreachable: the peer ended the connection with GOAWAY code 9 (header too large)` });
    }
    while (gateway.upstreamSessions() !== 0) await new Promise((resolve) => setTimeout(resolve, 5));
    engine.script = okAnswer;
    await expect(client.healthCheck({}, BLUE)).resolves.toEqual({});
  });

  it('relays an answer the engine splits over several DATA frames', async () => {
    // One field healthCheck's response does not know (number 99, 39,995 bytes): protobuf skips it.
    const message = Buffer.concat([Buffer.from([0x9a, 0x06, 0xbb, 0xb8, 0x02]), Buffer.alloc(39_995, 1)]);
    const framed = Buffer.concat([Buffer.from([0, 0, 0, 0x9c, 0x40]), message]);
    const parts = [framed.subarray(0, 16_384), framed.subarray(16_384, 32_768), framed.subarray(32_768)];
    engine.script = (id) => [
      ...headers(id, OK_HEADERS),
      ...parts.flatMap((part) => [h2.dataFrameHeader(id, part.length, false), part]),
      ...headers(id, ['grpc-status', '0'], h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM),
    ];
    await expect(client.healthCheck({}, BLUE)).resolves.toEqual({});
  });

  it('drops the engine connection on a frame larger than it may send, failing its calls as UNAVAILABLE', async () => {
    engine.script = (id) => [...headers(id, OK_HEADERS), h2.dataFrameHeader(id, 20_000, false), Buffer.alloc(20_000)];
    expect(await grpcFailure(client.healthCheck({}, BLUE))).toEqual({ code: 14, details: `${name} is unreachable: frame of 20000 bytes exceeds the 16384 announced` });
    while (gateway.upstreamSessions() !== 0) await new Promise((resolve) => setTimeout(resolve, 5));
  });
});
