import { HpackDecoder, type RawHeaders } from './hpack-decoder';
import { encodeHeaderBlock, encodeTableSizeUpdate } from './hpack-encoder';
import { checkRequestHeaders, trailersProblem } from './request-validation';
import * as wire from './constants';
import { Http2ProtocolError } from './protocol-error';
import { type Frame, FrameReader } from './frame-reader';
import {
  dataFrameHeader,
  goawayFrame,
  headersFrames,
  pingAckFrame,
  rstStreamFrame,
  SETTINGS_ACK,
  settingsFrame,
  windowUpdateFrame,
} from './frame-builders';
import { Http2Stream, type StreamEvents } from './stream';
import { TokenBucket } from './token-bucket';

// Module-local copies of the wire constants, read for every frame: some loaders
// (tsx) turn each read of an imported binding into a getter call.
const {
  CLIENT_PREFACE,
  DEFAULT_HEADER_TABLE_SIZE,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW,
  ERROR_CANCEL,
  ERROR_ENHANCE_YOUR_CALM,
  ERROR_FLOW_CONTROL,
  ERROR_FRAME_SIZE,
  ERROR_INTERNAL,
  ERROR_NO_ERROR,
  ERROR_PROTOCOL,
  ERROR_REFUSED_STREAM,
  ERROR_STREAM_CLOSED,
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FLAG_PADDED,
  FLAG_PRIORITY,
  FRAME_CONTINUATION,
  FRAME_DATA,
  FRAME_GOAWAY,
  FRAME_HEADERS,
  FRAME_PING,
  FRAME_PRIORITY,
  FRAME_PUSH_PROMISE,
  FRAME_RST_STREAM,
  FRAME_SETTINGS,
  FRAME_WINDOW_UPDATE,
  MAX_FRAME_SIZE_LIMIT,
  MAX_STREAM_ID,
  MAX_WINDOW,
  SETTING_ENABLE_PUSH,
  SETTING_HEADER_TABLE_SIZE,
  SETTING_INITIAL_WINDOW_SIZE,
  SETTING_MAX_CONCURRENT_STREAMS,
  SETTING_MAX_FRAME_SIZE,
  SETTING_MAX_HEADER_LIST_SIZE,
} = wire;

export type ConnectionRole = 'server' | 'client';

/**
 * The byte stream a connection runs on: a net.Socket in the gateway, or any
 * object with these members (tests use an in-memory pair).
 */
export interface ByteTransport {
  readonly destroyed: boolean;
  /** Bytes written and not yet handed to the network (net.Socket has it); absent means always 0. */
  readonly writableLength?: number;
  write(chunk: Buffer): boolean;
  cork(): void;
  uncork(): void;
  /** Flushes what was written, then ends; `callback` runs once it is flushed. */
  end(callback?: () => void): unknown;
  destroy(): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  /** The written bytes went out after write() returned false. */
  on(event: 'drain', listener: () => void): unknown;
}

/**
 * What one peer may cost this side before it is cut off. Each limit closes
 * (GOAWAY) or refuses (RST_STREAM) only the connection or stream that passed
 * it, so one abusive client never reaches the others.
 */
export interface ConnectionLimits {
  /** Largest header list taken (SETTINGS_MAX_HEADER_LIST_SIZE; RFC 9113 accounting). */
  readonly maxHeaderListSize: number;
  /** Server role: streams the peer may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). */
  readonly maxConcurrentStreams: number;
  /** HEADERS plus CONTINUATION frames one header block may take. */
  readonly maxHeaderBlockFrames: number;
  /** Resets a peer may cause (its RST_STREAMs, refused and malformed streams) in a burst, and per second after it. */
  readonly resetBurst: number;
  readonly resetsPerSecond: number;
  /** PINGs and SETTINGS a peer may send in a burst, and per second after it (each needs an answer). */
  readonly controlBurst: number;
  readonly controlPerSecond: number;
  /** Client role: resets this side sends on one connection before it stops opening streams there and drains it. */
  readonly resetsSentPerConnection: number;
  /** Bytes queued for the socket past which DATA waits for it to drain. */
  readonly sendHighWater: number;
  /** Replies (PING and SETTINGS acknowledgements, resets) queued to a socket that does not drain, before the peer is cut off. */
  readonly maxQueuedReplies: number;
  /** A header block must be complete within this many ms. */
  readonly headerTimeoutMs: number;
  /** Server role: a connection with no open stream for this long is closed (GOAWAY NO_ERROR). 0 disables. */
  readonly idleTimeoutMs: number;
}

/** The limits the gateway runs with unless told otherwise. */
export const CONNECTION_LIMITS: ConnectionLimits = {
  // Well below the 64 KiB past which an engine's HTTP/2 stack fails the whole shared connection.
  maxHeaderListSize: 32 * 1024,
  maxConcurrentStreams: 100,
  maxHeaderBlockFrames: 64,
  resetBurst: 400,
  resetsPerSecond: 100,
  controlBurst: 1_000,
  controlPerSecond: 100,
  // The engine's stack (nghttp2) closes a connection after a burst of 1,000 resets.
  resetsSentPerConnection: 500,
  sendHighWater: 1024 * 1024,
  maxQueuedReplies: 1_000,
  headerTimeoutMs: 10_000,
  idleTimeoutMs: 300_000,
};

