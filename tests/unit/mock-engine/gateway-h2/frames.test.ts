// HTTP/2 frames as the gateway's relay cuts and builds them (RFC 9113 section 4 and 6).
import fc from 'fast-check';
import { h2 } from '@e6data-ts/mock-engine/internal';
import { thrownBy } from '../../../support/expected-error';

interface PlainFrame {
  type: number;
  flags: number;
  streamId: number;
  payload: number[];
}

function readAll(bytes: Buffer, maxFrameSize = 16_384): PlainFrame[] {
  const frames: PlainFrame[] = [];
  new h2.FrameReader(maxFrameSize, (frame) => {
    frames.push({ type: frame.type, flags: frame.flags, streamId: frame.streamId, payload: [...frame.payload] });
    return true;
  }).push(bytes);
  return frames;
}

function encode(frame: PlainFrame): Buffer {
  return Buffer.concat([h2.frameHeader(frame.payload.length, frame.type, frame.flags, frame.streamId), Buffer.from(frame.payload)]);
}

describe('FrameReader', () => {
  const frame = fc.record({
    type: fc.integer({ min: 0, max: 255 }),
    flags: fc.integer({ min: 0, max: 255 }),
    streamId: fc.integer({ min: 0, max: h2.MAX_STREAM_ID }),
    payload: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }),
  });

  it('yields the same frames however the bytes are cut into pieces', () => {
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1 }), (frames, cuts) => {
        const bytes = Buffer.concat(frames.map(encode));
        const seen: PlainFrame[] = [];
        const reader = new h2.FrameReader(16_384, (f) => {
          seen.push({ type: f.type, flags: f.flags, streamId: f.streamId, payload: [...f.payload] });
          return true;
        });
        let at = 0;
        for (let i = 0; at < bytes.length; i++) {
          const size = cuts[i % cuts.length]!;
          reader.push(bytes.subarray(at, at + size));
          at += size;
        }
        expect(seen).toEqual(frames);
      }),
    );
  });

  it('ignores the reserved bit of the stream id', () => {
    const bytes = h2.frameHeader(0, h2.FRAME_DATA, 0, 3);
    bytes[5]! |= 0x80;
    expect(readAll(bytes)).toEqual([{ type: h2.FRAME_DATA, flags: 0, streamId: 3, payload: [] }]);
  });

  it('refuses a frame larger than the size this side announced', () => {
    const err = thrownBy(() => readAll(h2.frameHeader(16_385, h2.FRAME_DATA, 0, 1)), h2.Http2ProtocolError);
    expect(err.http2Code).toBe(h2.ERROR_FRAME_SIZE);
    expect(err.message).toBe('frame of 16385 bytes exceeds the 16384 announced');
  });

  it('stops at once when the handler says the connection is going away', () => {
    const seen: number[] = [];
    const reader = new h2.FrameReader(16_384, (f) => {
      seen.push(f.streamId);
      return false;
    });
    reader.push(Buffer.concat([h2.frameHeader(0, h2.FRAME_DATA, 0, 1), h2.frameHeader(0, h2.FRAME_DATA, 0, 3)]));
    expect(seen).toEqual([1]);
  });
});

describe('frame builders', () => {
  it('sends a small header block as one HEADERS frame with END_HEADERS', () => {
    const block = Buffer.from([0x82, 0x86]);
    expect(readAll(Buffer.concat(h2.headersFrames(5, block, true, 16_384)))).toEqual([
      { type: h2.FRAME_HEADERS, flags: h2.FLAG_END_STREAM | h2.FLAG_END_HEADERS, streamId: 5, payload: [0x82, 0x86] },
    ]);
  });

  it('splits a large header block into HEADERS and CONTINUATION frames of at most the peer frame size', () => {
    const block = Buffer.from(Array.from({ length: 25 }, (_, i) => i));
    const frames = readAll(Buffer.concat(h2.headersFrames(7, block, true, 10)));
    expect(frames.map((f) => [f.type, f.flags, f.payload.length])).toEqual([
      [h2.FRAME_HEADERS, h2.FLAG_END_STREAM, 10],
      [h2.FRAME_CONTINUATION, 0, 10],
      [h2.FRAME_CONTINUATION, h2.FLAG_END_HEADERS, 5],
    ]);
    expect(frames.flatMap((f) => f.payload)).toEqual([...block]);
    expect(readAll(Buffer.concat(h2.headersFrames(7, block, false, 10)))[0]?.flags).toBe(0);
  });

  it('lays out SETTINGS, PING ACK, WINDOW_UPDATE, RST_STREAM, GOAWAY and DATA as RFC 9113 section 6 says', () => {
    expect(readAll(h2.settingsFrame([[h2.SETTING_INITIAL_WINDOW_SIZE, 1 << 20], [h2.SETTING_ENABLE_PUSH, 0]]))).toEqual([
      { type: h2.FRAME_SETTINGS, flags: 0, streamId: 0, payload: [0, 4, 0, 16, 0, 0, 0, 2, 0, 0, 0, 0] },
    ]);
    expect(readAll(h2.SETTINGS_ACK)).toEqual([{ type: h2.FRAME_SETTINGS, flags: h2.FLAG_ACK, streamId: 0, payload: [] }]);
    expect(readAll(h2.pingAckFrame(Buffer.from('12345678')))).toEqual([
      { type: h2.FRAME_PING, flags: h2.FLAG_ACK, streamId: 0, payload: [...Buffer.from('12345678')] },
    ]);
    expect(readAll(h2.windowUpdateFrame(3, 70_000))).toEqual([{ type: h2.FRAME_WINDOW_UPDATE, flags: 0, streamId: 3, payload: [0, 1, 0x11, 0x70] }]);
    expect(readAll(h2.rstStreamFrame(9, h2.ERROR_CANCEL))).toEqual([{ type: h2.FRAME_RST_STREAM, flags: 0, streamId: 9, payload: [0, 0, 0, 8] }]);
    expect(readAll(h2.goawayFrame(11, h2.ERROR_PROTOCOL, 'no'))).toEqual([
      { type: h2.FRAME_GOAWAY, flags: 0, streamId: 0, payload: [0, 0, 0, 11, 0, 0, 0, 1, 0x6e, 0x6f] },
    ]);
    expect(readAll(Buffer.concat([h2.dataFrameHeader(1, 3, true), Buffer.from('abc')]))).toEqual([
      { type: h2.FRAME_DATA, flags: h2.FLAG_END_STREAM, streamId: 1, payload: [0x61, 0x62, 0x63] },
    ]);
  });
});
