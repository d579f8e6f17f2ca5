// The gateway against clients that break the rules or abuse them, byte for
// byte over TCP: each case checks the answer RFC 9113 / RFC 7541 asks for
// (GOAWAY or RST_STREAM with the right code), that the abusive connection is
// closed before the gateway grows by 64 MB, and that a canary grpc-js client
// calling beside it sees no failure at all.
import { h2 } from '@e6data-ts/mock-engine/internal';
import { useMockCluster } from '../../support/mock-cluster';
import { grpcFrame, grpcRequestHeaders, RawClient, rawFrame, rawHeaders } from '../../support/raw-http2';

const MB = 1024 * 1024;
const BLUE = { headers: { strategy: 'blue' } };

/** Bytes this process holds in the JS heap and in buffers. */
function heldBytes(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

describe('gateway against abusive HTTP/2 clients', () => {
  const mock = useMockCluster({ mockTableRows: 100 });
  const open: RawClient[] = [];
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
    mock.cluster.failPoints.clearAll();
  });

  async function rawClient(options: Parameters<typeof RawClient.connect>[1] = {}): Promise<RawClient> {
    const client = await RawClient.connect(mock.cluster.port, options);
    open.push(client);
    return client;
  }

  /**
   * Runs `abuse` while a canary client calls healthCheck in a loop (8 in
   * flight) and memory is sampled; the canary must see no failure and the
   * process must not grow by 64 MB.
   */
  async function besideCanary(abuse: () => Promise<void>): Promise<{ calls: number; grewBy: number }> {
    let stop = false;
    let calls = 0;
    const failures: string[] = [];
    const loop = async (): Promise<void> => {
      while (!stop) {
        try {
          await mock.client.healthCheck({}, { ...BLUE, timeoutMs: 10_000 });
          calls++;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const before = heldBytes();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, heldBytes());
    }, 10);
    const canaries = Array.from({ length: 8 }, loop);
    try {
      await abuse();
      // A few more canary calls after the abuse, on the same shared engine connection.
      const target = calls + 16;
      const deadline = Date.now() + 10_000;
      while (calls < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    } finally {
      stop = true;
      clearInterval(sampler);
      await Promise.all(canaries);
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(0);
    const grewBy = peak - before;
    expect(grewBy).toBeLessThan(64 * MB);
    return { calls, grewBy };
  }

  describe('HPACK input that used to crash or bloat the gateway', () => {
    it('an integer with 148 zero continuation octets is a COMPRESSION_ERROR, not a crash', async () => {
      await besideCanary(async () => {
        const client = await rawClient();
        const block = Buffer.from([0xff, ...Buffer.alloc(148, 0x80), 0x00]);
        await client.send(rawFrame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS, 1, block));
        expect((await client.waitForGoaway()).code).toBe(h2.ERROR_COMPRESSION);
        await client.closed;
      });
    });

    it('a string length that overflows is a COMPRESSION_ERROR', async () => {
      const client = await rawClient();
      // Literal with a new name whose length is 127 + a run of zero octets.
      await client.send(rawFrame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS, 1, Buffer.from([0x00, 0x7f, ...Buffer.alloc(60, 0x80), 0x01])));
      expect((await client.waitForGoaway()).code).toBe(h2.ERROR_COMPRESSION);
    });

    it('a table size update past the announced size, or an overflowing one, is a COMPRESSION_ERROR', async () => {
      for (const block of [Buffer.from([0x3f, 0xe1, 0xff, 0x03]), Buffer.from([0x3f, ...Buffer.alloc(80, 0x80), 0x00])]) {
        const client = await rawClient();
        await client.send(rawFrame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS, 1, block));
        expect((await client.waitForGoaway()).code).toBe(h2.ERROR_COMPRESSION);
      }
    });

    it('an HPACK bomb (one 4 KB entry named 60,000 times) is answered 431 without building the list', async () => {
      const { grewBy } = await besideCanary(async () => {
        const client = await rawClient();
        const name = Buffer.from('x-bomb');
        const entry = Buffer.concat([Buffer.from([0x40, name.length]), name, Buffer.from([0x7f, 0xa1, 0x1e]), Buffer.alloc(4_000, 0x61)]);
        const request = h2.encodeHeaderBlock(grpcRequestHeaders());
        const bomb = Buffer.concat([request, entry, Buffer.alloc(60_000, 0xbe)]);
        const frames = h2.headersFrames(1, bomb, true, h2.DEFAULT_MAX_FRAME_SIZE);
        await client.send(...frames);
        await client.waitFor('the 431 answer', () => client.of(h2.FRAME_HEADERS, 1).length > 0);
        const decoded = new h2.HpackDecoder(4096).decode(client.of(h2.FRAME_HEADERS, 1)[0]!.payload);
        expect(decoded).toEqual([':status', '431']);
        expect(client.goaway()).toBeNull();
      });
      // 60,000 x 4 KB would be 240 MB.
      expect(grewBy).toBeLessThan(64 * MB);
    });
  });

  describe('isolation', () => {
    it('a legal 100 KiB header is answered 431 at the gateway and never reaches the shared engine connection', async () => {
      await besideCanary(async () => {
        const client = await rawClient();
        for (let id = 1; id <= 9; id += 2) {
          const block = h2.encodeHeaderBlock(grpcRequestHeaders('healthCheck', ['x-big', 'v'.repeat(100 * 1024)]));
          await client.send(...h2.headersFrames(id, block, true, h2.DEFAULT_MAX_FRAME_SIZE));
        }
        await client.waitFor('five answers', () => client.of(h2.FRAME_HEADERS).length === 5);
        const decoder = new h2.HpackDecoder(4096);
        expect(client.of(h2.FRAME_HEADERS).map((f) => decoder.decode(f.payload)[1])).toEqual(['431', '431', '431', '431', '431']);
      });
      // The engine connection is the one it was: no GOAWAY tore it down.
      await expect(mock.client.healthCheck({}, BLUE)).resolves.toEqual({});
    });

    it('a rapid-reset flood is cut off with ENHANCE_YOUR_CALM, and the engine never sees enough resets to fail its connection', async () => {
      await besideCanary(async () => {
        const client = await rawClient();
        const burst: Buffer[] = [];
        for (let id = 1; id < 4_000; id += 2) {
          burst.push(rawHeaders(id, grpcRequestHeaders()), rawFrame(h2.FRAME_RST_STREAM, 0, id, [0, 0, 0, 8]));
        }
        await client.send(...burst);
        expect((await client.waitForGoaway()).code).toBe(h2.ERROR_ENHANCE_YOUR_CALM);
        await client.closed;
      });
    });
  });

  describe('bounded memory', () => {
    it('a flood of empty CONTINUATION frames is cut off with ENHANCE_YOUR_CALM', async () => {
      await besideCanary(async () => {
        const client = await rawClient();
        const flood = [rawFrame(h2.FRAME_HEADERS, 0, 1, h2.encodeHeaderBlock(grpcRequestHeaders()))];
        for (let i = 0; i < 100_000; i++) flood.push(rawFrame(h2.FRAME_CONTINUATION, 0, 1));
        void client.send(...flood);
        expect((await client.waitForGoaway()).code).toBe(h2.ERROR_ENHANCE_YOUR_CALM);
      });
    });

    it.each([
      ['PING', rawFrame(h2.FRAME_PING, 0, 0, Buffer.alloc(8))],
      ['SETTINGS', h2.settingsFrame([[h2.SETTING_INITIAL_WINDOW_SIZE, 65_535]])],
    ])('a %s flood from a client that never reads is cut off before it costs 64 MB', async (_name, frame) => {
      await besideCanary(async () => {
        const client = await rawClient();
        client.stopReading();
        const batch = Buffer.concat(Array.from({ length: 10_000 }, () => frame));
        // Up to 3 million frames unless the gateway closes the connection first.
        for (let i = 0; i < 300 && !client.isClosed; i++) await client.send(batch);
        await client.closed;
      });
    });

    it('a PING flood from a client that reads is cut off with ENHANCE_YOUR_CALM', async () => {
      await besideCanary(async () => {
        const client = await rawClient();
        const ping = rawFrame(h2.FRAME_PING, 0, 0, Buffer.alloc(8));
        await client.send(...Array.from({ length: 5_000 }, () => ping));
        expect((await client.waitForGoaway()).code).toBe(h2.ERROR_ENHANCE_YOUR_CALM);
      });
    });

    it('200 streams uploading 1 MiB each: past 100 they are refused, and the rest hold at most the 16 MiB connection window', async () => {
      mock.cluster.failPoints.set('executeStatementV2', { mode: 'alwaysOn', action: { stall: true } });
      await besideCanary(async () => {
        const client = await rawClient();
        await client.send(...Array.from({ length: 200 }, (_, i) => rawHeaders(2 * i + 1, grpcRequestHeaders('executeStatementV2'))));
        await client.waitFor('100 refused streams', () => client.of(h2.FRAME_RST_STREAM).length === 100);
        expect(client.of(h2.FRAME_RST_STREAM).every((f) => f.streamId > 200 && f.payload.readUInt32BE(0) === h2.ERROR_REFUSED_STREAM)).toBe(true);
        await client.waitFor('100 held calls', () => mock.cluster.failPoints.stalledCalls() === 100);
        // The whole connection window (16 MiB) goes to the first 16 streams, 1 MiB each, which nobody reads.
        const chunk = Buffer.alloc(16_384, 7);
        for (let id = 1; id <= 31; id += 2) await client.send(...Array.from({ length: 64 }, () => rawFrame(h2.FRAME_DATA, 0, id, chunk)));
        await new Promise((r) => setTimeout(r, 200));
        const credited = client.of(h2.FRAME_WINDOW_UPDATE, 0).reduce((sum, f) => sum + f.payload.readUInt32BE(0), 0);
        expect(credited + h2.DEFAULT_WINDOW).toBe(16 * MB);
        // Not one more byte: past the window is a FLOW_CONTROL_ERROR.
        await client.send(rawFrame(h2.FRAME_DATA, 0, 33, chunk));
        expect((await client.waitForGoaway()).code).toBe(h2.ERROR_FLOW_CONTROL);
        await client.closed;
      });
      await new Promise((r) => setTimeout(r, 100));
      expect(mock.cluster.failPoints.stalledCalls()).toBe(0);
    });
  });

  describe('RFC 9113 stream states', () => {
    it.each([
      ['a first frame other than SETTINGS', () => [rawFrame(h2.FRAME_PING, 0, 0, Buffer.alloc(8))], h2.ERROR_PROTOCOL, false],
      ['DATA on an idle stream', () => [rawFrame(h2.FRAME_DATA, 0, 5, [1])], h2.ERROR_PROTOCOL, true],
      ['WINDOW_UPDATE on an idle stream', () => [rawFrame(h2.FRAME_WINDOW_UPDATE, 0, 5, [0, 0, 0, 1])], h2.ERROR_PROTOCOL, true],
      ['RST_STREAM on an idle stream', () => [rawFrame(h2.FRAME_RST_STREAM, 0, 5, [0, 0, 0, 8])], h2.ERROR_PROTOCOL, true],
      ['a stream id going backwards', () => [rawHeaders(5, grpcRequestHeaders(), true), rawHeaders(3, grpcRequestHeaders(), true)], h2.ERROR_PROTOCOL, true],
      [
        'HEADERS on a stream closed normally',
        () => [rawHeaders(1, grpcRequestHeaders(), true), rawFrame(h2.FRAME_RST_STREAM, 0, 1, [0, 0, 0, 8]), rawHeaders(1, grpcRequestHeaders(), true)],
        h2.ERROR_STREAM_CLOSED,
        true,
      ],
      ['PRIORITY on stream 0', () => [rawFrame(h2.FRAME_PRIORITY, 0, 0, [0, 0, 0, 1, 16])], h2.ERROR_PROTOCOL, true],
      ['ENABLE_PUSH of 2', () => [h2.settingsFrame([[h2.SETTING_ENABLE_PUSH, 2]])], h2.ERROR_PROTOCOL, true],
    ])('%s is a connection error', async (_name, frames, code, preface) => {
      const client = await rawClient({ preface });
      if (!preface) await client.send(h2.CLIENT_PREFACE);
      await client.send(...frames());
      expect((await client.waitForGoaway()).code).toBe(code);
      await client.closed;
    });

    it.each([
      ['a PRIORITY frame of the wrong size', () => rawFrame(h2.FRAME_PRIORITY, 0, 1, [0, 0, 0, 3]), h2.ERROR_FRAME_SIZE],
      ['a stream depending on itself', () => rawFrame(h2.FRAME_PRIORITY, 0, 1, [0, 0, 0, 1, 16]), h2.ERROR_PROTOCOL],
    ])('%s is a stream error', async (_name, make, code) => {
      const client = await rawClient();
      await client.send(rawHeaders(1, grpcRequestHeaders()), make());
      await client.waitFor('RST_STREAM', () => client.reset(1) !== null);
      expect(client.reset(1)).toBe(code);
      expect(client.goaway()).toBeNull();
    });
  });

  describe('RFC 9113 section 8 request validation', () => {
    const base = grpcRequestHeaders();
    const without = (name: string): string[] => {
      const at = base.indexOf(name);
      return [...base.slice(0, at), ...base.slice(at + 2)];
    };
    it.each([
      ['an uppercase field name', [...base, 'X-Upper', '1']],
      ['a CR in a value', [...base, 'x-bad', 'a\rb']],
      ['an LF in a value', [...base, 'x-bad', 'a\nb']],
      ['a NUL in a value', [...base, 'x-bad', 'a\u0000b']],
      ['no :path', without(':path')],
      ['no :method', without(':method')],
      ['a duplicate :path', [...base.slice(0, 8), ':path', '/x', ...base.slice(8)]],
      ['a pseudo-header after a regular field', [...base, ':authority', 'x']],
      ['an unknown pseudo-header', [':status', '200', ...base]],
      ['a connection-specific field', [...base, 'connection', 'keep-alive']],
      ['te other than trailers', [...without('te'), 'te', 'gzip']],
      ['an empty :path', [...without(':path'), ':path', '']],
    ])('%s is reset with PROTOCOL_ERROR and never forwarded', async (_name, headers) => {
      mock.cluster.resetCalls();
      const client = await rawClient();
      await client.send(rawHeaders(1, headers, true));
      await client.waitFor('RST_STREAM', () => client.reset(1) !== null);
      expect(client.reset(1)).toBe(h2.ERROR_PROTOCOL);
      expect(client.goaway()).toBeNull();
      expect(mock.cluster.calls().total).toBe(0);
    });

    it('a body longer or shorter than its content-length is reset with PROTOCOL_ERROR', async () => {
      const client = await rawClient();
      await client.send(
        rawHeaders(1, [...base, 'content-length', '3']),
        rawFrame(h2.FRAME_DATA, h2.FLAG_END_STREAM, 1, Buffer.alloc(5)),
        rawHeaders(3, [...base, 'content-length', '10']),
        rawFrame(h2.FRAME_DATA, h2.FLAG_END_STREAM, 3, Buffer.alloc(5)),
      );
      await client.waitFor('two resets', () => client.reset(1) !== null && client.reset(3) !== null);
      expect([client.reset(1), client.reset(3)]).toEqual([h2.ERROR_PROTOCOL, h2.ERROR_PROTOCOL]);
    });

    it('a second HEADERS without END_STREAM, or trailers with a pseudo-header, are reset with PROTOCOL_ERROR', async () => {
      const client = await rawClient();
      await client.send(
        rawHeaders(1, base),
        rawHeaders(1, ['x-trailer', '1']),
        rawHeaders(3, base),
        rawHeaders(3, [':path', '/x'], true),
      );
      await client.waitFor('two resets', () => client.reset(1) !== null && client.reset(3) !== null);
      expect([client.reset(1), client.reset(3)]).toEqual([h2.ERROR_PROTOCOL, h2.ERROR_PROTOCOL]);
    });

    it('a well-formed request with a matching content-length goes through', async () => {
      const client = await rawClient();
      const body = grpcFrame(Buffer.alloc(0));
      await client.send(rawHeaders(1, [...base, 'content-length', String(body.length)]), rawFrame(h2.FRAME_DATA, h2.FLAG_END_STREAM, 1, body));
      await client.waitFor('the trailers', () => client.of(h2.FRAME_HEADERS, 1).some((f) => (f.flags & h2.FLAG_END_STREAM) !== 0));
      const decoder = new h2.HpackDecoder(4096);
      const blocks = client.of(h2.FRAME_HEADERS, 1).map((f) => decoder.decode(f.payload));
      expect(blocks.at(-1)).toEqual(expect.arrayContaining(['grpc-status', '0']));
    });
  });

  describe('interop', () => {
    it("opens the first header block after the peer's SETTINGS_HEADER_TABLE_SIZE with a size update (RFC 7541 section 4.2)", async () => {
      const client = await rawClient({ settings: [[h2.SETTING_HEADER_TABLE_SIZE, 0]] });
      await client.send(rawHeaders(1, grpcRequestHeaders(), false), rawFrame(h2.FRAME_DATA, h2.FLAG_END_STREAM, 1, grpcFrame(Buffer.alloc(0))));
      await client.send(rawHeaders(3, grpcRequestHeaders(), false), rawFrame(h2.FRAME_DATA, h2.FLAG_END_STREAM, 3, grpcFrame(Buffer.alloc(0))));
      await client.waitFor('both answers', () => client.of(h2.FRAME_HEADERS, 3).some((f) => (f.flags & h2.FLAG_END_STREAM) !== 0));
      const blocks = client.of(h2.FRAME_HEADERS).map((f) => f.payload);
      // Exactly the first block opens with "table size 0" (001 00000); the others need none.
      expect(blocks[0]![0]).toBe(0x20);
      expect(blocks.slice(1).every((b) => (b[0]! & 0xe0) !== 0x20)).toBe(true);
      const decoder = new h2.HpackDecoder(0);
      expect(blocks.map((b) => decoder.decode(b)).flat()).toContain('grpc-status');
    });

    it('an early answer (503 while suspended) ends with RST_STREAM(NO_ERROR) while the client still uploads (RFC 9113 section 8.1)', async () => {
      mock.cluster.suspend();
      try {
        const client = await rawClient();
        await client.send(rawHeaders(1, grpcRequestHeaders('executeStatementV2')), rawFrame(h2.FRAME_DATA, 0, 1, Buffer.alloc(1000)));
        await client.waitFor('RST_STREAM', () => client.reset(1) !== null);
        expect(new h2.HpackDecoder(4096).decode(client.of(h2.FRAME_HEADERS, 1)[0]!.payload)).toEqual([':status', '503']);
        expect(client.reset(1)).toBe(h2.ERROR_NO_ERROR);
        // More DATA on the stream it reset is ignored, not an error.
        await client.send(rawFrame(h2.FRAME_DATA, h2.FLAG_END_STREAM, 1, Buffer.alloc(1000)));
        await client.send(rawFrame(h2.FRAME_PING, 0, 0, Buffer.alloc(8)));
        await client.waitFor('PING ACK', () => client.of(h2.FRAME_PING).length > 0);
        expect(client.goaway()).toBeNull();
      } finally {
        await mock.cluster.resume();
      }
    });
  });
});