export interface Http2ConnectionOptions {
  readonly role: ConnectionRole;
  /** This side's receive window per stream (announced as SETTINGS_INITIAL_WINDOW_SIZE). */
  readonly streamWindow: number;
  /** This side's receive window for the whole connection (at least HTTP/2's default 65,535). */
  readonly connectionWindow: number;
  /** Server role: a stream the peer opened, with its first header block. */
  readonly onStream?: (stream: Http2Stream, headers: RawHeaders, endStream: boolean) => void;
  /** Called once, when the connection is gone; `error` is set when it failed rather than closed. */
  readonly onClose?: (error: Error | null) => void;
  /** The peer sent GOAWAY: it takes no new streams here. */
  readonly onGoaway?: () => void;
  /** Overrides of CONNECTION_LIMITS. */
  readonly limits?: Partial<ConnectionLimits>;
  /** Milliseconds clock of the reset budget. Default performance.now. */
  readonly now?: () => number;
}

// A header block this large (HEADERS plus CONTINUATION) is an attack or a bug.
const MAX_HEADER_BLOCK_BYTES = 256 * 1024;
// Streams closed lately, remembered so a late frame on one gets the answer RFC 9113 section 5.1 asks for.
const REMEMBERED_CLOSED = 256;
// A socket still not flushed this long after end() is destroyed (its peer does not read).
const END_GRACE_MS = 2_000;
// Writes of up to this many bytes are joined into one buffer; larger ones go out as a vectored write.
const JOIN_WRITES_BELOW = 64 * 1024;

/**
 * An HTTP/2 connection over a socket, either side (RFC 9113), with only what
 * a relay of gRPC calls needs: streams, header blocks (HPACK), DATA with flow
 * control in both directions, RST_STREAM, SETTINGS, PING and GOAWAY. Priority
 * is ignored (but checked) and push is refused.
 *
 * It is lighter than node:http2 per stream (no stream objects with their
 * event machinery, no header objects): a stream is a small record and its
 * events go to one handler. Frames made while handling one read (or in one
 * tick) leave in one socket write.
 *
 * Flow control: a stream's window is credited only as the code reading it
 * calls `consume()`, so a relay credits the sender as fast as the receiver on
 * the other side takes the bytes. On the server side the connection window is
 * credited the same way (what a client holds here is bounded by it); on the
 * client side (towards an engine, shared by many calls) as DATA arrives, so
 * one slow reader cannot stall the others. DATA waits while the socket has
 * more than `sendHighWater` bytes queued.
 *
 * Any byte sequence is survivable: a protocol violation ends the stream or
 * the connection with the matching RST_STREAM or GOAWAY code, and any other
 * exception raised while handling a frame ends the connection with
 * INTERNAL_ERROR rather than escaping the socket's listener.
 */
