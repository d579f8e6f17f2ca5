// The gateway's HTTP/2 connection, both roles, over in-memory transports:
// streams, header blocks, flow control both ways, SETTINGS, PING, GOAWAY,
// resets, and the answer to every protocol violation.
import { MockClusterError } from '@e6data-ts/mock-engine';
import { h2 } from '@e6data-ts/mock-engine/internal';
import {
  dataFrame,
  frame,
  headersFrame,
  MemoryTransport,
  RawPeer,
  RecordingEvents,
  settings,
  settle,
  windowUpdate,
} from './memory-transport';

interface Opened {
  stream: h2.Http2Stream;
  headers: string[];
  endStream: boolean;
  events: RecordingEvents;
}

const REQUEST = [':method', 'POST', ':scheme', 'http', ':path', '/QueryEngineService/healthCheck', ':authority', 'engine'];

/** A server-role connection whose client is a raw peer that already sent its preface and SETTINGS. */
function server(options: { streamWindow?: number; connectionWindow?: number; autoConsume?: boolean; attach?: boolean } = {}) {
  const peer = new RawPeer('server');
  const opened: Opened[] = [];
  const closed: Array<Error | null> = [];
  const connection = new h2.Http2Connection(peer.transport, {
    role: 'server',
    streamWindow: options.streamWindow ?? h2.DEFAULT_WINDOW,
    connectionWindow: options.connectionWindow ?? h2.DEFAULT_WINDOW,
    onStream: (stream, headers, endStream) => {
      const events = new RecordingEvents(options.autoConsume ?? true);
      events.stream = stream;
      if (options.attach ?? true) stream.events = events;
      opened.push({ stream, headers, endStream, events });
    },
    onClose: (error) => closed.push(error),
  });
  peer.send(h2.CLIENT_PREFACE, settings());
  return { peer, connection, opened, closed };
}

/** A client-role connection whose server is a raw peer (which sends its SETTINGS unless told not to). */
function client(options: { streamWindow?: number; peerSettings?: boolean; limits?: Partial<h2.ConnectionLimits> } = {}) {
  const peer = new RawPeer('client');
  const closed: Array<Error | null> = [];
  let goaways = 0;
  const connection = new h2.Http2Connection(peer.transport, {
    role: 'client',
    streamWindow: options.streamWindow ?? h2.DEFAULT_WINDOW,
    connectionWindow: h2.DEFAULT_WINDOW,
    onClose: (error) => closed.push(error),
    onGoaway: () => goaways++,
    limits: options.limits,
  });
  if (options.peerSettings ?? true) peer.send(settings());
  const open = (endStream = true): { stream: h2.Http2Stream; events: RecordingEvents } => {
    const events = new RecordingEvents();
    const stream = connection.openStream(REQUEST, endStream, events);
    events.stream = stream;
    return { stream, events };
  };
  return { peer, connection, closed, open, goaways: () => goaways };
}

function decodeAll(frames: Array<{ payload: Buffer }>): string[][] {
  const decoder = new h2.HpackDecoder(4096);
  return frames.map((f) => decoder.decode(f.payload));
}

