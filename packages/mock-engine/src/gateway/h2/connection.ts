import { HpackDecoder, type RawHeaders } from './hpack-decoder';
import { encodeHeaderBlock } from './hpack-encoder';
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
  SETTING_INITIAL_WINDOW_SIZE,
  SETTING_MAX_CONCURRENT_STREAMS,
  SETTING_MAX_FRAME_SIZE,
} = wire;

export type ConnectionRole = 'server' | 'client';

/**
 * The byte stream a connection runs on: a net.Socket in the gateway, or any
 * object with these members (tests use an in-memory pair).
 */
export interface ByteTransport {
  readonly destroyed: boolean;
  write(chunk: Buffer): boolean;
  cork(): void;
  uncork(): void;
  /** Flushes what was written, then ends; `callback` runs once it is flushed. */
  end(callback?: () => void): unknown;
  destroy(): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

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
}

// A header block this large (HEADERS plus CONTINUATION) is an attack or a bug.
const MAX_HEADER_BLOCK_BYTES = 256 * 1024;
// Writes of up to this many bytes are joined into one buffer; larger ones go out as a vectored write.
const JOIN_WRITES_BELOW = 64 * 1024;

/**
 * An HTTP/2 connection over a socket, either side (RFC 9113), with only what
 * a relay of gRPC calls needs: streams, header blocks (HPACK), DATA with flow
 * control in both directions, RST_STREAM, SETTINGS, PING and GOAWAY. Priority
 * is ignored and push is refused.
 *
 * It is lighter than node:http2 per stream (no stream objects with their
 * event machinery, no header objects): a stream is a small record and its
 * events go to one handler. Frames made while handling one read (or in one
 * tick) leave in one socket write.
 *
 * Flow control: the connection window is credited as DATA arrives (each
 * stream's own window bounds what it may hold), a stream's window only as the
 * code reading it calls `consume()`, so a relay credits the sender as fast as
 * the receiver on the other side takes the bytes.
 */
export class Http2Connection {
  private readonly streams = new Map<number, Http2Stream>();
  private readonly blocked = new Set<Http2Stream>();
  private readonly waiting: Http2Stream[] = [];
  private readonly reader: FrameReader;
  private readonly decoder = new HpackDecoder(DEFAULT_HEADER_TABLE_SIZE);
  private readonly connectionWindow: number;
  private readonly out: Buffer[] = [];
  private outBytes = 0;
  private flushScheduled = false;
  private prefaceBytes = 0;
  private continuation: { streamId: number; endStream: boolean; fragments: Buffer[]; size: number } | null = null;
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private peerMaxStreams = Number.POSITIVE_INFINITY;
  private sendWindow = DEFAULT_WINDOW;
  private unacked = 0;
  private lastPeerStreamId = 0;
  private nextStreamId = 1;
  private peerSettingsReceived = false;
  private goawayReceived = false;
  private closed = false;
  private failure: Error | null = null;

