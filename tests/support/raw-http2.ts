// HTTP/2 requests byte for byte, for what a grpc-js client never sends or never
// shows: bare statuses, trailers-only answers, malformed frames, abusive peers.
import http2 from 'node:http2';
import net from 'node:net';
import { h2 } from '@e6data-ts/mock-engine/internal';

export interface RawAnswer {
  status: number | undefined;
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders;
  body: Buffer;
}

/** One request on a fresh h2c connection to 127.0.0.1:`port`; resolves with the whole answer once it ends. */
export function rawRequest(port: number, headers: http2.OutgoingHttpHeaders, body?: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const req = session.request(headers);
    let responseHeaders: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => {
      responseHeaders = h;
    });
    req.on('trailers', (t) => {
      trailers = t;
    });
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      session.close();
      resolve({ status: Number(responseHeaders[':status']), headers: responseHeaders, trailers, body: Buffer.concat(chunks) });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A gRPC length-prefixed message: the compressed flag, the length, the bytes. */
export function grpcFrame(message: Buffer, compressed = false): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(compressed ? 1 : 0, 0);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** One frame the gateway sent a RawClient (payload copied). */
export interface SeenFrame {
  readonly type: number;
  readonly flags: number;
  readonly streamId: number;
  readonly payload: Buffer;
}

/** A frame's bytes: header plus payload. */
export function rawFrame(type: number, flags: number, streamId: number, payload: Buffer | number[] = []): Buffer {
  const body = Buffer.from(payload);
  return Buffer.concat([h2.frameHeader(body.length, type, flags, streamId), body]);
}

/** A gRPC request's header list for `method` of QueryEngineService (blue deployment). */
export function grpcRequestHeaders(method = 'healthCheck', extra: string[] = []): string[] {
  return [
    ':method', 'POST', ':scheme', 'http', ':path', `/QueryEngineService/${method}`, ':authority', 'gateway',
    'content-type', 'application/grpc', 'te', 'trailers', 'strategy', 'blue', ...extra,
  ];
}

/** HEADERS (END_HEADERS) with `headers` encoded without indexing. */
export function rawHeaders(streamId: number, headers: string[], endStream = false): Buffer {
  return rawFrame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS | (endStream ? h2.FLAG_END_STREAM : 0), streamId, h2.encodeHeaderBlock(headers));
}

/**
 * A client speaking raw frames over TCP, for what no HTTP/2 library sends:
 * it records every frame the other side writes and can stop reading (to play
 * a client that never drains its socket).
 */
export class RawClient {
  readonly frames: SeenFrame[] = [];
  readonly closed: Promise<void>;
  private readonly reader = new h2.FrameReader(h2.MAX_FRAME_SIZE_LIMIT, (frame) => {
    this.frames.push({ type: frame.type, flags: frame.flags, streamId: frame.streamId, payload: Buffer.from(frame.payload) });
    this.onFrame?.();
    return true;
  });
  private onFrame: (() => void) | null = null;
  isClosed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => this.reader.push(chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.on('close', () => {
      this.isClosed = true;
      this.onFrame?.();
      resolve();
    }));
  }

  /**
   * Connects to 127.0.0.1:`port`; unless `preface` is false, sends the client
   * preface and `settings` (an empty SETTINGS by default) first.
   */
  static async connect(port: number, options: { preface?: boolean; settings?: Array<[number, number]> } = {}): Promise<RawClient> {
    const socket = net.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new RawClient(socket);
    if (options.preface ?? true) await client.send(h2.CLIENT_PREFACE, h2.settingsFrame(options.settings ?? []));
    return client;
  }

  /** Writes bytes; resolves once the socket took them (or at once when it is gone). */
  send(...chunks: Buffer[]): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.socket.write(Buffer.concat(chunks))) resolve();
      else this.socket.once('drain', resolve);
      this.socket.once('close', resolve);
    });
  }

  /** Frames of `type` seen so far (optionally only on `streamId`). */
  of(type: number, streamId?: number): SeenFrame[] {
    return this.frames.filter((f) => f.type === type && (streamId === undefined || f.streamId === streamId));
  }

  /** The last GOAWAY's error code, last stream id and debug text, or null. */
  goaway(): { code: number; lastStreamId: number; debug: string } | null {
    const frame = this.of(h2.FRAME_GOAWAY).at(-1);
    if (frame === undefined) return null;
    return { lastStreamId: frame.payload.readUInt32BE(0), code: frame.payload.readUInt32BE(4), debug: frame.payload.subarray(8).toString('utf8') };
  }

  /** The error code of the RST_STREAM on `streamId`, or null. */
  reset(streamId: number): number | null {
    return this.of(h2.FRAME_RST_STREAM, streamId).at(-1)?.payload.readUInt32BE(0) ?? null;
  }

  /** Waits (up to `timeoutMs`) until `done()` holds, checking on every frame and on close; rejects naming `what` otherwise. */
  waitFor(what: string, done: () => boolean, timeoutMs = 5_000): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.onFrame = null;
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; frames seen: ${this.frames.map((f) => `${f.type}@${f.streamId}`).join(' ').slice(-300)}`));
      }, timeoutMs);
      this.onFrame = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.onFrame = null;
        resolve();
      };
    });
  }

  /** Waits for a GOAWAY and returns it. */
  async waitForGoaway(timeoutMs = 5_000): Promise<{ code: number; lastStreamId: number; debug: string }> {
    await this.waitFor('GOAWAY', () => this.goaway() !== null, timeoutMs);
    return this.goaway()!;
  }

  /** Stops reading: what the other side writes piles up in its socket. */
  stopReading(): void {
    this.socket.pause();
  }

  close(): void {
    this.socket.destroy();
  }
}
