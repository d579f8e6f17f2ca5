import { ERROR_FRAME_SIZE, FRAME_HEADER_BYTES } from './constants';
import { Http2ProtocolError } from './protocol-error';

/** One frame as read off the wire; `payload` is a view into the bytes read (not a copy). */
export interface Frame {
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
  readonly payload: Buffer;
}

/**
 * Cuts a byte stream into HTTP/2 frames. Bytes arrive in arbitrary pieces;
 * each complete frame goes to `onFrame` as soon as its last byte is in, and
 * an incomplete tail waits for the next piece.
 */
export class FrameReader {
  private pending: Buffer | null = null;

  /**
   * @param maxFrameSize the SETTINGS_MAX_FRAME_SIZE this side announced: a larger frame is a FRAME_SIZE_ERROR.
   * @param onFrame called per frame; return false to stop reading (the connection is going away).
   */
  constructor(
    private readonly maxFrameSize: number,
    private readonly onFrame: (frame: Frame) => boolean,
  ) {}

  /** Feeds bytes; throws Http2ProtocolError on an oversized frame. */
  push(chunk: Buffer): void {
    let bytes = chunk;
    if (this.pending !== null) {
      bytes = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let at = 0;
    while (bytes.length - at >= FRAME_HEADER_BYTES) {
      const length = bytes.readUIntBE(at, 3);
      if (length > this.maxFrameSize) {
        throw new Http2ProtocolError(ERROR_FRAME_SIZE, `frame of ${length} bytes exceeds the ${this.maxFrameSize} announced`);
      }
      const end = at + FRAME_HEADER_BYTES + length;
      if (end > bytes.length) break;
      const frame: Frame = {
        type: bytes[at + 3]!,
        flags: bytes[at + 4]!,
        // The top bit is reserved and must be ignored.
        streamId: bytes.readUInt32BE(at + 5) & 0x7fffffff,
        payload: bytes.subarray(at + FRAME_HEADER_BYTES, end),
      };
      at = end;
      if (!this.onFrame(frame)) return;
    }
    if (at < bytes.length) this.pending = bytes.subarray(at);
  }
}
