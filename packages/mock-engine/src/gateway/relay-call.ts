import { type Strategy } from '@e6data-ts/strategy-core';
import { corruptResponseBody, type CorruptibleMethod } from './corrupt-response';
import { appendEndToEndHeaders, grpcStatusOf, headerValue } from './forward-headers';
import { ERROR_CANCEL, ERROR_NO_ERROR, type Http2Stream, type RawHeaders, type StreamEvents } from './h2';
import { type EarlyRequest } from './request-buffer';
import { GRPC_INTERNAL, GRPC_UNAVAILABLE, grpcStatusTrailers, respondGrpcStatus } from './stream-responses';
import { type UpstreamPool } from './upstream-pool';

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
 */
export class RelayCall {
  private upstream: Http2Stream | null = null;
  private finished = false;
  private responseStarted = false;
  private readonly body: Buffer[] = [];
  /** Names the engine in error details, e.g. `deployment blue (127.0.0.1:4001)`. */
  private readonly upstreamName: string;

  constructor(private readonly options: RelayCallOptions) {
    this.upstreamName = options.pool.describe(options.deployment).name;
  }

  /** Opens the engine's stream and sends what the client already sent (`early`), then relays the rest as it comes. */
  start(early: EarlyRequest): void {
    const { downstream, pool, deployment, headers } = this.options;
    const upstream = pool.request(deployment, headers, early.ended && early.chunks.length === 0, new EngineSide(this));
    this.upstream = upstream;
    downstream.events = new ClientSide(this);
    early.chunks.forEach((chunk, i) => upstream.sendData(chunk, early.ended && i === early.chunks.length - 1));
  }

  // ---- the client's side ----

  fromClientHeaders(headers: RawHeaders, endStream: boolean): void {
    this.upstream?.sendHeaders(appendEndToEndHeaders(headers, []), endStream);
  }

  fromClientData(chunk: Buffer, endStream: boolean): void {
    const upstream = this.upstream;
    if (upstream === null || upstream.closed || upstream.localEnded) {
      // The engine's stream is over: what the client still sends goes nowhere, but must not stall it.
      this.options.downstream.consume(chunk.length);
      return;
    }
    upstream.sendData(chunk, endStream);
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
    this.options.downstream.consume(bytes);
  }

  engineAborted(code: number, error: Error | null): void {
    const name = this.upstreamName;
    if (error !== null) this.fail(GRPC_UNAVAILABLE, `${name} is unreachable: ${error.message}`);
    else if (code === ERROR_NO_ERROR) this.fail(GRPC_INTERNAL, `${name} ended the call without a gRPC status`);
    else this.fail(GRPC_UNAVAILABLE, `${name} broke off the call (HTTP/2 code ${code})`);
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