  constructor(
    private readonly socket: ByteTransport,
    private readonly options: Http2ConnectionOptions,
  ) {
    this.prefaceBytes = options.role === 'server' ? 0 : CLIENT_PREFACE.length;
    this.reader = new FrameReader(DEFAULT_MAX_FRAME_SIZE, (frame) => this.onFrame(frame));
    if (options.role === 'client') this.write(CLIENT_PREFACE);
    const settings: Array<[number, number]> = [[SETTING_INITIAL_WINDOW_SIZE, options.streamWindow]];
    if (options.role === 'client') settings.unshift([SETTING_ENABLE_PUSH, 0]);
    this.write(settingsFrame(settings));
    this.connectionWindow = Math.max(options.connectionWindow, DEFAULT_WINDOW);
    if (this.connectionWindow > DEFAULT_WINDOW) this.write(windowUpdateFrame(0, this.connectionWindow - DEFAULT_WINDOW));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err: Error) => {
      this.failure ??= err;
    });
    socket.on('close', () => this.teardown());
  }

  /** The connection can still open (client role) or serve streams. */
  usable(): boolean {
    return !this.closed && !this.goawayReceived && this.nextStreamId <= MAX_STREAM_ID;
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
    this.writeAll(headersFrames(stream.id, block, endStream, this.peerMaxFrameSize));
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
    this.write(rstStreamFrame(stream.id, code));
    this.closeStream(stream);
  }

  consume(stream: Http2Stream, bytes: number): void {
    if (stream.closed || stream.remoteEnded || bytes <= 0) return;
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
    this.write(goawayFrame(this.lastPeerStreamId, error.http2Code, error.message.slice(0, 200)));
    this.flush();
    this.socket.end(() => this.socket.destroy());
    this.teardown();
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
    try {
      this.reader.push(bytes);
    } catch (err) {
      if (err instanceof Http2ProtocolError && err.streamId === null) {
        this.fail(err);
        return;
      }
      throw err;
    }
  }

  private onFrame(frame: Frame): boolean {
    if (this.continuation !== null && frame.type !== FRAME_CONTINUATION) {
      throw new Http2ProtocolError(ERROR_PROTOCOL, 'a header block was interrupted by another frame');
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
      default:
        // Priority is advisory and unknown frame types must be ignored (RFC 9113 section 4.1).
        return;
    }
  }

  private onData(frame: Frame): void {
    const { streamId, flags, payload } = frame;
    if (streamId === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'DATA on stream 0');
    // Credited on arrival, in halves of the window. A frame (at most 16 KiB) is
    // smaller than half of any connection window (at least 64 KiB), so no
    // peer can overdraw it: only stream windows need policing.
    this.unacked += payload.length;
    if (this.unacked >= this.connectionWindow / 2) {
      this.write(windowUpdateFrame(0, this.unacked));
      this.unacked = 0;
    }
    const stream = this.streams.get(streamId);
    if (stream === undefined) {
      if (this.isIdle(streamId)) throw new Http2ProtocolError(ERROR_PROTOCOL, `DATA on idle stream ${streamId}`);
      // A stream this side already closed: frames the peer sent before it knew.
      return;
    }
    if (stream.remoteEnded) throw new Http2ProtocolError(ERROR_STREAM_CLOSED, `DATA after END_STREAM on stream ${streamId}`, { streamId });
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
      const padding = payload[0] ?? 0;
      start = 1;
      end -= padding;
    }
    if (flags & FLAG_PRIORITY) start += 5;
    if (start > end) throw new Http2ProtocolError(ERROR_PROTOCOL, 'HEADERS padding exceeds the frame');
    const fragment = payload.subarray(start, end);
    const endStream = (flags & FLAG_END_STREAM) !== 0;
    if (flags & FLAG_END_HEADERS) {
      this.onHeaderBlock(streamId, fragment, endStream);
      return;
    }
    this.continuation = { streamId, endStream, fragments: [fragment], size: fragment.length };
  }

  private onContinuation(frame: Frame): void {
    const pending = this.continuation;
    if (pending === null || pending.streamId !== frame.streamId) {
      throw new Http2ProtocolError(ERROR_PROTOCOL, 'CONTINUATION without the HEADERS it continues');
    }
    pending.fragments.push(frame.payload);
    pending.size += frame.payload.length;
    if (pending.size > MAX_HEADER_BLOCK_BYTES) throw new Http2ProtocolError(ERROR_ENHANCE_YOUR_CALM, 'header block too large');
    if ((frame.flags & FLAG_END_HEADERS) === 0) return;
    this.continuation = null;
    this.onHeaderBlock(pending.streamId, Buffer.concat(pending.fragments), pending.endStream);
  }

  private onHeaderBlock(streamId: number, block: Buffer, endStream: boolean): void {
    // Decoded whatever the stream's fate: the HPACK table must stay in step with the peer.
    const headers = this.decoder.decode(block);
    const stream = this.streams.get(streamId);
    if (stream === undefined) {
      if (this.options.role === 'server' && this.isIdle(streamId)) this.openPeerStream(streamId, headers, endStream);
      return;
    }
    if (stream.remoteEnded) throw new Http2ProtocolError(ERROR_STREAM_CLOSED, `HEADERS after END_STREAM on stream ${streamId}`, { streamId });
    stream.headersReceived = true;
    if (endStream) stream.remoteEnded = true;
    stream.events?.headers(headers, endStream);
    if (endStream) this.maybeClose(stream);
  }

  private openPeerStream(streamId: number, headers: RawHeaders, endStream: boolean): void {
    if (streamId % 2 === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, `a client opened even stream ${streamId}`);
    this.lastPeerStreamId = streamId;
    const stream = new Http2Stream(this, this.peerInitialWindow, this.options.streamWindow);
    stream.id = streamId;
    stream.headersReceived = true;
    stream.remoteEnded = endStream;
    this.streams.set(streamId, stream);
    this.options.onStream?.(stream, headers, endStream);
  }

  private onRstStream(frame: Frame): void {
    if (frame.streamId === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'RST_STREAM on stream 0');
    if (frame.payload.length !== 4) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'RST_STREAM of the wrong size');
    const stream = this.streams.get(frame.streamId);
    if (stream === undefined) return;
    this.closeStream(stream);
    stream.events?.aborted(frame.payload.readUInt32BE(0), null);
  }

  private onSettings(frame: Frame): void {
    if (frame.streamId !== 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'SETTINGS on a stream');
    if (frame.flags & FLAG_ACK) {
      if (frame.payload.length !== 0) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'SETTINGS ACK with a payload');
      return;
    }
    if (frame.payload.length % 6 !== 0) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'SETTINGS of the wrong size');
    for (let at = 0; at < frame.payload.length; at += 6) {
      const value = frame.payload.readUInt32BE(at + 2);
      switch (frame.payload.readUInt16BE(at)) {
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
          // The header table size only matters to an encoder with a dynamic table (this one has none); the rest is advisory.
          break;
      }
    }
    this.write(SETTINGS_ACK);
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
    if ((frame.flags & FLAG_ACK) === 0) this.write(pingAckFrame(frame.payload));
  }

  private onGoaway(frame: Frame): void {
    if (frame.streamId !== 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'GOAWAY on a stream');
    if (frame.payload.length < 8) throw new Http2ProtocolError(ERROR_FRAME_SIZE, 'GOAWAY too short');
    const lastStreamId = frame.payload.readUInt32BE(0) & 0x7fffffff;
    this.goawayReceived = true;
    if (this.options.role === 'client') {
      // Streams past the last one the peer processed never started there.
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
    if (stream === undefined) return;
    if (increment === 0) throw new Http2ProtocolError(ERROR_PROTOCOL, 'WINDOW_UPDATE of 0', { streamId: stream.id });
    stream.sendWindow += increment;
    if (stream.sendWindow > MAX_WINDOW) throw new Http2ProtocolError(ERROR_FLOW_CONTROL, 'stream window grew past 2^31-1', { streamId: stream.id });
    if (this.blocked.has(stream)) this.flushPending(stream);
  }

  // ---- sending ----

  private start(stream: Http2Stream, block: Buffer, endStream: boolean): void {
    stream.id = this.nextStreamId;
    this.nextStreamId += 2;
    this.streams.set(stream.id, stream);
    this.writeAll(headersFrames(stream.id, block, endStream, this.peerMaxFrameSize));
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

  /** Writes as much of `data` as the windows allow; queues the rest. True when all of it went out. */
  private writeData(stream: Http2Stream, data: Buffer, endStream: boolean): boolean {
    if (data.length === 0 && !endStream) return true;
    let at = 0;
    do {
      const size = Math.min(data.length - at, stream.sendWindow, this.sendWindow, this.peerMaxFrameSize);
      if (size <= 0 && data.length > 0) break;
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
        this.writeAll(headersFrames(stream.id, next.trailers, true, this.peerMaxFrameSize));
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
      if (this.sendWindow <= 0) return;
      this.flushPending(stream);
    }
  }

  private endedLocally(stream: Http2Stream): void {
    stream.localEnded = true;
    this.maybeClose(stream);
  }

  private maybeClose(stream: Http2Stream): void {
    if (stream.localEnded && stream.remoteEnded && stream.pending.length === 0 && !stream.closed && stream.id !== 0) this.closeStream(stream);
  }

  private closeStream(stream: Http2Stream): void {
    stream.closed = true;
    this.streams.delete(stream.id);
    this.blocked.delete(stream);
    stream.pending.length = 0;
    this.startWaiting();
    this.closeIfDrained();
  }

  private resetStreamById(streamId: number, code: number): void {
    const stream = this.streams.get(streamId);
    this.write(rstStreamFrame(streamId, code));
    if (stream === undefined) return;
    this.closeStream(stream);
    stream.events?.aborted(code, null);
  }

  /** A client connection that takes no new streams (GOAWAY, or no stream ids left) ends once its last stream does. */
  private closeIfDrained(): void {
    if (this.options.role === 'client' && !this.usable() && this.activeStreams() === 0 && !this.closed) {
      this.flush();
      this.socket.end(() => this.socket.destroy());
      this.teardown();
    }
  }

  private isIdle(streamId: number): boolean {
    return this.options.role === 'server' ? streamId > this.lastPeerStreamId : streamId >= this.nextStreamId;
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
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    const streams = [...this.streams.values(), ...this.waiting.splice(0)];
    this.streams.clear();
    this.blocked.clear();
    for (const stream of streams) {
      stream.closed = true;
      stream.events?.aborted(ERROR_CANCEL, this.failure);
    }
    this.options.onClose?.(this.failure);
  }
}
