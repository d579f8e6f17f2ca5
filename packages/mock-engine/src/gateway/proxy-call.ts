import http2, { type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { corruptResponseBody, type CorruptibleMethod } from './corrupt-response';
import { copyEndToEndHeaders } from './forward-headers';
import { GRPC_INTERNAL, GRPC_UNAVAILABLE, grpcStatusTrailers, respondGrpcStatus } from './stream-responses';

export type ProxyOutcome = 'ok' | 'grpc-error' | 'upstream-error' | 'cancelled';

export interface ProxyCallOptions {
  /** The client's stream. */
  readonly stream: ServerHttp2Stream;
  /** The stream opened to the engine, request headers already sent. */
  readonly upstream: ClientHttp2Stream;
  /** Set when the response's result bytes must be damaged (a `corrupt` fail point). */
  readonly corrupt: CorruptibleMethod | null;
  /** Names the engine in error details, e.g. `deployment blue (127.0.0.1:4001)`. */
  readonly upstreamName: string;
  /** Called once, when the call is over either way. */
  readonly onDone: (outcome: ProxyOutcome, grpcStatus: number | null) => void;
}

/**
 * Relays one call between a client stream and an engine stream: request body
 * up, response headers, body and trailers down (trailers-only answers kept
 * trailers-only). A client that goes away cancels the engine stream; an
 * engine that fails turns into a gRPC UNAVAILABLE for the client.
 */
export function proxyCall(options: ProxyCallOptions): void {
  const { stream, upstream, corrupt, upstreamName, onDone } = options;
  let finished = false;
  let trailersOnly = false;
  let bodyFinished = false;
  let trailers: OutgoingHttpHeaders | null = null;
  let failure: { code: number; details: string } | null = null;
  const buffered: Buffer[] = [];

  const done = (outcome: ProxyOutcome, grpcStatus: number | null): void => {
    if (finished) return;
    finished = true;
    onDone(outcome, grpcStatus);
  };

  const fail = (code: number, details: string): void => {
    if (finished || failure !== null || stream.destroyed || stream.closed) return;
    if (!stream.headersSent) {
      respondGrpcStatus(stream, code, details);
      done('upstream-error', code);
      return;
    }
    // Headers already went out: finish the body and let wantTrailers carry the failure.
    failure = { code, details };
    if (!stream.writableEnded) stream.end();
  };

  // Request body up, by hand: lighter than pipe() on a path every call takes.
  stream.on('data', (chunk: Buffer) => {
    if (upstream.destroyed) return;
    if (!upstream.write(chunk)) {
      stream.pause();
      upstream.once('drain', () => stream.resume());
    }
  });
  stream.on('end', () => {
    if (!upstream.destroyed) upstream.end();
  });
  stream.on('close', () => {
    if (!upstream.closed && !upstream.destroyed) upstream.close(http2.constants.NGHTTP2_CANCEL);
    done('cancelled', null);
  });

  upstream.on('response', (headers: IncomingHttpHeaders, flags: number) => {
    if (stream.destroyed || stream.closed) return;
    const out: OutgoingHttpHeaders = { ...copyEndToEndHeaders(headers), ':status': headers[':status'] ?? 200 };
    if ((flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0) {
      trailersOnly = true;
      stream.respond(out, { endStream: true });
      const status = grpcStatusOf(headers);
      done(status === 0 ? 'ok' : 'grpc-error', status);
      return;
    }
    stream.respond(out, { waitForTrailers: true });
  });

  upstream.on('trailers', (headers: IncomingHttpHeaders) => {
    trailers = copyEndToEndHeaders(headers);
  });

  upstream.on('data', (chunk: Buffer) => {
    if (corrupt !== null) {
      buffered.push(chunk);
      return;
    }
    if (!stream.write(chunk)) {
      upstream.pause();
      stream.once('drain', () => upstream.resume());
    }
  });

  // The body is complete only with the engine's trailers: a reset also ends
  // the readable side, and must not pass for a finished answer.
  const finishBody = (): void => {
    if (bodyFinished || trailersOnly) return;
    bodyFinished = true;
    if (stream.destroyed || stream.closed) return;
    if (corrupt !== null) {
      try {
        stream.write(corruptResponseBody(corrupt, Buffer.concat(buffered)));
      } catch (err) {
        failure = { code: GRPC_INTERNAL, details: `could not corrupt the ${corrupt} answer: ${(err as Error).message}` };
      }
    }
    stream.end();
  };
  upstream.on('end', () => {
    if (trailers !== null) finishBody();
  });

  stream.on('wantTrailers', () => {
    if (failure !== null) {
      stream.sendTrailers(grpcStatusTrailers(failure.code, failure.details));
      done('upstream-error', failure.code);
      return;
    }
    // finishBody ends the body only once trailers arrived, so they are here.
    const last = trailers ?? grpcStatusTrailers(GRPC_INTERNAL, `${upstreamName} sent no trailers`);
    stream.sendTrailers(last);
    const status = grpcStatusOf(last);
    done(status === 0 ? 'ok' : 'grpc-error', status);
  });

  upstream.on('error', (err: Error & { code?: string }) => {
    // A reset by the engine is reported by 'close' with its code.
    if (err.code === 'ERR_HTTP2_STREAM_ERROR') return;
    fail(GRPC_UNAVAILABLE, `${upstreamName} is unreachable: ${err.message}`);
  });
  upstream.on('close', () => {
    if (bodyFinished || trailersOnly) return;
    if (trailers !== null) {
      finishBody();
      return;
    }
    const code = upstream.rstCode ?? http2.constants.NGHTTP2_NO_ERROR;
    if (code === http2.constants.NGHTTP2_NO_ERROR) {
      fail(GRPC_INTERNAL, `${upstreamName} ended the call without a gRPC status`);
    } else {
      fail(GRPC_UNAVAILABLE, `${upstreamName} broke off the call (HTTP/2 code ${code})`);
    }
  });
}

function grpcStatusOf(headers: IncomingHttpHeaders | OutgoingHttpHeaders): number | null {
  const raw = headers['grpc-status'];
  const status = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw === undefined || !Number.isInteger(status) ? null : status;
}
