import { type RawHeaders, type StreamEvents } from './h2';

/** A request body read before the call has anywhere to go. */
export interface EarlyRequest {
  readonly chunks: readonly Buffer[];
  /** The client ended its side (END_STREAM arrived). */
  readonly ended: boolean;
}

export interface RequestBufferOptions {
  /** Called once the client ends its side. */
  readonly onEnd?: () => void;
  /** Called when the client resets the stream or its connection goes. */
  readonly onAbort: () => void;
  /**
   * Credit each chunk to the client at once (for bodies the gateway reads
   * itself). Otherwise the client's stream window bounds what is held until
   * the call is forwarded and the bytes are credited as they go on.
   */
  readonly consume?: (bytes: number) => void;
  /** Bytes kept at most; past them chunks are only counted in `size`. Default: all. */
  readonly keepUpTo?: number;
}

/** Holds a client's request body while the gateway decides what to do with the call (a fail-point delay, a ClusterService call). */
export class RequestBuffer implements StreamEvents, EarlyRequest {
  readonly chunks: Buffer[] = [];
  ended = false;
  size = 0;

  constructor(private readonly options: RequestBufferOptions) {}

  headers(_headers: RawHeaders, endStream: boolean): void {
    // gRPC requests carry no trailers; an end marker on them still ends the body.
    if (endStream) this.end();
  }

  data(chunk: Buffer, endStream: boolean): void {
    if (chunk.length > 0) {
      this.size += chunk.length;
      if (this.size <= (this.options.keepUpTo ?? Number.POSITIVE_INFINITY)) this.chunks.push(chunk);
      this.options.consume?.(chunk.length);
    }
    if (endStream) this.end();
  }

  sent(): void {
    // The gateway sends nothing on this stream while it holds the request.
  }

  aborted(): void {
    this.options.onAbort();
  }

  private end(): void {
    this.ended = true;
    this.options.onEnd?.();
  }
}
