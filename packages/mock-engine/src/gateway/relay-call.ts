import { type Strategy } from '@e6data-ts/strategy-core';
import { corruptResponseBody, type CorruptibleMethod } from './corrupt-response';
import { appendEndToEndHeaders, grpcStatusOf, headerValue } from './forward-headers';
import { ERROR_CANCEL, ERROR_NO_ERROR, ERROR_REFUSED_STREAM, type Http2Stream, type RawHeaders, type StreamEvents } from './h2';
import { type EarlyRequest } from './request-buffer';
import { GRPC_INTERNAL, GRPC_UNAVAILABLE, grpcStatusTrailers, respondGrpcStatus } from './stream-responses';
import { type UpstreamPool } from './upstream-pool';

// A request body up to this size is kept until the engine answers, so a call the engine
// refused unprocessed (RFC 9113 section 8.7) can go again on a fresh connection.
const RETRY_BODY_LIMIT = 64 * 1024;
const MAX_ATTEMPTS = 3;

export type RelayOutcome = 'ok' | 'grpc-error' | 'upstream-error' | 'cancelled';

/** Told once, when a relayed call is over either way. */
export interface RelayListener {
  relayDone(outcome: RelayOutcome, grpcStatus: number | null, upstreamName: string): void;
}

export interface RelayCallOptions {
  /** The client's stream. */
  readonly downstream: Http2Stream;
  /** Where the call goes and with which request headers. */
  readonly pool: UpstreamPool;
  readonly deployment: Strategy;
  readonly headers: RawHeaders;
  /** Set when the response's result bytes must be damaged (a `corrupt` fail point). */
  readonly corrupt: CorruptibleMethod | null;
  readonly listener: RelayListener;
}

/**
 * Relays one call between a client stream and an engine stream, frame by
 * frame and without decoding messages: request body up, response headers,
 * body and trailers down (a trailers-only answer stays trailers-only). Each
 * side is credited (flow control) as the other side takes its bytes. A client
 * that goes away cancels the engine stream; an engine that fails turns into a
 * gRPC status for the client (UNAVAILABLE, or INTERNAL without a status).
 * A call the engine refused without processing it (REFUSED_STREAM, or a
 * GOAWAY that did not take it) is sent again on a fresh connection.
 */
export class RelayCall {
  private upstream: Http2Stream | null = null;
  private finished = false;
  private responseStarted = false;
  private readonly body: Buffer[] = [];
  /** What went up so far, while a retry can still replay it (null past RETRY_BODY_LIMIT or after client trailers). */
  private sentBody: Buffer[] | null = [];
  private sentBodyBytes = 0;
  private sentEnd = false;
  private attempts = 0;
  /** Request bytes the current attempt handed to the engine's socket, and those credited to the client over all attempts. */
  private attemptTook = 0;
  private credited = 0;
  /** Names the engine in error details, e.g. `deployment blue (127.0.0.1:4001)`. */
  private readonly upstreamName: string;

  constructor(private readonly options: RelayCallOptions) {
    this.upstreamName = options.pool.describe(options.deployment).name;
  }

  /** Opens the engine's stream and sends what the client already sent (`early`), then relays the rest as it comes. */
  start(early: EarlyRequest): void {
    this.options.downstream.events = new ClientSide(this);
    this.open(early.chunks, early.ended, true);
  }

  /** Opens the engine's stream with `chunks` of body; `fresh` when they come from the client now rather than from a replay. */
  private open(chunks: readonly Buffer[], ended: boolean, fresh: boolean): void {
    const { pool, deployment, headers } = this.options;
    this.attempts += 1;
    this.attemptTook = 0;
    const upstream = pool.request(deployment, headers, ended && chunks.length === 0, new EngineSide(this));
    this.upstream = upstream;
    if (ended && chunks.length === 0) this.sentEnd = true;
    chunks.forEach((chunk, i) => {
      const last = ended && i === chunks.length - 1;
      if (fresh) this.sendUp(upstream, chunk, last);
      else upstream.sendData(chunk, last);
    });
  }

  private sendUp(upstream: Http2Stream, chunk: Buffer, endStream: boolean): void {
    if (this.sentBody !== null) {
      this.sentBodyBytes += chunk.length;
      if (this.sentBodyBytes > RETRY_BODY_LIMIT) this.sentBody = null;
      else this.sentBody.push(chunk);
    }
    if (endStream) this.sentEnd = true;
    upstream.sendData(chunk, endStream);
  }

  // ---- the client's side ----

  fromClientHeaders(headers: RawHeaders, endStream: boolean): void {
    this.sentBody = null;
    if (endStream) this.sentEnd = true;
    this.upstream?.sendHeaders(appendEndToEndHeaders(headers, []), endStream);
  }

  fromClientData(chunk: Buffer, endStream: boolean): void {
    const upstream = this.upstream;
    if (upstream === null || upstream.closed || upstream.localEnded) {
      // The engine's stream is over: what the client still sends goes nowhere, but must not stall it.
      this.options.downstream.consume(chunk.length);
      return;
    }
    this.sendUp(upstream, chunk, endStream);
  }

  /** Response bytes reached the client's socket: the engine may send as much again. */
  clientTook(bytes: number): void {
    // A corrupted answer was credited as it arrived.
    if (this.options.corrupt === null) this.upstream?.consume(bytes);
  }

