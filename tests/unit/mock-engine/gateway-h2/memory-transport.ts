// In-memory stand-ins for the socket under an h2.Http2Connection, so the
// unit tier can run the HTTP/2 layer without opening a socket.
import { EventEmitter } from 'node:events';
import { h2 } from '@e6data-ts/mock-engine/internal';

/** Lets every queued write, delivery and close run (they go out on nextTick and setImmediate). */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A byte transport: what one side writes arrives at its peer on a later
 * turn of the event loop, in order; closing one end closes the other.
 */
export class MemoryTransport extends EventEmitter implements h2.ByteTransport {
  destroyed = false;
  ended = false;
  peer: MemoryTransport | null = null;
  /** Sees every chunk written (a raw peer parses them). */
  onWrite: ((chunk: Buffer) => void) | null = null;
  corked = 0;

  static pair(): [MemoryTransport, MemoryTransport] {
    const a = new MemoryTransport();
    const b = new MemoryTransport();
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  write(chunk: Buffer): boolean {
    if (this.destroyed || this.ended) return false;
    const copy = Buffer.from(chunk);
    this.onWrite?.(copy);
    const peer = this.peer;
    if (peer !== null) {
      setImmediate(() => {
        if (!peer.destroyed) peer.emit('data', copy);
      });
    }
    return true;
  }

  cork(): void {
    this.corked++;
  }

  uncork(): void {
    this.corked--;
  }

  end(callback?: () => void): this {
    this.ended = true;
    setImmediate(() => {
      callback?.();
      this.destroy();
    });
    return this;
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    setImmediate(() => {
      this.emit('close');
      this.peer?.destroy();
    });
    return this;
  }

  /** A socket error, as the kernel would report it, then the close. */
  fail(error: Error): void {
    this.emit('error', error);
    this.destroy();
  }
}

/** One frame as the raw peer read it (payload copied). */
export interface SeenFrame {
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
  readonly payload: Buffer;
}

/**
 * The far end of a connection under test, speaking raw frames: it records
 * every frame the connection writes and injects whatever bytes a test wants.
 */
export class RawPeer {
  readonly transport = new MemoryTransport();
  readonly frames: SeenFrame[] = [];
  private prefaceLeft: number;
  private readonly reader = new h2.FrameReader(h2.MAX_FRAME_SIZE_LIMIT, (frame) => {
    this.frames.push({ type: frame.type, flags: frame.flags, streamId: frame.streamId, payload: Buffer.from(frame.payload) });
    return true;
  });

  /** @param role the role of the connection under test (a client one starts with the preface). */
  constructor(role: h2.ConnectionRole) {
    this.prefaceLeft = role === 'client' ? h2.CLIENT_PREFACE.length : 0;
    this.transport.onWrite = (chunk) => {
      const skip = Math.min(this.prefaceLeft, chunk.length);
      this.prefaceLeft -= skip;
      if (chunk.length > skip) this.reader.push(chunk.subarray(skip));
    };
  }

  send(...chunks: Buffer[]): void {
    this.transport.emit('data', Buffer.concat(chunks));
  }

  /** Frames of `type` written so far (optionally only on `streamId`). */
  of(type: number, streamId?: number): SeenFrame[] {
    return this.frames.filter((f) => f.type === type && (streamId === undefined || f.streamId === streamId));
  }

  /** The last GOAWAY's error code and debug text, or null. */
  goaway(): { code: number; debug: string } | null {
    const frame = this.of(h2.FRAME_GOAWAY).at(-1);
    return frame === undefined ? null : { code: frame.payload.readUInt32BE(4), debug: frame.payload.subarray(8).toString('utf8') };
  }

  clear(): void {
    this.frames.length = 0;
  }
}

export function frame(type: number, flags: number, streamId: number, payload: Buffer | number[] = []): Buffer {
  const body = Buffer.from(payload);
  return Buffer.concat([h2.frameHeader(body.length, type, flags, streamId), body]);
}

export function headersFrame(streamId: number, headers: string[], flags = h2.FLAG_END_HEADERS): Buffer {
  return frame(h2.FRAME_HEADERS, flags, streamId, h2.encodeHeaderBlock(headers));
}

export function dataFrame(streamId: number, data: Buffer | string, flags = 0): Buffer {
  return frame(h2.FRAME_DATA, flags, streamId, Buffer.from(data));
}

export function settings(...pairs: Array<[number, number]>): Buffer {
  return h2.settingsFrame(pairs);
}

export function windowUpdate(streamId: number, increment: number): Buffer {
  return h2.windowUpdateFrame(streamId, increment);
}

/** Stream events that record what happens, and consume DATA unless told not to. */
export class RecordingEvents implements h2.StreamEvents {
  readonly log: string[] = [];
  readonly headerBlocks: string[][] = [];
  readonly chunks: Buffer[] = [];
  sentBytes = 0;
  abortedWith: { code: number; error: Error | null } | null = null;
  stream: h2.Http2Stream | null = null;

  constructor(private readonly autoConsume = true) {}

  headers(headers: string[], endStream: boolean): void {
    this.headerBlocks.push(headers);
    this.log.push(`headers${endStream ? ' end' : ''}`);
  }

  data(chunk: Buffer, endStream: boolean): void {
    this.chunks.push(Buffer.from(chunk));
    this.log.push(`data ${chunk.length}${endStream ? ' end' : ''}`);
    if (this.autoConsume) this.stream?.consume(chunk.length);
  }

  sent(bytes: number): void {
    this.sentBytes += bytes;
  }

  aborted(code: number, error: Error | null): void {
    this.abortedWith = { code, error };
    this.log.push(`aborted ${code}`);
  }

  body(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
