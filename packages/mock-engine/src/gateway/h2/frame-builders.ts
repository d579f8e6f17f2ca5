import * as wire from './constants';

// Module-local copies of the wire constants, read for every frame: some loaders
// (tsx) turn each read of an imported binding into a getter call.
const {
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADER_BYTES,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
} = wire;

// Builders of the frames the gateway sends (RFC 9113 section 6). Payloads are
// never copied: DATA goes out as a 9-octet header plus the caller's bytes.

/** The 9-octet frame header. */
export function frameHeader(length: number, type: number, flags: number, streamId: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUIntBE(length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(streamId, 5);
  return header;
}

/** A DATA frame's header; its payload follows as a separate buffer. */
export function dataFrameHeader(streamId: number, length: number, endStream: boolean): Buffer {
  return frameHeader(length, FRAME_DATA, endStream ? FLAG_END_STREAM : 0, streamId);
}

/** A header block as HEADERS plus as many CONTINUATION frames as `maxFrameSize` needs. */
export function headersFrames(streamId: number, block: Buffer, endStream: boolean, maxFrameSize: number): Buffer[] {
  const endStreamFlag = endStream ? FLAG_END_STREAM : 0;
  if (block.length <= maxFrameSize) {
    return [frameHeader(block.length, FRAME_HEADERS, endStreamFlag | FLAG_END_HEADERS, streamId), block];
  }
  const out: Buffer[] = [];
  for (let at = 0; at < block.length; at += maxFrameSize) {
    const part = block.subarray(at, at + maxFrameSize);
    const last = at + maxFrameSize >= block.length;
    const type = at === 0 ? FRAME_HEADERS : FRAME_CONTINUATION;
    const flags = (at === 0 ? endStreamFlag : 0) | (last ? FLAG_END_HEADERS : 0);
    out.push(frameHeader(part.length, type, flags, streamId), part);
  }
  return out;
}

/** A SETTINGS frame from [identifier, value] pairs. */
export function settingsFrame(settings: ReadonlyArray<readonly [number, number]>): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + settings.length * 6);
  frameHeader(settings.length * 6, FRAME_SETTINGS, 0, 0).copy(frame);
  settings.forEach(([id, value], i) => {
    frame.writeUInt16BE(id, FRAME_HEADER_BYTES + i * 6);
    frame.writeUInt32BE(value, FRAME_HEADER_BYTES + i * 6 + 2);
  });
  return frame;
}

export const SETTINGS_ACK: Buffer = frameHeader(0, FRAME_SETTINGS, FLAG_ACK, 0);

export function pingAckFrame(opaque: Buffer): Buffer {
  return Buffer.concat([frameHeader(8, FRAME_PING, FLAG_ACK, 0), opaque]);
}

export function windowUpdateFrame(streamId: number, increment: number): Buffer {
  const frame = frameHeader(4, FRAME_WINDOW_UPDATE, 0, streamId);
  return Buffer.concat([frame, uint32(increment)]);
}

export function rstStreamFrame(streamId: number, errorCode: number): Buffer {
  return Buffer.concat([frameHeader(4, FRAME_RST_STREAM, 0, streamId), uint32(errorCode)]);
}

export function goawayFrame(lastStreamId: number, errorCode: number, debug: string): Buffer {
  const text = Buffer.from(debug, 'utf8');
  return Buffer.concat([frameHeader(8 + text.length, FRAME_GOAWAY, 0, 0), uint32(lastStreamId), uint32(errorCode), text]);
}

function uint32(value: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value);
  return out;
}