  clientAborted(): void {
    this.done('cancelled', null);
  }

  // ---- the engine's side ----

  fromEngineHeaders(headers: RawHeaders, endStream: boolean): void {
    if (this.finished) return;
    const { downstream } = this.options;
    if (!this.responseStarted) {
      const status = headerValue(headers, ':status') ?? '200';
      // Informational (1xx) headers are hop-by-hop; the final ones follow.
      if (status.startsWith('1') && !endStream) return;
      this.responseStarted = true;
      downstream.sendHeaders(appendEndToEndHeaders(headers, [':status', status]), endStream);
      if (endStream) this.finishWith(grpcStatusOf(headers));
      return;
    }
    // Headers after the response headers are the trailers: they end the answer.
    let trailers = appendEndToEndHeaders(headers, []);
    let outcome: RelayOutcome | null = null;
    const corrupt = this.options.corrupt;
    if (corrupt !== null) {
      try {
        downstream.sendData(corruptResponseBody(corrupt, Buffer.concat(this.body)), false);
      } catch (err) {
        trailers = grpcStatusTrailers(GRPC_INTERNAL, `could not corrupt the ${corrupt} answer: ${(err as Error).message}`);
        outcome = 'upstream-error';
      }
    }
    downstream.sendHeaders(trailers, true);
    const status = grpcStatusOf(trailers);
    if (outcome === null) this.finishWith(status);
    else this.done(outcome, status);
  }

  fromEngineData(chunk: Buffer, endStream: boolean): void {
    if (this.finished) return;
    if (!this.responseStarted) {
      this.fail(GRPC_INTERNAL, `${this.upstreamName} sent a body before its response headers`);
      return;
    }
    if (this.options.corrupt !== null) {
      // The whole answer is needed before it can be damaged: hold it and keep the engine sending.
      this.body.push(chunk);
      this.upstream?.consume(chunk.length);
    } else {
      this.options.downstream.sendData(chunk, false);
    }
    if (endStream) this.fail(GRPC_INTERNAL, `${this.upstreamName} ended the call without a gRPC status`);
  }

  /** Request bytes reached the engine's socket: the client may send as much again. */
  engineTook(bytes: number): void {
    // A retry resends bytes the client was credited for already: only new ones earn credit.
    this.attemptTook += bytes;
    const fresh = this.attemptTook - this.credited;
    if (fresh <= 0) return;
    this.credited += fresh;
    this.options.downstream.consume(fresh);
  }

  engineAborted(code: number, error: Error | null): void {
    const name = this.upstreamName;
    if (code === ERROR_REFUSED_STREAM && error === null && this.retryable()) {
      this.open(this.sentBody ?? [], this.sentEnd, false);
      return;
    }
    if (error !== null) this.fail(GRPC_UNAVAILABLE, `${name} is unreachable: ${error.message}`);
    else if (code === ERROR_NO_ERROR) this.fail(GRPC_INTERNAL, `${name} ended the call without a gRPC status`);
    else this.fail(GRPC_UNAVAILABLE, `${name} broke off the call (HTTP/2 code ${code})`);
  }

  private retryable(): boolean {
    return !this.finished && !this.responseStarted && this.sentBody !== null && this.attempts < MAX_ATTEMPTS && !this.options.downstream.closed;
  }

  // ---- ending ----

  private fail(code: number, details: string): void {
    if (this.finished) return;
    const { downstream } = this.options;
    if (downstream.headersSent) {
      // Headers already went out: what was relayed stands, the trailers carry the failure.
      downstream.sendHeaders(grpcStatusTrailers(code, details), true);
    } else {
      respondGrpcStatus(downstream, code, details);
    }
    this.done('upstream-error', code);
  }

  private finishWith(status: number | null): void {
    this.done(status === 0 ? 'ok' : 'grpc-error', status);
  }

  private done(outcome: RelayOutcome, grpcStatus: number | null): void {
    if (this.finished) return;
    this.finished = true;
    this.sentBody = null;
    // An engine stream still answering is no longer wanted (the client left, or its answer was cut short).
    const upstream = this.upstream;
    if (upstream !== null && !upstream.closed && !upstream.remoteEnded) upstream.reset(ERROR_CANCEL);
    this.options.listener.relayDone(outcome, grpcStatus, this.upstreamName);
  }
}

/** The client stream's events, handed to the relay. */
class ClientSide implements StreamEvents {
  constructor(private readonly relay: RelayCall) {}
  headers(headers: RawHeaders, endStream: boolean): void {
    this.relay.fromClientHeaders(headers, endStream);
  }
  data(chunk: Buffer, endStream: boolean): void {
    this.relay.fromClientData(chunk, endStream);
  }
  sent(bytes: number): void {
    this.relay.clientTook(bytes);
  }
  aborted(): void {
    this.relay.clientAborted();
  }
}

/** The engine stream's events, handed to the relay. */
class EngineSide implements StreamEvents {
  constructor(private readonly relay: RelayCall) {}
  headers(headers: RawHeaders, endStream: boolean): void {
    this.relay.fromEngineHeaders(headers, endStream);
  }
  data(chunk: Buffer, endStream: boolean): void {
    this.relay.fromEngineData(chunk, endStream);
  }
  sent(bytes: number): void {
    this.relay.engineTook(bytes);
  }
  aborted(code: number, error: Error | null): void {
    this.relay.engineAborted(code, error);
  }
}
