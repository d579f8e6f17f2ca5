// gRPC's length-prefixed message framing: 1 byte compressed flag, 4 bytes
// big-endian message length, then the message.

export interface GrpcFrame {
  readonly compressed: boolean;
  readonly message: Buffer;
}

const HEADER_BYTES = 5;

export function encodeGrpcFrame(message: Buffer, compressed = false): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(compressed ? 1 : 0, 0);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** Splits a whole response (or request) body into its frames; throws RangeError on a cut-off frame. */
export function decodeGrpcFrames(body: Buffer): GrpcFrame[] {
  const frames: GrpcFrame[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < HEADER_BYTES) throw new RangeError(`gRPC frame header cut off at byte ${offset}`);
    const compressed = body.readUInt8(offset) !== 0;
    const length = body.readUInt32BE(offset + 1);
    const start = offset + HEADER_BYTES;
    if (body.length - start < length) {
      throw new RangeError(`gRPC frame at byte ${offset} declares ${length} bytes but ${body.length - start} follow`);
    }
    frames.push({ compressed, message: body.subarray(start, start + length) });
    offset = start + length;
  }
  return frames;
}
