import { encodeGrpcFrame } from './grpc-frame';
import { encodeGrpcMessage } from './grpc-message';
import { type Http2Stream, type RawHeaders } from './h2';

export const GRPC_OK = 0;
export const GRPC_INVALID_ARGUMENT = 3;
export const GRPC_RESOURCE_EXHAUSTED = 8;
export const GRPC_UNIMPLEMENTED = 12;
export const GRPC_INTERNAL = 13;
export const GRPC_UNAVAILABLE = 14;

// Answers the gateway gives itself. Each one ends the gateway's side of the
// stream and stops reading it: request bytes still arriving are dropped.

function answerable(stream: Http2Stream): boolean {
  return !stream.closed && !stream.headersSent;
}

/** Trailers for a gRPC status (also the headers of a trailers-only answer, after `:status`). */
export function grpcStatusTrailers(code: number, details: string): RawHeaders {
  return ['grpc-status', String(code), 'grpc-message', encodeGrpcMessage(details)];
}

/** A trailers-only gRPC answer: HTTP 200, no message, the status in the only HEADERS frame. */
export function respondGrpcStatus(stream: Http2Stream, code: number, details: string): void {
  if (!answerable(stream)) return;
  stream.events = null;
  stream.sendHeaders([':status', '200', 'content-type', 'application/grpc', ...grpcStatusTrailers(code, details)], true);
}

/**
 * An HTTP-level answer without any gRPC status, empty body: what a load
 * balancer in front of the engines sends (456 wrong deployment, 503 suspended).
 * grpc-js reports it as `Received HTTP status code <status>`.
 */
export function respondHttpStatus(stream: Http2Stream, status: number): void {
  if (!answerable(stream)) return;
  stream.events = null;
  stream.sendHeaders([':status', String(status)], true);
}

/** A successful unary answer: one framed message, then trailers with status 0. */
export function respondMessage(stream: Http2Stream, message: Buffer): void {
  if (!answerable(stream)) return;
  stream.events = null;
  stream.sendHeaders([':status', '200', 'content-type', 'application/grpc'], false);
  stream.sendData(encodeGrpcFrame(message), false);
  stream.sendHeaders(grpcStatusTrailers(GRPC_OK, ''), true);
}