describe('Http2Connection, server role', () => {
  it('announces its stream window, header list and stream limits, raises the connection window at once and acknowledges SETTINGS', async () => {
    const { peer } = server({ streamWindow: 1 << 20, connectionWindow: 1 << 24 });
    await settle();
    expect(peer.frames.map((f) => f.type)).toEqual([h2.FRAME_SETTINGS, h2.FRAME_WINDOW_UPDATE, h2.FRAME_SETTINGS]);
    // INITIAL_WINDOW_SIZE 1 MiB, MAX_HEADER_LIST_SIZE 32 KiB, MAX_CONCURRENT_STREAMS 100.
    expect([...peer.frames[0]!.payload]).toEqual([0, 4, 0, 16, 0, 0, 0, 6, 0, 0, 128, 0, 0, 3, 0, 0, 0, 100]);
    expect(peer.frames[1]!.payload.readUInt32BE(0)).toBe((1 << 24) - h2.DEFAULT_WINDOW);
    expect(peer.frames[2]!.flags).toBe(h2.FLAG_ACK);
  });

  it('takes the preface in pieces', async () => {
    const peer = new RawPeer('server');
    const connection = new h2.Http2Connection(peer.transport, { role: 'server', streamWindow: 100_000, connectionWindow: 100_000 });
    peer.send(h2.CLIENT_PREFACE.subarray(0, 10));
    peer.send(h2.CLIENT_PREFACE.subarray(10), settings());
    await settle();
    expect(peer.goaway()).toBeNull();
    expect(peer.of(h2.FRAME_SETTINGS).filter((f) => f.flags === h2.FLAG_ACK)).toHaveLength(1);
    connection.destroy();
  });

  it('refuses a connection that does not start with the HTTP/2 preface (an HTTP/1.1 request, say)', async () => {
    const peer = new RawPeer('server');
    const closed: Array<Error | null> = [];
    const connection = new h2.Http2Connection(peer.transport, {
      role: 'server',
      streamWindow: 100_000,
      connectionWindow: 100_000,
      onClose: (error) => closed.push(error),
    });
    peer.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await settle();
    expect(peer.goaway()).toEqual({ code: h2.ERROR_PROTOCOL, debug: 'the connection did not start with the HTTP/2 client preface' });
    expect(closed).toHaveLength(1);
    expect(closed[0]).toBeInstanceOf(h2.Http2ProtocolError);
    expect(connection.isClosed()).toBe(true);
    expect(peer.transport.ended).toBe(true);
    peer.send(h2.CLIENT_PREFACE);
    await settle();
    expect(closed).toHaveLength(1);
  });

  it('answers a PING with the same payload and ignores a PING ACK', async () => {
    const { peer, connection } = server();
    peer.send(frame(h2.FRAME_PING, 0, 0, Buffer.from('12345678')), frame(h2.FRAME_PING, h2.FLAG_ACK, 0, Buffer.from('87654321')));
    await settle();
    const pings = peer.of(h2.FRAME_PING);
    expect(pings.map((f) => [f.flags, f.payload.toString()])).toEqual([[h2.FLAG_ACK, '12345678']]);
    connection.destroy();
  });

  it('opens a stream per new HEADERS, joining CONTINUATION frames and skipping padding and priority', async () => {
    const { peer, opened, connection } = server();
    const block = h2.encodeHeaderBlock([...REQUEST, 'strategy', 'blue']);
    const first = Buffer.concat([Buffer.from([2]), Buffer.alloc(5), block.subarray(0, 10), Buffer.alloc(2)]);
    peer.send(
      frame(h2.FRAME_HEADERS, h2.FLAG_PADDED | h2.FLAG_PRIORITY, 1, first),
      frame(h2.FRAME_CONTINUATION, 0, 1, block.subarray(10, 20)),
      frame(h2.FRAME_CONTINUATION, h2.FLAG_END_HEADERS, 1, block.subarray(20)),
      frame(h2.FRAME_PRIORITY, 0, 1, Buffer.alloc(5)),
      frame(0xfa, 0, 0, Buffer.from('an extension frame nobody knows')),
      frame(h2.FRAME_DATA, h2.FLAG_PADDED | h2.FLAG_END_STREAM, 1, Buffer.from([3, 0x61, 0x62, 0x63, 0, 0, 0])),
    );
    await settle();
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ headers: [...REQUEST, 'strategy', 'blue'], endStream: false });
    expect(opened[0]!.stream.id).toBe(1);
    expect(opened[0]!.events.log).toEqual(['data 3 end']);
    expect(opened[0]!.events.body().toString()).toBe('abc');
    expect(peer.goaway()).toBeNull();
    connection.destroy();
  });

  it('credits a stream as its reader consumes, in halves of the window, and padding at once', async () => {
    const { peer, opened, connection } = server({ streamWindow: 100, autoConsume: false });
    await settle();
    peer.clear();
    peer.send(headersFrame(1, REQUEST), dataFrame(1, Buffer.alloc(30)));
    await settle();
    const stream = opened[0]!.stream;
    stream.consume(30);
    await settle();
    expect(peer.of(h2.FRAME_WINDOW_UPDATE, 1)).toEqual([]);
    peer.send(dataFrame(1, Buffer.alloc(30)));
    await settle();
    stream.consume(30);
    await settle();
    expect(peer.of(h2.FRAME_WINDOW_UPDATE, 1).map((f) => f.payload.readUInt32BE(0))).toEqual([60]);
    // 1 length octet + 1 data octet + 49 padding: the 50 octets nobody reads are credited without waiting for the reader.
    peer.send(frame(h2.FRAME_DATA, h2.FLAG_PADDED, 1, Buffer.concat([Buffer.from([49, 7]), Buffer.alloc(49)])));
    await settle();
    expect(peer.of(h2.FRAME_WINDOW_UPDATE, 1).map((f) => f.payload.readUInt32BE(0))).toEqual([60, 50]);
    expect(opened[0]!.events.body().subarray(60)).toEqual(Buffer.from([7]));
    connection.destroy();
  });

  it('credits the connection window only as streams consume, so what a client holds here is bounded by it', async () => {
    const { peer, opened, connection } = server({ streamWindow: 1 << 20, autoConsume: false });
    await settle();
    peer.clear();
    peer.send(headersFrame(1, REQUEST), dataFrame(1, Buffer.alloc(16_384)), dataFrame(1, Buffer.alloc(16_384)));
    await settle();
    expect(peer.of(h2.FRAME_WINDOW_UPDATE, 0)).toEqual([]);
    opened[0]!.stream.consume(32_768);
    await settle();
    expect(peer.of(h2.FRAME_WINDOW_UPDATE, 0).map((f) => f.payload.readUInt32BE(0))).toEqual([32_768]);
    connection.destroy();
  });

  it("gives a stream's unconsumed bytes back to the connection window when the stream ends", async () => {
    const { peer, opened, connection } = server({ streamWindow: 1 << 20, autoConsume: false });
    await settle();
    peer.clear();
    peer.send(headersFrame(1, REQUEST), dataFrame(1, Buffer.alloc(16_000)), dataFrame(1, Buffer.alloc(16_000)), dataFrame(1, Buffer.alloc(8_000)));
    await settle();
    expect(peer.of(h2.FRAME_WINDOW_UPDATE, 0)).toEqual([]);
    opened[0]!.stream.reset(h2.ERROR_CANCEL);
    await settle();
    expect(peer.of(h2.FRAME_WINDOW_UPDATE, 0).map((f) => f.payload.readUInt32BE(0))).toEqual([40_000]);
    connection.destroy();
  });

  it('refuses DATA past the connection window (FLOW_CONTROL_ERROR)', async () => {
    const { peer, connection } = server({ streamWindow: h2.MAX_WINDOW, autoConsume: false });
    await settle();
    peer.send(headersFrame(1, REQUEST), frame(h2.FRAME_WINDOW_UPDATE, 0, 0, [0x7f, 0xff, 0, 0]));
    for (let i = 0; i < 4; i++) peer.send(dataFrame(1, Buffer.alloc(16_384)));
    await settle();
    expect(peer.goaway()).toMatchObject({ code: h2.ERROR_FLOW_CONTROL });
    expect(connection.isClosed()).toBe(true);
  });

  it('drops the bytes of a stream nobody reads, crediting them so the client is not stalled', async () => {
    const { peer, connection } = server({ streamWindow: 64, attach: false });
    await settle();
    peer.clear();
    peer.send(headersFrame(1, REQUEST), dataFrame(1, Buffer.alloc(40)));
    await settle();
    expect(peer.of(h2.FRAME_WINDOW_UPDATE, 1).map((f) => f.payload.readUInt32BE(0))).toEqual([40]);
    connection.destroy();
  });

  it('ignores frames for streams it reset, while keeping the HPACK table in step', async () => {
    const { peer, opened, connection } = server();
    peer.send(headersFrame(1, REQUEST));
    await settle();
    // Answered before the request ended: RST_STREAM(NO_ERROR) tells the client to stop (RFC 9113 section 8.1).
    opened[0]!.stream.sendHeaders([':status', '200'], true);
    expect(opened[0]!.stream.closed).toBe(true);
    await settle();
    expect(peer.of(h2.FRAME_RST_STREAM, 1).map((f) => f.payload.readUInt32BE(0))).toEqual([h2.ERROR_NO_ERROR]);
    // A late block on the closed stream inserts custom: value into the table...
    peer.send(frame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS, 1, Buffer.from([0x40, 6, ...Buffer.from('custom'), 5, ...Buffer.from('value')])));
    peer.send(dataFrame(1, 'late'), windowUpdate(1, 10), frame(h2.FRAME_RST_STREAM, 0, 1, [0, 0, 0, 8]));
    // ...which the next stream refers to by index 62.
    peer.send(frame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM, 3, Buffer.from([0x83, 0x86, 0x84, 0xbe])));
    await settle();
    expect(opened.map((o) => o.headers)).toEqual([REQUEST, [':method', 'POST', ':scheme', 'http', ':path', '/', 'custom', 'value']]);
    expect(peer.goaway()).toBeNull();
    connection.destroy();
  });

  it.each([
    ['DATA on stream 0', () => frame(h2.FRAME_DATA, 0, 0, [1]), h2.ERROR_PROTOCOL, 'DATA on stream 0'],
    ['HEADERS on stream 0', () => headersFrame(0, REQUEST), h2.ERROR_PROTOCOL, 'HEADERS on stream 0'],
    ['DATA on a stream never opened', () => dataFrame(5, 'x'), h2.ERROR_PROTOCOL, 'DATA on idle stream 5'],
    ['a stream with an even id', () => headersFrame(2, REQUEST), h2.ERROR_PROTOCOL, 'a client opened even stream 2'],
    ['CONTINUATION alone', () => frame(h2.FRAME_CONTINUATION, h2.FLAG_END_HEADERS, 1, [0x82]), h2.ERROR_PROTOCOL, 'CONTINUATION without the HEADERS it continues'],
    [
      'CONTINUATION for another stream',
      () => Buffer.concat([frame(h2.FRAME_HEADERS, 0, 1, [0x82]), frame(h2.FRAME_CONTINUATION, h2.FLAG_END_HEADERS, 3, [0x84])]),
      h2.ERROR_PROTOCOL,
      'CONTINUATION without the HEADERS it continues',
    ],
    [
      'a header block interrupted by another frame',
      () => Buffer.concat([frame(h2.FRAME_HEADERS, 0, 1, [0x82]), frame(h2.FRAME_PING, 0, 0, Buffer.alloc(8))]),
      h2.ERROR_PROTOCOL,
      'a header block was interrupted by another frame',
    ],
    ['HEADERS padding longer than the frame', () => frame(h2.FRAME_HEADERS, h2.FLAG_PADDED | h2.FLAG_END_HEADERS, 1, [9, 0x82]), h2.ERROR_PROTOCOL, 'HEADERS padding exceeds the frame'],
    ['PUSH_PROMISE', () => frame(h2.FRAME_PUSH_PROMISE, h2.FLAG_END_HEADERS, 1, [0, 0, 0, 2, 0x82]), h2.ERROR_PROTOCOL, 'PUSH_PROMISE is not accepted here'],
    ['SETTINGS on a stream', () => frame(h2.FRAME_SETTINGS, 0, 1), h2.ERROR_PROTOCOL, 'SETTINGS on a stream'],
    ['SETTINGS of a size not a multiple of 6', () => frame(h2.FRAME_SETTINGS, 0, 0, [0, 1, 0]), h2.ERROR_FRAME_SIZE, 'SETTINGS of the wrong size'],
    ['a SETTINGS ACK with a payload', () => frame(h2.FRAME_SETTINGS, h2.FLAG_ACK, 0, Buffer.alloc(6)), h2.ERROR_FRAME_SIZE, 'SETTINGS ACK with a payload'],
    ['a max frame size below 16,384', () => settings([h2.SETTING_MAX_FRAME_SIZE, 100]), h2.ERROR_PROTOCOL, 'max frame size 100 is out of range'],
    ['an initial window past 2^31-1', () => settings([h2.SETTING_INITIAL_WINDOW_SIZE, 2 ** 31]), h2.ERROR_FLOW_CONTROL, 'initial window 2147483648 is too large'],
    ['PING on a stream', () => frame(h2.FRAME_PING, 0, 1, Buffer.alloc(8)), h2.ERROR_PROTOCOL, 'PING on a stream'],
    ['a PING of 7 octets', () => frame(h2.FRAME_PING, 0, 0, Buffer.alloc(7)), h2.ERROR_FRAME_SIZE, 'PING of the wrong size'],
    ['GOAWAY on a stream', () => frame(h2.FRAME_GOAWAY, 0, 1, Buffer.alloc(8)), h2.ERROR_PROTOCOL, 'GOAWAY on a stream'],
    ['a GOAWAY without its error code', () => frame(h2.FRAME_GOAWAY, 0, 0, Buffer.alloc(4)), h2.ERROR_FRAME_SIZE, 'GOAWAY too short'],
    ['RST_STREAM on stream 0', () => frame(h2.FRAME_RST_STREAM, 0, 0, Buffer.alloc(4)), h2.ERROR_PROTOCOL, 'RST_STREAM on stream 0'],
    ['a RST_STREAM of 3 octets', () => frame(h2.FRAME_RST_STREAM, 0, 1, Buffer.alloc(3)), h2.ERROR_FRAME_SIZE, 'RST_STREAM of the wrong size'],
    ['a WINDOW_UPDATE of 3 octets', () => frame(h2.FRAME_WINDOW_UPDATE, 0, 0, Buffer.alloc(3)), h2.ERROR_FRAME_SIZE, 'WINDOW_UPDATE of the wrong size'],
    ['a connection WINDOW_UPDATE of 0', () => windowUpdate(0, 0), h2.ERROR_PROTOCOL, 'WINDOW_UPDATE of 0'],
    ['a connection window past 2^31-1', () => windowUpdate(0, h2.MAX_WINDOW), h2.ERROR_FLOW_CONTROL, 'connection window grew past 2^31-1'],
    ['a frame larger than announced', () => h2.frameHeader(16_385, h2.FRAME_DATA, 0, 1), h2.ERROR_FRAME_SIZE, 'frame of 16385 bytes exceeds the 16384 announced'],
    ['a broken HPACK block', () => frame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS, 1, [0x80]), h2.ERROR_COMPRESSION, 'HPACK index 0'],
    [
      'a header block past 256 KiB',
      () => Buffer.concat([frame(h2.FRAME_HEADERS, 0, 1, [0x82]), ...Array.from({ length: 17 }, () => frame(h2.FRAME_CONTINUATION, 0, 1, Buffer.alloc(16_384)))]),
      h2.ERROR_ENHANCE_YOUR_CALM,
      'header block too large',
    ],
    [
      'DATA padding longer than the frame',
      () => Buffer.concat([headersFrame(1, REQUEST), frame(h2.FRAME_DATA, h2.FLAG_PADDED, 1, [5, 1])]),
      h2.ERROR_PROTOCOL,
      'DATA padding exceeds the frame',
    ],
    [
      'a stream window pushed past 2^31-1 by a new initial window',
      () => Buffer.concat([headersFrame(1, REQUEST), windowUpdate(1, h2.MAX_WINDOW - h2.DEFAULT_WINDOW), settings([h2.SETTING_INITIAL_WINDOW_SIZE, h2.DEFAULT_WINDOW + 1])]),
      h2.ERROR_FLOW_CONTROL,
      'a stream window grew past 2^31-1',
    ],
  ])('ends the connection with GOAWAY on %s', async (_what, bytes, code, debug) => {
    const { peer, connection, opened, closed } = server();
    peer.send(bytes());
    await settle();
    expect(peer.goaway()).toEqual({ code, debug });
    expect(connection.isClosed()).toBe(true);
    expect(closed).toHaveLength(1);
    expect((closed[0] as h2.Http2ProtocolError).http2Code).toBe(code);
    expect(closed[0]).toBeInstanceOf(MockClusterError);
    expect((closed[0] as h2.Http2ProtocolError).code).toBe('HTTP2_PROTOCOL');
    for (const { events } of opened) expect(events.abortedWith?.code).toBe(h2.ERROR_CANCEL);
  });

  it.each([
    ['DATA past the stream window', (id: number) => dataFrame(id, Buffer.alloc(101)), h2.ERROR_FLOW_CONTROL],
    ['a stream WINDOW_UPDATE of 0', (id: number) => windowUpdate(id, 0), h2.ERROR_PROTOCOL],
    ['a stream window past 2^31-1', (id: number) => windowUpdate(id, h2.MAX_WINDOW), h2.ERROR_FLOW_CONTROL],
  ])('resets only the stream on %s', async (_what, bytes, code) => {
    const { peer, connection, opened } = server({ streamWindow: 100 });
    peer.send(headersFrame(1, REQUEST), headersFrame(3, REQUEST), bytes(1));
    await settle();
    expect(peer.of(h2.FRAME_RST_STREAM, 1).map((f) => f.payload.readUInt32BE(0))).toEqual([code]);
    expect(opened[0]!.events.abortedWith).toEqual({ code, error: null });
    expect(opened[1]!.events.abortedWith).toBeNull();
    expect(connection.activeStreams()).toBe(1);
    expect(peer.goaway()).toBeNull();
    connection.destroy();
  });

  it('resets a stream that sends DATA or HEADERS after END_STREAM (STREAM_CLOSED)', async () => {
    const { peer, connection, opened } = server();
    const ended = h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM;
    peer.send(headersFrame(1, REQUEST, ended), headersFrame(3, REQUEST, ended), dataFrame(1, 'x'), headersFrame(3, ['x-trailer', '1'], ended));
    await settle();
    expect(peer.of(h2.FRAME_RST_STREAM).map((f) => [f.streamId, f.payload.readUInt32BE(0)])).toEqual([
      [1, h2.ERROR_STREAM_CLOSED],
      [3, h2.ERROR_STREAM_CLOSED],
    ]);
    expect(opened.map((o) => o.events.abortedWith?.code)).toEqual([h2.ERROR_STREAM_CLOSED, h2.ERROR_STREAM_CLOSED]);
    connection.destroy();
  });

  it('passes a peer reset to the stream and forgets the stream', async () => {
    const { peer, connection, opened } = server();
    peer.send(headersFrame(1, REQUEST), frame(h2.FRAME_RST_STREAM, 0, 1, [0, 0, 0, h2.ERROR_CANCEL]));
    await settle();
    expect(opened[0]!.events.abortedWith).toEqual({ code: h2.ERROR_CANCEL, error: null });
    expect(opened[0]!.stream.closed).toBe(true);
    expect(connection.activeStreams()).toBe(0);
    connection.destroy();
  });

  it('delivers trailers as a second header block', async () => {
    const { peer, connection, opened } = server();
    peer.send(headersFrame(1, REQUEST), dataFrame(1, 'body'), headersFrame(1, ['x-checksum', '42'], h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM));
    await settle();
    expect(opened[0]!.events.log).toEqual(['data 4', 'headers end']);
    expect(opened[0]!.events.headerBlocks).toEqual([['x-checksum', '42']]);
    connection.destroy();
  });

  it('sends DATA as far as both windows and the frame size allow; the rest and the trailers follow WINDOW_UPDATEs', async () => {
    const { peer, connection, opened } = server();
    peer.send(headersFrame(1, REQUEST, h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM));
    await settle();
    peer.clear();
    const stream = opened[0]!.stream;
    const body = Buffer.alloc(100_000, 5);
    stream.sendHeaders([':status', '200', 'content-type', 'application/grpc'], false);
    stream.sendData(body, false);
    stream.sendHeaders(['grpc-status', '0'], true);
    stream.sendData(Buffer.from('ignored: the stream has ended'), true);
    await settle();
    const sizes = (): number[] => peer.of(h2.FRAME_DATA, 1).map((f) => f.payload.length);
    expect(sizes()).toEqual([16_384, 16_384, 16_384, 16_383]);
    expect(opened[0]!.events.sentBytes).toBe(h2.DEFAULT_WINDOW);
    expect(peer.of(h2.FRAME_HEADERS, 1)).toHaveLength(1);
    peer.send(windowUpdate(0, 50_000));
    await settle();
    expect(sizes()).toHaveLength(4);
    peer.send(windowUpdate(1, 50_000));
    await settle();
    expect(sizes()).toEqual([16_384, 16_384, 16_384, 16_383, 16_384, 16_384, 1_697]);
    const headerFrames = peer.of(h2.FRAME_HEADERS, 1);
    expect(decodeAll(headerFrames)).toEqual([
      [':status', '200', 'content-type', 'application/grpc'],
      ['grpc-status', '0'],
    ]);
    expect(headerFrames[1]!.flags & h2.FLAG_END_STREAM).toBe(h2.FLAG_END_STREAM);
    expect(opened[0]!.events.sentBytes).toBe(body.length);
    expect(stream.closed).toBe(true);
    connection.destroy();
  });

  it('follows the peer SETTINGS: a smaller initial window holds data back, a larger one releases it; a larger frame size is used', async () => {
    const { peer, connection, opened } = server();
    peer.send(settings([h2.SETTING_INITIAL_WINDOW_SIZE, 10]), headersFrame(1, REQUEST));
    await settle();
    peer.clear();
    const stream = opened[0]!.stream;
    stream.sendHeaders([':status', '200'], false);
    stream.sendData(Buffer.alloc(100), false);
    await settle();
    peer.send(settings([h2.SETTING_INITIAL_WINDOW_SIZE, 5]));
    await settle();
    expect(peer.of(h2.FRAME_DATA, 1).map((f) => f.payload.length)).toEqual([10]);
    peer.send(settings([h2.SETTING_INITIAL_WINDOW_SIZE, 200_000], [h2.SETTING_MAX_FRAME_SIZE, 40_000], [h2.SETTING_MAX_HEADER_LIST_SIZE, 1]));
    await settle();
    expect(peer.of(h2.FRAME_DATA, 1).map((f) => f.payload.length)).toEqual([10, 90]);
    peer.send(windowUpdate(0, 100_000));
    stream.sendData(Buffer.alloc(60_000), true);
    await settle();
    expect(peer.of(h2.FRAME_DATA, 1).map((f) => f.payload.length)).toEqual([10, 90, 40_000, 20_000]);
    connection.destroy();
  });

  it('resets a stream on request and ignores what the peer still sends on it', async () => {
    const { peer, connection, opened } = server();
    peer.send(headersFrame(1, REQUEST));
    await settle();
    opened[0]!.stream.reset(h2.ERROR_CANCEL);
    opened[0]!.stream.reset(h2.ERROR_CANCEL);
    peer.send(dataFrame(1, 'still coming'));
    await settle();
    expect(peer.of(h2.FRAME_RST_STREAM, 1)).toHaveLength(1);
    expect(opened[0]!.events.log).toEqual([]);
    expect(peer.goaway()).toBeNull();
    connection.destroy();
  });

  it('aborts every stream with the socket error when the transport fails, and reports the close once', async () => {
    const { peer, connection, opened, closed } = server();
    peer.send(headersFrame(1, REQUEST), headersFrame(3, REQUEST));
    await settle();
    const error = new Error('read ECONNRESET');
    peer.transport.fail(error);
    await settle();
    expect(opened.map((o) => o.events.abortedWith)).toEqual([
      { code: h2.ERROR_CANCEL, error },
      { code: h2.ERROR_CANCEL, error },
    ]);
    expect(closed).toEqual([error]);
    connection.destroy();
    expect(closed).toHaveLength(1);
  });

  it('destroy() ends the connection at once: streams are aborted without an error', async () => {
    const { peer, connection, opened, closed } = server();
    peer.send(headersFrame(1, REQUEST));
    await settle();
    connection.destroy();
    expect(opened[0]!.events.abortedWith).toEqual({ code: h2.ERROR_CANCEL, error: null });
    expect(closed).toEqual([null]);
    expect(peer.transport.destroyed).toBe(true);
    opened[0]!.stream.sendData(Buffer.from('x'), true);
    await settle();
    expect(peer.of(h2.FRAME_DATA)).toEqual([]);
  });
});

