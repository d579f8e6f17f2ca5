import { type RawHeaders } from './hpack-decoder';
import { type Http2Connection } from './connection';

/** What happens on a stream, as its connection reads it off the wire. */
export interface StreamEvents {
  /**
   * A header block after the first: the response headers of a stream this
   * side opened, or trailers. `endStream` is set on the stream's last frame.
   */
  headers(headers: RawHeaders, endStream: boolean): void;
  data(chunk: Buffer, endStream: boolean): void;
  /** `bytes` of this stream's outgoing DATA left for the socket (flow control let them through). */
  sent(bytes: number): void;
  /**
   * The stream ended without finishing: the peer reset it (`code`), or the
   * connection is gone (`code` CANCEL; `error` set when the connection failed).
   */
  aborted(code: number, error: Error | null): void;
}

/** Data (or trailers) waiting for flow-control window, in order. */
export type PendingWrite = { readonly data: Buffer; readonly end: boolean } | { readonly trailers: Buffer };

/**
 * One HTTP/2 stream of an {@link Http2Connection}: its state, its windows and
 * what waits to be sent. The connection does the work; these methods are the
 * stream's face for the code that relays or answers calls.
 */
export class Http2Stream {
  /** 0 until a stream this side opens gets its id (it may wait for a concurrency slot). */
  id = 0;
  events: StreamEvents | null = null;
  /** This side sent its first header block (a server stream has responded). */
  headersSent = false;
  /** The peer's first header block arrived (a client stream has its response). */
  headersReceived = false;
  /** This side sent, or queued, END_STREAM. */
  localEnded = false;
  remoteEnded = false;
  closed = false;
  sendWindow: number;
  /** Bytes the peer may still send before this side credits more. */
  receiveWindow: number;
  /** Bytes consumed and not yet credited back to the peer. */
  unacked = 0;
  /** DATA octets received and not yet consumed: what this stream holds of the connection window. */
  buffered = 0;
  /** The request's content-length, when it declared one (-1 otherwise), and the DATA octets seen so far. */
  declaredLength = -1;
  receivedLength = 0;
  readonly pending: PendingWrite[] = [];
  /** Set while a stream this side opens waits for a slot: its request header block. */
  waitingHeaders: { readonly block: Buffer; readonly endStream: boolean } | null = null;

  constructor(
    readonly connection: Http2Connection,
    sendWindow: number,
    receiveWindow: number,
  ) {
    this.sendWindow = sendWindow;
    this.receiveWindow = receiveWindow;
  }

  /** Sends a header block: the first one, or trailers (which wait behind any queued data). */
  sendHeaders(headers: RawHeaders, endStream: boolean): void {
    this.connection.sendHeaders(this, headers, endStream);
  }

  /** Sends DATA, as far as flow control allows now; the rest goes out as the peer opens its window. */
  sendData(data: Buffer, endStream: boolean): void {
    this.connection.sendData(this, data, endStream);
  }

  /** Ends the stream abruptly (RST_STREAM); no event follows. */
  reset(code: number): void {
    this.connection.resetStream(this, code);
  }

  /** Marks `bytes` of received DATA as handled, so the peer may send that much more. */
  consume(bytes: number): void {
    this.connection.consume(this, bytes);
  }
}
