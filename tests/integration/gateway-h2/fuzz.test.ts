// Random frame sequences against a running gateway: whatever a client sends,
// the process survives (an exception escaping a socket listener would fail
// the run), every connection it opened closes or stays answerable, memory
// does not run away, and a canary grpc-js client still gets answers.
// CI runs a fixed seed; E6_FUZZ_RUNS=5000 (and E6_FUZZ_SEED) run longer.
import fc from 'fast-check';
import { createEngineClient, type EngineClient } from '@e6data-ts/grpc-transport';
import { h2 } from '@e6data-ts/mock-engine/internal';
import { useMockCluster } from '../../support/mock-cluster';
import { startStubGateway, type StubGateway } from '../../support/stub-gateway';
import { grpcFrame, grpcRequestHeaders, RawClient, rawFrame } from '../../support/raw-http2';

const RUNS = Number(process.env.E6_FUZZ_RUNS ?? 150);
const SEED = Number(process.env.E6_FUZZ_SEED ?? 20_261_205);
const BLUE = { headers: { strategy: 'blue' } };

const streamId = fc.oneof(fc.constantFrom(0, 1, 3, 5, 2, 0x7fffffff), fc.integer({ min: 0, max: 64 }));
const flags = fc.oneof(fc.constantFrom(0, h2.FLAG_END_STREAM, h2.FLAG_END_HEADERS, h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM, h2.FLAG_PADDED, h2.FLAG_PRIORITY), fc.integer({ min: 0, max: 255 }));
const bytes = fc.uint8Array({ maxLength: 80 }).map((a) => Buffer.from(a));
// HPACK blocks: well-formed requests, the same with random octets spliced in, and raw octets.
const hpackBlock = fc.oneof(
  fc.constantFrom('healthCheck', 'status', 'nope').map((m) => h2.encodeHeaderBlock(grpcRequestHeaders(m))),
  fc.tuple(fc.constantFrom(...['healthCheck', 'status'].map((m) => h2.encodeHeaderBlock(grpcRequestHeaders(m)))), fc.nat(200), bytes).map(([block, at, junk]) =>
    Buffer.concat([block.subarray(0, at % (block.length + 1)), junk, block.subarray(at % (block.length + 1))]),
  ),
  bytes,
  // Integers and string lengths with long runs of continuation octets, behind each representation's prefix.
  fc
    .tuple(fc.constantFrom([0xff], [0x7f], [0x3f], [0x1f], [0x0f], [0x00, 0x7f], [0x00, 0xff], [0x40, 0xff], [0x10, 0xff]), fc.oneof(fc.nat(10), fc.integer({ min: 146, max: 160 })), bytes)
    .map(([prefix, zeros, tail]) => Buffer.concat([Buffer.from(prefix), Buffer.alloc(zeros, 0x80), Buffer.from([0]), tail])),
);
const payloadFor = (type: number): fc.Arbitrary<Buffer> => {
  switch (type) {
    case h2.FRAME_HEADERS:
    case h2.FRAME_CONTINUATION:
      return hpackBlock;
    case h2.FRAME_DATA:
      return fc.oneof(fc.constant(grpcFrame(Buffer.alloc(0))), bytes);
    case h2.FRAME_SETTINGS:
      return fc
        .array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.oneof(fc.nat(), fc.constantFrom(0, 1, 2, 16_383, 16_384, 0x7fffffff, 0xffffffff))), { maxLength: 4 })
        .map((pairs) => h2.settingsFrame(pairs.map(([id, v]) => [id, v >>> 0] as [number, number])).subarray(9));
    case h2.FRAME_WINDOW_UPDATE:
    case h2.FRAME_RST_STREAM:
      return fc.oneof(fc.nat().map((n) => Buffer.from([n >>> 24, n >>> 16, n >>> 8, n])), bytes);
    case h2.FRAME_PING:
      return fc.oneof(fc.constant(Buffer.alloc(8)), bytes);
    default:
      return bytes;
  }
};
const frameType = fc.oneof({ weight: 3, arbitrary: fc.constant(h2.FRAME_HEADERS) }, { weight: 6, arbitrary: fc.integer({ min: 0, max: 11 }) });
const frameBytes = frameType
  .chain((type) => fc.tuple(fc.constant(type), type === h2.FRAME_HEADERS ? fc.oneof(fc.constant(h2.FLAG_END_HEADERS), flags) : flags, streamId, payloadFor(type)))
  .map(([type, f, id, payload]) => rawFrame(type, f, id, payload));
const session = fc.record({
  settingsFirst: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  frames: fc.array(frameBytes, { minLength: 1, maxLength: 25 }),
  // Where the byte stream is cut into separate writes.
  cuts: fc.array(fc.nat(2_000), { maxLength: 4 }),
});

describe('gateway under random frame sequences', () => {
  // Real engines behind a gateway of its own, whose client connections the test can count.
  const mock = useMockCluster({ mockTableRows: 20 });
  let stub: StubGateway;
  let canary: EngineClient;
  beforeAll(async () => {
    const { blue, green } = mock.cluster.state().deployments;
    stub = await startStubGateway({ blue: blue.port, green: green.port });
    canary = createEngineClient({ host: '127.0.0.1', port: stub.gateway.port });
  });
  afterAll(async () => {
    canary.close();
    await stub.close();
  });

  it(`survives ${RUNS} random clients (seed ${SEED}) and still answers a canary`, async () => {
    const before = process.memoryUsage().heapUsed;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(session, async ({ settingsFirst, frames, cuts }) => {
        const client = await RawClient.connect(stub.gateway.port, { preface: false });
        try {
          const stream = Buffer.concat([h2.CLIENT_PREFACE, ...(settingsFirst ? [h2.settingsFrame([])] : []), ...frames]);
          const points = [...new Set(cuts.map((c) => c % stream.length))].sort((a, b) => a - b);
          let at = 0;
          for (const point of [...points, stream.length]) {
            await client.send(stream.subarray(at, point));
            at = point;
          }
          // Whatever it did, the connection answers a PING or has been closed.
          await client.send(rawFrame(h2.FRAME_PING, 0, 0, Buffer.from('canary!!')));
          await client.waitFor('a PING answer or the close', () => client.isClosed || client.of(h2.FRAME_PING).some((f) => (f.flags & h2.FLAG_ACK) !== 0 && f.payload.toString() === 'canary!!'), 5_000);
          // INTERNAL_ERROR would mean an exception the gateway did not expect: survived, but a bug.
          expect(client.goaway()?.code).not.toBe(h2.ERROR_INTERNAL);
        } finally {
          client.close();
          await client.closed;
        }
        if (++run % 25 === 0) await expect(canary.healthCheck({}, { ...BLUE, timeoutMs: 5_000 })).resolves.toEqual({});
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    await expect(canary.healthCheck({}, { ...BLUE, timeoutMs: 5_000 })).resolves.toEqual({});
    // Every client connection it accepted is gone again (one left: the canary's).
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && stub.gateway.openSessions() > 1) await new Promise((r) => setTimeout(r, 20));
    expect(stub.gateway.openSessions()).toBe(1);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
  }, 600_000);
});