export class Http2Connection {
  private readonly streams = new Map<number, Http2Stream>();
  private readonly blocked = new Set<Http2Stream>();
  private readonly waiting: Http2Stream[] = [];
  private readonly reader: FrameReader;
  private readonly decoder: HpackDecoder;
  private readonly limits: ConnectionLimits;
  private readonly server: boolean;
  private readonly now: () => number;
  private readonly connectionWindow: number;
  /** Server role: streams closed lately, true for those this side reset (their late frames are ignored). */
  private readonly recentlyClosed = new Map<number, boolean>();
  private readonly out: Buffer[] = [];
  private outBytes = 0;
  private flushScheduled = false;
  private prefaceBytes = 0;
  private continuation: { streamId: number; endStream: boolean; fragments: Buffer[]; size: number; startedAt: number } | null = null;
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private peerMaxStreams = Number.POSITIVE_INFINITY;
  /** The smallest table size the peer announced since the last header block this side sent; -1 when none. */
  private tableSizeUpdate = -1;
  private sendWindow = DEFAULT_WINDOW;
  /** What the peer may still send on the connection. */
  private receiveWindow: number;
  private unacked = 0;
  private lastPeerStreamId = 0;
  private nextStreamId = 1;
  private peerSettingsReceived = false;
  private goawayReceived = false;
  private closed = false;
  private failure: Error | null = null;
  private readonly resets: TokenBucket;
  private readonly controls: TokenBucket;
  private resetsSent = 0;
  private queuedReplies = 0;
  /** DATA waits for the socket to drain (not for window). */
  private waitingForSocket = false;
  private lastActive: number;
  private watchdog: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: ByteTransport,
    private readonly options: Http2ConnectionOptions,
  ) {
    this.limits = { ...CONNECTION_LIMITS, ...options.limits };
    this.server = options.role === 'server';
    this.now = options.now ?? ((): number => performance.now());
    this.lastActive = this.now();
    this.resets = new TokenBucket(this.limits.resetBurst, this.limits.resetsPerSecond, this.lastActive);
    this.controls = new TokenBucket(this.limits.controlBurst, this.limits.controlPerSecond, this.lastActive);
    this.decoder = new HpackDecoder(DEFAULT_HEADER_TABLE_SIZE, this.limits.maxHeaderListSize);
    this.prefaceBytes = this.server ? 0 : CLIENT_PREFACE.length;
    this.reader = new FrameReader(DEFAULT_MAX_FRAME_SIZE, (frame) => this.onFrame(frame));
    if (!this.server) this.write(CLIENT_PREFACE);
    const settings: Array<[number, number]> = [
      [SETTING_INITIAL_WINDOW_SIZE, options.streamWindow],
      [SETTING_MAX_HEADER_LIST_SIZE, this.limits.maxHeaderListSize],
    ];
    if (this.server) settings.push([SETTING_MAX_CONCURRENT_STREAMS, this.limits.maxConcurrentStreams]);
    else settings.unshift([SETTING_ENABLE_PUSH, 0]);
    this.write(settingsFrame(settings));
    this.connectionWindow = Math.max(options.connectionWindow, DEFAULT_WINDOW);
    this.receiveWindow = this.connectionWindow;
    if (this.connectionWindow > DEFAULT_WINDOW) this.write(windowUpdateFrame(0, this.connectionWindow - DEFAULT_WINDOW));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err: Error) => {
      this.failure ??= err;
    });
    socket.on('close', () => this.teardown());
    socket.on('drain', () => this.guard(() => this.onDrain()));
    const period = Math.min(this.limits.headerTimeoutMs, this.server && this.limits.idleTimeoutMs > 0 ? this.limits.idleTimeoutMs : Infinity) / 4;
    this.watchdog = setInterval(() => this.guard(() => this.checkTimeouts()), Math.max(period, 10));
    this.watchdog.unref?.();
  }

  /** The connection can still open (client role) or serve streams. */
  usable(): boolean {
    return (
      !this.closed &&
      !this.goawayReceived &&
      this.nextStreamId <= MAX_STREAM_ID &&
      (this.server || this.resetsSent < this.limits.resetsSentPerConnection)
    );
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** Streams open or waiting for a slot. */
  activeStreams(): number {
    return this.streams.size + this.waiting.length;
  }

  /**
   * Client role: opens a stream with its request header block. Until the
   * peer's first SETTINGS arrive, and past its SETTINGS_MAX_CONCURRENT_STREAMS,
   * the stream waits (data queues behind it): a stream the peer refuses for
   * a limit it announced would be lost, while waiting costs one round trip
   * on a new connection.
   */
  openStream(headers: RawHeaders, endStream: boolean, events: StreamEvents): Http2Stream {
    const stream = new Http2Stream(this, this.peerInitialWindow, this.options.streamWindow);
    stream.events = events;
    stream.localEnded = endStream;
    stream.headersSent = true;
    const block = encodeHeaderBlock(headers);
    if (!this.usable()) {
      stream.closed = true;
      queueMicrotask(() => events.aborted(this.closed ? ERROR_CANCEL : ERROR_REFUSED_STREAM, this.failure));
      return stream;
    }
    if (!this.peerSettingsReceived || this.streams.size >= this.peerMaxStreams) {
      stream.waitingHeaders = { block, endStream };
      this.waiting.push(stream);
      return stream;
    }
    this.start(stream, block, endStream);
    return stream;
  }

  sendHeaders(stream: Http2Stream, headers: RawHeaders, endStream: boolean): void {
    if (stream.closed || stream.localEnded) return;
    const block = encodeHeaderBlock(headers);
    if (endStream) stream.localEnded = true;
    if (stream.headersSent && (stream.pending.length > 0 || stream.id === 0)) {
      // Trailers go out after the data still waiting for window.
      stream.pending.push({ trailers: block });
      return;
    }
    stream.headersSent = true;
    this.writeHeaderBlock(stream.id, block, endStream);
    if (endStream) this.endedLocally(stream);
  }

  sendData(stream: Http2Stream, data: Buffer, endStream: boolean): void {
    if (stream.closed || stream.localEnded) return;
    if (endStream) stream.localEnded = true;
    if (stream.pending.length > 0 || stream.id === 0) {
      stream.pending.push({ data, end: endStream });
      return;
    }
    if (this.writeData(stream, data, endStream) && endStream) this.endedLocally(stream);
  }

  resetStream(stream: Http2Stream, code: number): void {
    if (stream.closed) return;
    if (stream.id === 0) {
      const at = this.waiting.indexOf(stream);
      if (at >= 0) this.waiting.splice(at, 1);
      stream.closed = true;
      return;
    }
    this.sendReset(stream.id, code, false);
    this.closeStream(stream);
  }

  consume(stream: Http2Stream, bytes: number): void {
    if (bytes <= 0) return;
    if (this.server && stream.buffered > 0) {
      const credit = Math.min(bytes, stream.buffered);
      stream.buffered -= credit;
      this.creditConnection(credit);
    }
    if (stream.closed || stream.remoteEnded) return;
    stream.unacked += bytes;
    // Credit in halves of the window, not per frame: fewer frames, same throughput.
    if (stream.unacked >= this.options.streamWindow / 2) {
      this.write(windowUpdateFrame(stream.id, stream.unacked));
      stream.receiveWindow += stream.unacked;
      stream.unacked = 0;
    }
  }

  /** Ends the connection at once; open streams see `aborted(CANCEL, error)`. */
  destroy(error: Error | null = null): void {
    if (this.closed) return;
    this.failure ??= error;
    this.socket.destroy();
    this.teardown();
  }

  /** Tells the peer why the connection ends (GOAWAY), then ends it. */
  fail(error: Http2ProtocolError): void {
    if (this.closed) return;
    this.failure ??= error;
    this.goaway(error.http2Code, error.message.slice(0, 200));
  }

  /** Ends the connection politely: GOAWAY(NO_ERROR) naming the last stream taken, then the socket ends. */
  close(): void {
    if (this.closed) return;
    this.goaway(ERROR_NO_ERROR, '');
  }

  // ---- receiving ----

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    let bytes = chunk;
    if (this.prefaceBytes < CLIENT_PREFACE.length) {
      const take = Math.min(CLIENT_PREFACE.length - this.prefaceBytes, bytes.length);
      if (!bytes.subarray(0, take).equals(CLIENT_PREFACE.subarray(this.prefaceBytes, this.prefaceBytes + take))) {
        this.fail(new Http2ProtocolError(ERROR_PROTOCOL, 'the connection did not start with the HTTP/2 client preface'));
        return;
      }
      this.prefaceBytes += take;
      bytes = bytes.subarray(take);
      if (bytes.length === 0) return;
    }
    this.guard(() => this.reader.push(bytes));
  }

  /** Runs `work`; a connection error it raises ends the connection with GOAWAY, anything else with INTERNAL_ERROR. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (err) {
      if (err instanceof Http2ProtocolError && err.streamId === null) {
        this.fail(err);
        return;
      }
      this.fail(new Http2ProtocolError(ERROR_INTERNAL, `internal error: ${(err as Error)?.message ?? String(err)}`, { cause: err }));
    }
  }

  private onFrame(frame: Frame): boolean {
    if (this.closed) return false;
    if (this.continuation !== null && frame.type !== FRAME_CONTINUATION) {
      throw new Http2ProtocolError(ERROR_PROTOCOL, 'a header block was interrupted by another frame');
    }
    if (!this.peerSettingsReceived && frame.type !== FRAME_SETTINGS) {
      throw new Http2ProtocolError(ERROR_PROTOCOL, 'the first frame of a connection must be SETTINGS');
    }
    try {
      this.dispatch(frame);
    } catch (err) {
      if (!(err instanceof Http2ProtocolError) || err.streamId === null) throw err;
      this.resetStreamById(err.streamId, err.http2Code);
    }
    return !this.closed;
  }

  private dispatch(frame: Frame): void {
    switch (frame.type) {
      case FRAME_DATA:
        this.onData(frame);
        return;
      case FRAME_HEADERS:
        this.onHeadersFrame(frame);
        return;
      case FRAME_CONTINUATION:
        this.onContinuation(frame);
        return;
      case FRAME_RST_STREAM:
        this.onRstStream(frame);
        return;
      case FRAME_SETTINGS:
        this.onSettings(frame);
        return;
      case FRAME_PING:
        this.onPing(frame);
        return;
      case FRAME_GOAWAY:
        this.onGoaway(frame);
        return;
      case FRAME_WINDOW_UPDATE:
        this.onWindowUpdate(frame);
        return;
      case FRAME_PUSH_PROMISE:
        throw new Http2ProtocolError(ERROR_PROTOCOL, 'PUSH_PROMISE is not accepted here');
      case FRAME_PRIORITY:
        this.onPriority(frame);
        return;
      default:
        // Unknown frame types must be ignored (RFC 9113 section 4.1).
        return;
    }
  }

  private onData(frame: Frame): void {
    const { streamId, flags, payload } = frame;
    if (streamId === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'DATA on stream 0');
    this.receiveWindow -= payload.length;
    if (this.receiveWindow < 0) throw new Http2ProtocolError(ERROR_FLOW_CONTROL, 'DATA past the connection window');
    const stream = this.streams.get(streamId);
    if (stream === undefined || !this.server) {
      // Credited on arrival: towards an engine, each stream's own window bounds what it may hold;
      // on a stream already gone nobody holds the bytes.
      this.creditConnection(payload.length);
    }
    if (stream === undefined) {
      this.checkUnknownStream(streamId, 'DATA');
      return;
    }
    if (stream.remoteEnded) throw new Http2ProtocolError(ERROR_STREAM_CLOSED, `DATA after END_STREAM on stream ${streamId}`, { streamId });
    if (this.server) stream.buffered += payload.length;
    stream.receiveWindow -= payload.length;
    if (stream.receiveWindow < 0) throw new Http2ProtocolError(ERROR_FLOW_CONTROL, `DATA past the window of stream ${streamId}`, { streamId });
    let data = payload;
    if (flags & FLAG_PADDED) {
      const padding = payload[0] ?? 0;
      if (payload.length === 0 || padding >= payload.length) throw new Http2ProtocolError(ERROR_PROTOCOL, 'DATA padding exceeds the frame');
      data = payload.subarray(1, payload.length - padding);
      // Padding is nobody's to consume: credit it at once.
      this.consume(stream, padding + 1);
    }
    const endStream = (flags & FLAG_END_STREAM) !== 0;
    if (stream.declaredLength >= 0) {
      stream.receivedLength += data.length;
      if (stream.receivedLength > stream.declaredLength || (endStream && stream.receivedLength !== stream.declaredLength)) {
        throw new Http2ProtocolError(ERROR_PROTOCOL, `stream ${streamId} sent a body of another length than its content-length`, { streamId });
      }
    }
    if (endStream) stream.remoteEnded = true;
    if (stream.events === null) {
      // Nobody reads this stream (it was answered already): its bytes are dropped.
      this.consume(stream, data.length);
    } else {
      stream.events.data(data, endStream);
    }
    if (endStream) this.maybeClose(stream);
  }

  private onHeadersFrame(frame: Frame): void {
    const { streamId, flags, payload } = frame;
    if (streamId === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'HEADERS on stream 0');
    let start = 0;
    let end = payload.length;
    if (flags & FLAG_PADDED) {
      if (payload.length === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'HEADERS padding exceeds the frame');
      const padding = payload[0]!;
      start = 1;
      end -= padding;
    }
    let dependsOnItself = false;
    if (flags & FLAG_PRIORITY) {
      if (payload.length >= start + 4) dependsOnItself = (payload.readUInt32BE(start) & 0x7fffffff) === streamId;
      start += 5;
    }
    if (start > end) throw new Http2ProtocolError(ERROR_PROTOCOL, 'HEADERS padding exceeds the frame');
    const fragment = payload.subarray(start, end);
    const endStream = (flags & FLAG_END_STREAM) !== 0;
    if (flags & FLAG_END_HEADERS) {
      this.onHeaderBlock(streamId, fragment, endStream, dependsOnItself);
      return;
    }
    this.continuation = { streamId, endStream, fragments: [fragment], size: fragment.length, startedAt: this.now() };
    if (dependsOnItself) this.continuation.size = -1 - this.continuation.size;
  }

  private onContinuation(frame: Frame): void {
    const pending = this.continuation;
    if (pending === null || pending.streamId !== frame.streamId) {
      throw new Http2ProtocolError(ERROR_PROTOCOL, 'CONTINUATION without the HEADERS it continues');
    }
    pending.fragments.push(frame.payload);
    const selfDependent = pending.size < 0;
    const size = (selfDependent ? -1 - pending.size : pending.size) + frame.payload.length;
    pending.size = selfDependent ? -1 - size : size;
    if (size > MAX_HEADER_BLOCK_BYTES) throw new Http2ProtocolError(ERROR_ENHANCE_YOUR_CALM, 'header block too large');
    if (pending.fragments.length > this.limits.maxHeaderBlockFrames) {
      throw new Http2ProtocolError(ERROR_ENHANCE_YOUR_CALM, `header block split over more than ${this.limits.maxHeaderBlockFrames} frames`);
    }
    if ((frame.flags & FLAG_END_HEADERS) === 0) return;
    this.continuation = null;
    this.onHeaderBlock(pending.streamId, Buffer.concat(pending.fragments, size), pending.endStream, selfDependent);
  }

  private onHeaderBlock(streamId: number, block: Buffer, endStream: boolean, dependsOnItself: boolean): void {
    // Decoded whatever the stream's fate: the HPACK table must stay in step with the peer.
    const { headers, oversized } = this.decoder.decodeBlock(block);
    const stream = this.streams.get(streamId);
    if (stream === undefined) {
      if (this.server && streamId > this.lastPeerStreamId) {
        this.openPeerStream(streamId, headers, endStream, oversized, dependsOnItself);
        return;
      }
      this.checkUnknownStream(streamId, 'HEADERS');
      return;
    }
    if (stream.remoteEnded) throw new Http2ProtocolError(ERROR_STREAM_CLOSED, `HEADERS after END_STREAM on stream ${streamId}`, { streamId });
    if (dependsOnItself) throw new Http2ProtocolError(ERROR_PROTOCOL, `stream ${streamId} depends on itself`, { streamId });
    if (oversized) throw new Http2ProtocolError(this.server ? ERROR_ENHANCE_YOUR_CALM : ERROR_PROTOCOL, `header list of stream ${streamId} is too large`, { streamId });
    if (this.server) {
      // A request's second header block is its trailers: it must end the stream and carry no pseudo-header.
      const problem = endStream ? trailersProblem(headers) : 'a second HEADERS without END_STREAM';
      if (problem !== null) throw new Http2ProtocolError(ERROR_PROTOCOL, `malformed trailers on stream ${streamId}: ${problem}`, { streamId });
      if (stream.declaredLength >= 0 && stream.receivedLength !== stream.declaredLength) {
        throw new Http2ProtocolError(ERROR_PROTOCOL, `stream ${streamId} sent a body of another length than its content-length`, { streamId });
      }
    }
    stream.headersReceived = true;
    if (endStream) stream.remoteEnded = true;
    stream.events?.headers(headers, endStream);
    if (endStream) this.maybeClose(stream);
  }

  private openPeerStream(streamId: number, headers: RawHeaders, endStream: boolean, oversized: boolean, dependsOnItself: boolean): void {
    if (streamId % 2 === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, `a client opened even stream ${streamId}`);
    this.lastPeerStreamId = streamId;
    if (dependsOnItself) throw new Http2ProtocolError(ERROR_PROTOCOL, `stream ${streamId} depends on itself`, { streamId });
    if (this.streams.size >= this.limits.maxConcurrentStreams) {
      throw new Http2ProtocolError(ERROR_REFUSED_STREAM, `more than ${this.limits.maxConcurrentStreams} concurrent streams`, { streamId });
    }
    if (this.limits.idleTimeoutMs > 0) this.lastActive = this.now();
    const stream = new Http2Stream(this, this.peerInitialWindow, this.options.streamWindow);
    stream.id = streamId;
    stream.headersReceived = true;
    stream.remoteEnded = endStream;
    this.streams.set(streamId, stream);
    if (oversized) {
      // RFC 9113 section 10.5.1: answered 431 here, never forwarded (an engine would fail its whole connection).
      stream.events = null;
      this.sendHeaders(stream, [':status', '431'], true);
      return;
    }
    const check = checkRequestHeaders(headers);
    if (check.problem !== null) throw new Http2ProtocolError(ERROR_PROTOCOL, `malformed request on stream ${streamId}: ${check.problem}`, { streamId });
    if (check.contentLength >= 0) {
      stream.declaredLength = check.contentLength;
      if (endStream && check.contentLength !== 0) {
        throw new Http2ProtocolError(ERROR_PROTOCOL, `stream ${streamId} sent a body of another length than its content-length`, { streamId });
      }
    }
    this.options.onStream?.(stream, headers, endStream);
  }

  /**
   * A frame for a stream this side does not hold. On the server side: an idle
   * stream, or one closed without this side resetting it, is a connection
   * error; late frames of a stream this side reset are ignored (RFC 9113
   * section 5.1). A stream id below the last one that was never seen lately
   * went backwards (section 5.1.1).
   */
  private checkUnknownStream(streamId: number, what: string): void {
    if (this.isIdle(streamId)) throw new Http2ProtocolError(ERROR_PROTOCOL, `${what} on idle stream ${streamId}`);
    if (!this.server) return;
    const resetHere = this.recentlyClosed.get(streamId);
    if (resetHere === true) return;
    if (resetHere === false) throw new Http2ProtocolError(ERROR_STREAM_CLOSED, `${what} on closed stream ${streamId}`);
    throw new Http2ProtocolError(ERROR_PROTOCOL, `${what} on stream ${streamId}, below the last stream opened`);
  }

  private onRstStream(frame: Frame): void {
    if (frame.streamId === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'RST_STREAM on stream 0');
    if (frame.payload.length !== 4) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'RST_STREAM of the wrong size');
    if (this.isIdle(frame.streamId)) throw new Http2ProtocolError(ERROR_PROTOCOL, `RST_STREAM on idle stream ${frame.streamId}`);
    const stream = this.streams.get(frame.streamId);
    if (stream === undefined) return;
    if (this.server) this.chargeReset();
    this.closeStream(stream);
    stream.events?.aborted(frame.payload.readUInt32BE(0), null);
  }

  private onPriority(frame: Frame): void {
    if (frame.streamId === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'PRIORITY on stream 0');
    if (frame.payload.length !== 5) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'PRIORITY of the wrong size', { streamId: frame.streamId });
    if ((frame.payload.readUInt32BE(0) & 0x7fffffff) === frame.streamId) {
      throw new Http2ProtocolError(ERROR_PROTOCOL, `stream ${frame.streamId} depends on itself`, { streamId: frame.streamId });
    }
    // Otherwise advisory, and ignored.
  }

  private onSettings(frame: Frame): void {
    if (frame.streamId !== 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'SETTINGS on a stream');
    if (frame.flags & FLAG_ACK) {
      if (frame.payload.length !== 0) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'SETTINGS ACK with a payload');
      if (!this.peerSettingsReceived) throw new Http2ProtocolError(ERROR_PROTOCOL, 'the first frame of a connection must be SETTINGS without ACK');
      return;
    }
    if (frame.payload.length % 6 !== 0) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'SETTINGS of the wrong size');
    this.chargeControl('SETTINGS');
    for (let at = 0; at < frame.payload.length; at += 6) {
      const value = frame.payload.readUInt32BE(at + 2);
      switch (frame.payload.readUInt16BE(at)) {
        case SETTING_HEADER_TABLE_SIZE:
          // This side's encoder keeps no table; the peer's decoder still wants the new size acknowledged.
          this.tableSizeUpdate = this.tableSizeUpdate < 0 ? Math.min(value, DEFAULT_HEADER_TABLE_SIZE) : Math.min(this.tableSizeUpdate, value);
          break;
        case SETTING_ENABLE_PUSH:
          if (value > 1) throw new Http2ProtocolError(ERROR_PROTOCOL, `ENABLE_PUSH ${value} is neither 0 nor 1`);
          if (!this.server && value === 1) throw new Http2ProtocolError(ERROR_PROTOCOL, 'a server may not enable push');
          break;
        case SETTING_INITIAL_WINDOW_SIZE:
          if (value > MAX_WINDOW) throw new Http2ProtocolError(ERROR_FLOW_CONTROL, `initial window ${value} is too large`);
          this.changeInitialWindow(value);
          break;
        case SETTING_MAX_FRAME_SIZE:
          if (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_FRAME_SIZE_LIMIT) throw new Http2ProtocolError(ERROR_PROTOCOL, `max frame size ${value} is out of range`);
          this.peerMaxFrameSize = value;
          break;
        case SETTING_MAX_CONCURRENT_STREAMS:
          this.peerMaxStreams = value;
          break;
        default:
          // The rest is advisory.
          break;
      }
    }
    this.reply(SETTINGS_ACK);
    this.peerSettingsReceived = true;
    this.startWaiting();
  }

  private changeInitialWindow(value: number): void {
    const delta = value - this.peerInitialWindow;
    this.peerInitialWindow = value;
    for (const stream of this.streams.values()) {
      stream.sendWindow += delta;
      if (stream.sendWindow > MAX_WINDOW) throw new Http2ProtocolError(ERROR_FLOW_CONTROL, 'a stream window grew past 2^31-1');
    }
    for (const stream of this.waiting) stream.sendWindow += delta;
    if (delta > 0) this.flushBlocked();
  }

  private onPing(frame: Frame): void {
    if (frame.streamId !== 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'PING on a stream');
    if (frame.payload.length !== 8) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'PING of the wrong size');
    if (frame.flags & FLAG_ACK) return;
    this.chargeControl('PING');
    this.reply(pingAckFrame(frame.payload));
  }

  private onGoaway(frame: Frame): void {
    if (frame.streamId !== 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'GOAWAY on a stream');
    if (frame.payload.length < 8) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'GOAWAY too short');
    const lastStreamId = frame.payload.readUInt32BE(0) & 0x7fffffff;
    const code = frame.payload.readUInt32BE(4);
    this.goawayReceived = true;
    if (!this.server) {
      // Streams past the last one the peer processed never started there (RFC 9113 section 8.7): safe to retry elsewhere.
      for (const stream of [...this.streams.values()]) {
        if (stream.id <= lastStreamId) continue;
        this.closeStream(stream);
        stream.events?.aborted(ERROR_REFUSED_STREAM, null);
      }
      for (const stream of this.waiting.splice(0)) {
        stream.closed = true;
        stream.events?.aborted(ERROR_REFUSED_STREAM, null);
      }
    }
    this.options.onGoaway?.();
    if (code !== ERROR_NO_ERROR && !this.server) {
      // A peer that reports an error will not finish the streams it took: fail them now rather than at each caller's deadline.
      const detail = frame.payload.subarray(8, 8 + 200).toString('utf8');
      this.destroy(new Http2ProtocolError(code, `the peer ended the connection with GOAWAY code ${code}${detail === '' ? '' : ` (${detail})`}`));
      return;
    }
    this.closeIfDrained();
  }

  private onWindowUpdate(frame: Frame): void {
    if (frame.payload.length !== 4) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'WINDOW_UPDATE of the wrong size');
    const increment = frame.payload.readUInt32BE(0) & 0x7fffffff;
    if (frame.streamId === 0) {
      if (increment === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'WINDOW_UPDATE of 0');
      this.sendWindow += increment;
      if (this.sendWindow > MAX_WINDOW) throw new Http2ProtocolError(ERROR_FLOW_CONTROL, 'connection window grew past 2^31-1');
      this.flushBlocked();
      return;
    }
    const stream = this.streams.get(frame.streamId);
    if (stream === undefined) {
      if (this.isIdle(frame.streamId)) throw new Http2ProtocolError(ERROR_PROTOCOL, `WINDOW_UPDATE on idle stream ${frame.streamId}`);
      return;
    }
    if (increment === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'WINDOW_UPDATE of 0', { streamId: stream.id });
    stream.sendWindow += increment;
    if (stream.sendWindow > MAX_WINDOW) throw new Http2ProtocolError(ERROR_FLOW_CONTROL, 'stream window grew past 2^31-1', { streamId: stream.id });
    if (this.blocked.has(stream)) this.flushPending(stream);
  }

  // ---- limits ----

  /** Takes one reset from the peer's budget; an empty budget ends the connection. */
  private chargeReset(): void {
    if (!this.resets.take(this.now())) throw new Http2ProtocolError(ERROR_ENHANCE_YOUR_CALM, 'too many stream resets');
  }

  /** Takes one PING or SETTINGS from the peer's budget; an empty budget ends the connection. */
  private chargeControl(what: string): void {
    if (this.server && !this.controls.take(this.now())) throw new Http2ProtocolError(ERROR_ENHANCE_YOUR_CALM, `too many ${what} frames`);
  }

  /** Queues a frame that answers one of the peer's; a peer that sends them without reading the answers is cut off. */
  private reply(frame: Buffer): void {
    if (this.server && this.backedUp()) {
      this.queuedReplies += 1;
      if (this.queuedReplies > this.limits.maxQueuedReplies) {
        throw new Http2ProtocolError(ERROR_ENHANCE_YOUR_CALM, 'the peer sends frames that need answers but does not read them');
      }
    }
    this.write(frame);
  }

  private backedUp(): boolean {
    return this.outBytes + (this.socket.writableLength ?? 0) > this.limits.sendHighWater;
  }

  private onDrain(): void {
    this.queuedReplies = 0;
    this.resumeForSocket();
  }

  private resumeForSocket(): void {
    if (!this.waitingForSocket || this.backedUp()) return;
    this.waitingForSocket = false;
    this.flushBlocked();
  }

  private checkTimeouts(): void {
    if (this.closed) return;
    const now = this.now();
    if (this.continuation !== null && now - this.continuation.startedAt > this.limits.headerTimeoutMs) {
      throw new Http2ProtocolError(ERROR_PROTOCOL, `a header block was not finished within ${this.limits.headerTimeoutMs} ms`);
    }
    if (!this.server || this.limits.idleTimeoutMs <= 0) return;
    if (this.streams.size > 0) {
      this.lastActive = now;
    } else if (now - this.lastActive > this.limits.idleTimeoutMs) {
      this.goaway(ERROR_NO_ERROR, 'idle');
    }
  }

  // ---- sending ----

  private start(stream: Http2Stream, block: Buffer, endStream: boolean): void {
    stream.id = this.nextStreamId;
    this.nextStreamId += 2;
    this.streams.set(stream.id, stream);
    this.writeHeaderBlock(stream.id, block, endStream);
    if (stream.pending.length > 0) this.flushPending(stream);
  }

  private startWaiting(): void {
    while (this.waiting.length > 0 && this.peerSettingsReceived && this.streams.size < this.peerMaxStreams && this.usable()) {
      const stream = this.waiting.shift()!;
      const { block, endStream } = stream.waitingHeaders!;
      stream.waitingHeaders = null;
      this.start(stream, block, endStream);
    }
  }

  private writeHeaderBlock(streamId: number, block: Buffer, endStream: boolean): void {
    let bytes = block;
    if (this.tableSizeUpdate >= 0) {
      // RFC 7541 section 4.2: the first block after a new SETTINGS_HEADER_TABLE_SIZE opens with a size update.
      bytes = Buffer.concat([encodeTableSizeUpdate(this.tableSizeUpdate), block]);
      this.tableSizeUpdate = -1;
    }
    this.writeAll(headersFrames(streamId, bytes, endStream, this.peerMaxFrameSize));
  }

  /** Writes as much of `data` as the windows and the socket allow; queues the rest. True when all of it went out. */
  private writeData(stream: Http2Stream, data: Buffer, endStream: boolean): boolean {
    if (data.length === 0 && !endStream) return true;
    let at = 0;
    do {
      const full = this.backedUp();
      const size = full ? 0 : Math.min(data.length - at, stream.sendWindow, this.sendWindow, this.peerMaxFrameSize);
      if (size <= 0 && data.length > 0) {
        if (full) this.waitingForSocket = true;
        break;
      }
      const last = at + size === data.length;
      this.write(dataFrameHeader(stream.id, size, endStream && last));
      if (size > 0) this.write(data.subarray(at, at + size));
      stream.sendWindow -= size;
      this.sendWindow -= size;
      at += size;
    } while (at < data.length);
    if (at > 0) stream.events?.sent(at);
    if (at === data.length) return true;
    stream.pending.unshift({ data: data.subarray(at), end: endStream });
    this.blocked.add(stream);
    return false;
  }

  private flushPending(stream: Http2Stream): void {
    this.blocked.delete(stream);
    while (stream.pending.length > 0 && !stream.closed) {
      const next = stream.pending.shift()!;
      if ('trailers' in next) {
        this.writeHeaderBlock(stream.id, next.trailers, true);
        this.endedLocally(stream);
        return;
      }
      if (!this.writeData(stream, next.data, next.end)) return;
      if (next.end) {
        this.endedLocally(stream);
        return;
      }
    }
  }

  private flushBlocked(): void {
    for (const stream of [...this.blocked]) {
      if (this.sendWindow <= 0 || this.backedUp()) return;
      this.flushPending(stream);
    }
  }

  private endedLocally(stream: Http2Stream): void {
    stream.localEnded = true;
    if (this.server && !stream.remoteEnded && !stream.closed) {
      // RFC 9113 section 8.1: an answer complete before the request tells the client to stop sending.
      this.sendReset(stream.id, ERROR_NO_ERROR, false);
      this.closeStream(stream);
      return;
    }
    this.maybeClose(stream);
  }

  private maybeClose(stream: Http2Stream): void {
    if (stream.localEnded && stream.remoteEnded && stream.pending.length === 0 && !stream.closed && stream.id !== 0) this.closeStream(stream);
  }

  private closeStream(stream: Http2Stream): void {
    stream.closed = true;
    this.streams.delete(stream.id);
    if (this.server && !this.recentlyClosed.has(stream.id)) this.remember(stream.id, false);
    this.blocked.delete(stream);
    stream.pending.length = 0;
    if (stream.buffered > 0) {
      // Bytes the stream held and nobody will consume now: the connection window gets them back.
      this.creditConnection(stream.buffered);
      stream.buffered = 0;
    }
    this.startWaiting();
    this.closeIfDrained();
  }

  private resetStreamById(streamId: number, code: number): void {
    if (this.server) this.chargeReset();
    const stream = this.streams.get(streamId);
    this.sendReset(streamId, code, true);
    if (stream === undefined) return;
    this.closeStream(stream);
    stream.events?.aborted(code, null);
  }

  /** `peerCaused`: the peer's frames made the reset, so it counts against the peer like any other answer it asks for. */
  private sendReset(streamId: number, code: number, peerCaused: boolean): void {
    if (peerCaused) this.reply(rstStreamFrame(streamId, code));
    else this.write(rstStreamFrame(streamId, code));
    if (!this.server) {
      this.resetsSent += 1;
      return;
    }
    this.remember(streamId, true);
  }

  private remember(streamId: number, resetHere: boolean): void {
    this.recentlyClosed.set(streamId, resetHere);
    if (this.recentlyClosed.size > REMEMBERED_CLOSED) this.recentlyClosed.delete(this.recentlyClosed.keys().next().value!);
  }

  private creditConnection(bytes: number): void {
    this.unacked += bytes;
    // In halves of the window; sooner when the peer is short of window (streams that hold bytes hold part of it).
    if (this.unacked >= this.connectionWindow / 2 || (this.unacked > 0 && this.receiveWindow < this.connectionWindow / 2)) {
      this.write(windowUpdateFrame(0, this.unacked));
      this.receiveWindow += this.unacked;
      this.unacked = 0;
    }
  }

  /** A client connection that takes no new streams (GOAWAY, or no stream ids left) ends once its last stream does. */
  private closeIfDrained(): void {
    if (!this.server && !this.usable() && this.activeStreams() === 0 && !this.closed) {
      this.flush();
      this.endSocket();
      this.teardown();
    }
  }

  private goaway(code: number, debug: string): void {
    if (this.closed) return;
    this.write(goawayFrame(this.lastPeerStreamId, code, debug));
    this.flush();
    this.endSocket();
    this.teardown();
  }

  /** Ends the socket once what is queued went out, or after a grace period for a peer that does not read. */
  private endSocket(): void {
    const timer = setTimeout(() => this.socket.destroy(), END_GRACE_MS);
    timer.unref?.();
    this.socket.end(() => {
      clearTimeout(timer);
      this.socket.destroy();
    });
  }

  private isIdle(streamId: number): boolean {
    return this.server ? streamId > this.lastPeerStreamId : streamId >= this.nextStreamId;
  }

  private writeAll(buffers: Buffer[]): void {
    for (const buffer of buffers) this.write(buffer);
  }

  private write(buffer: Buffer): void {
    if (this.closed) return;
    this.out.push(buffer);
    this.outBytes += buffer.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.out.length === 0 || this.socket.destroyed) {
      this.out.length = 0;
      this.outBytes = 0;
      return;
    }
    if (this.out.length === 1) {
      this.socket.write(this.out[0]!);
    } else if (this.outBytes < JOIN_WRITES_BELOW) {
      this.socket.write(Buffer.concat(this.out, this.outBytes));
    } else {
      this.socket.cork();
      for (const buffer of this.out) this.socket.write(buffer);
      this.socket.uncork();
    }
    this.out.length = 0;
    this.outBytes = 0;
    // A transport without 'drain' (or one that took everything at once) lets waiting DATA go on the next turn.
    if (this.waitingForSocket) process.nextTick(() => this.guard(() => this.resumeForSocket()));
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    const streams = [...this.streams.values(), ...this.waiting.splice(0)];
    this.streams.clear();
    this.blocked.clear();
    for (const stream of streams) {
      stream.closed = true;
      try {
        stream.events?.aborted(ERROR_CANCEL, this.failure);
      } catch {
        // One failing handler must neither keep the other streams from cleaning up nor escape the socket's listener.
      }
    }
    this.options.onClose?.(this.failure);
  }
}