describe('Http2Connection, client role', () => {
  it('starts with the preface and SETTINGS that refuse push', async () => {
    const chunks: Buffer[] = [];
    const transport = new MemoryTransport();
    transport.onWrite = (chunk) => chunks.push(chunk);
    const connection = new h2.Http2Connection(transport, { role: 'client', streamWindow: 1 << 20, connectionWindow: 0 });
    await settle();
    const bytes = Buffer.concat(chunks);
    expect(bytes.subarray(0, 24).equals(h2.CLIENT_PREFACE)).toBe(true);
    // SETTINGS with ENABLE_PUSH 0, the stream window and the header list limit; no WINDOW_UPDATE for a connection window at the default.
    expect([...bytes.subarray(24)]).toEqual([0, 0, 18, h2.FRAME_SETTINGS, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 4, 0, 16, 0, 0, 0, 6, 0, 0, 128, 0]);
    connection.destroy();
  });

  it('carries a request and its answer, megabytes each way, through small windows', async () => {
    const [clientSide, serverSide] = MemoryTransport.pair();
    const request = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < request.length; i++) request[i] = i % 253;
    const answer = Buffer.alloc(2 * 1024 * 1024, 9);
    const serverConnection = new h2.Http2Connection(serverSide, {
      role: 'server',
      streamWindow: h2.DEFAULT_WINDOW,
      connectionWindow: h2.DEFAULT_WINDOW,
      onStream: (stream, headers) => {
        const received: Buffer[] = [];
        expect(headers).toEqual(REQUEST);
        stream.events = {
          headers: () => undefined,
          data: (chunk, endStream) => {
            received.push(Buffer.from(chunk));
            stream.consume(chunk.length);
            if (!endStream) return;
            expect(Buffer.concat(received).equals(request)).toBe(true);
            stream.sendHeaders([':status', '200'], false);
            stream.sendData(answer, false);
            stream.sendHeaders(['grpc-status', '0'], true);
          },
          sent: () => undefined,
          aborted: () => undefined,
        };
      },
    });
    const clientConnection = new h2.Http2Connection(clientSide, { role: 'client', streamWindow: h2.DEFAULT_WINDOW, connectionWindow: h2.DEFAULT_WINDOW });
    const events = new RecordingEvents();
    const stream = clientConnection.openStream(REQUEST, false, events);
    events.stream = stream;
    stream.sendData(request.subarray(0, 1_000_000), false);
    stream.sendData(request.subarray(1_000_000), true);
    while (!events.log.includes('headers end')) await settle(1);
    expect(events.headerBlocks).toEqual([[':status', '200'], ['grpc-status', '0']]);
    expect(events.body().equals(answer)).toBe(true);
    expect(events.sentBytes).toBe(request.length);
    expect(stream.closed).toBe(true);
    clientConnection.destroy();
    await settle();
    expect(serverConnection.isClosed()).toBe(true);
  });

  it("opens no stream before the peer's first SETTINGS, which may limit them", async () => {
    const { peer, connection, open } = client({ peerSettings: false });
    const call = open(false);
    call.stream.sendData(Buffer.from('body'), true);
    await settle();
    expect(peer.of(h2.FRAME_HEADERS)).toEqual([]);
    peer.send(settings());
    await settle();
    expect(peer.of(h2.FRAME_HEADERS).map((f) => f.streamId)).toEqual([1]);
    expect(peer.of(h2.FRAME_DATA, 1).map((f) => [f.payload.toString(), f.flags])).toEqual([['body', h2.FLAG_END_STREAM]]);
    connection.destroy();
  });

  it("opens no more streams than the peer's SETTINGS_MAX_CONCURRENT_STREAMS; the others wait their turn", async () => {
    const { peer, connection, open } = client();
    peer.send(settings([h2.SETTING_MAX_CONCURRENT_STREAMS, 1]));
    await settle();
    const first = open(true);
    const second = open(false);
    second.stream.sendData(Buffer.from('queued'), false);
    second.stream.sendHeaders(['x-trailer', 'yes'], true);
    const third = open(true);
    third.stream.reset(h2.ERROR_CANCEL);
    await settle();
    expect(peer.of(h2.FRAME_HEADERS).map((f) => f.streamId)).toEqual([1]);
    expect(connection.activeStreams()).toBe(2);
    peer.send(headersFrame(1, [':status', '200', 'grpc-status', '0'], h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM));
    await settle();
    expect(first.events.log).toEqual(['headers end']);
    expect(peer.of(h2.FRAME_HEADERS).map((f) => f.streamId)).toEqual([1, 3, 3]);
    expect(peer.of(h2.FRAME_DATA, 3).map((f) => f.payload.toString())).toEqual(['queued']);
    expect(decodeAll(peer.of(h2.FRAME_HEADERS, 3))[1]).toEqual(['x-trailer', 'yes']);
    expect(third.events.log).toEqual([]);
    connection.destroy();
  });

  it('stops opening streams on a connection it reset too often, and closes it once drained', async () => {
    // An engine stack (nghttp2) ends a connection after a burst of resets: this side moves on first.
    const { peer, connection, open, closed } = client({ limits: { resetsSentPerConnection: 2 } });
    await settle();
    const kept = open(true);
    open(false).stream.reset(h2.ERROR_CANCEL);
    expect(connection.usable()).toBe(true);
    open(false).stream.reset(h2.ERROR_CANCEL);
    expect(connection.usable()).toBe(false);
    expect(closed).toEqual([]);
    peer.send(headersFrame(1, [':status', '200', 'grpc-status', '0'], h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM));
    await settle();
    expect(kept.events.log).toEqual(['headers end']);
    expect(connection.isClosed()).toBe(true);
    expect(closed).toEqual([null]);
  });

  it('fails every stream at once, and drops the connection, on a GOAWAY with an error code', async () => {
    const { peer, connection, open, closed } = client();
    await settle();
    const first = open(true);
    const second = open(true);
    await settle();
    peer.send(frame(h2.FRAME_GOAWAY, 0, 0, [0, 0, 0, 1, 0, 0, 0, h2.ERROR_COMPRESSION]));
    await settle();
    // Stream 1 was taken (at or below the last stream id) but will never be finished; stream 3 was not.
    expect(first.events.abortedWith).toEqual({ code: h2.ERROR_CANCEL, error: expect.objectContaining({ http2Code: h2.ERROR_COMPRESSION }) });
    expect(second.events.log).toEqual([`aborted ${h2.ERROR_REFUSED_STREAM}`]);
    expect(connection.isClosed()).toBe(true);
    expect(closed[0]?.message).toBe('the peer ended the connection with GOAWAY code 9');
  });

  it('on GOAWAY refuses the streams the peer never started, finishes the others, then closes', async () => {
    const { peer, connection, open, closed, goaways } = client();
    const kept = open(true);
    const refused = open(true);
    await settle();
    peer.send(frame(h2.FRAME_GOAWAY, 0, 0, [0, 0, 0, 1, 0, 0, 0, 0]));
    await settle();
    expect(goaways()).toBe(1);
    expect(refused.events.abortedWith).toEqual({ code: h2.ERROR_REFUSED_STREAM, error: null });
    expect(connection.usable()).toBe(false);
    const late = open(true);
    await settle();
    expect(late.events.abortedWith).toEqual({ code: h2.ERROR_REFUSED_STREAM, error: null });
    expect(connection.isClosed()).toBe(false);
    peer.send(headersFrame(1, [':status', '200'], h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM));
    await settle();
    expect(kept.events.log).toEqual(['headers end']);
    expect(connection.isClosed()).toBe(true);
    expect(closed).toEqual([null]);
    expect(peer.transport.ended).toBe(true);
  });

  it('refuses waiting streams too when GOAWAY arrives', async () => {
    const { peer, connection, open } = client();
    peer.send(settings([h2.SETTING_MAX_CONCURRENT_STREAMS, 1]));
    await settle();
    open(true);
    const waiting = open(true);
    peer.send(frame(h2.FRAME_GOAWAY, 0, 0, [0, 0, 0, 1, 0, 0, 0, 0]));
    await settle();
    expect(waiting.events.abortedWith?.code).toBe(h2.ERROR_REFUSED_STREAM);
    connection.destroy();
  });

  it('reports a stream opened on a closed connection as aborted, with the failure that closed it', async () => {
    const { peer, open } = client();
    const error = new Error('connect ECONNREFUSED 127.0.0.1:9');
    peer.transport.fail(error);
    await settle();
    const late = open(true);
    expect(late.events.abortedWith).toBeNull();
    await settle();
    expect(late.events.abortedWith).toEqual({ code: h2.ERROR_CANCEL, error });
  });

  it('keeps decoding answers to streams it reset, so the HPACK table stays in step', async () => {
    const { peer, connection, open } = client();
    const dropped = open(true);
    await settle();
    dropped.stream.reset(h2.ERROR_CANCEL);
    peer.send(frame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS, 1, Buffer.from([0x88, 0x40, 1, 0x6b, 1, 0x76])));
    const next = open(true);
    await settle();
    peer.send(frame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS | h2.FLAG_END_STREAM, 3, Buffer.from([0x88, 0xbe])));
    await settle();
    expect(dropped.events.headerBlocks).toEqual([]);
    expect(next.events.headerBlocks).toEqual([[':status', '200', 'k', 'v']]);
    connection.destroy();
  });

  it('treats PUSH_PROMISE as a protocol error (push was refused in SETTINGS)', async () => {
    const { peer, open, closed } = client();
    const call = open(true);
    await settle();
    peer.send(frame(h2.FRAME_PUSH_PROMISE, h2.FLAG_END_HEADERS, 1, [0, 0, 0, 2, 0x82]));
    await settle();
    expect(peer.goaway()?.code).toBe(h2.ERROR_PROTOCOL);
    expect(call.events.abortedWith?.code).toBe(h2.ERROR_CANCEL);
    expect(closed).toHaveLength(1);
  });
});
