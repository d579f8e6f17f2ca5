import { type ServerHttp2Stream } from 'node:http2';
import { encodeGrpcFrame } from './grpc-frame';
import { encodeGrpcMessage } from './grpc-message';

export const GRPC_OK = 0;
export const GRPC_INVALID_ARGUMENT = 3;
export const GRPC_RESOURCE_EXHAUSTED = 8;
export const GRPC_UNIMPLEMENTED = 12;
export const GRPC_INTERNAL = 13;
export const GRPC_UNAVAILABLE = 14;

function writable(stream: ServerHttp2Stream): boolean {
  return !stream.destroyed && !stream.closed && !stream.headersSent;
}

/** Trailers for a gRPC status (also the headers of a trailers-only answer, plus `:status`). */
export function grpcStatusTrailers(code: number, details: string): Record<string, string> {
  return { 'grpc-status': String(code), 'grpc-message': encodeGrpcMessage(details) };
}

/** A trailers-only gRPC answer: HTTP 200, no message, the status in the only HEADERS frame. */
export function respondGrpcStatus(stream: ServerHttp2Stream, code: number, details: string): void {
  if (!writable(stream)) return;
  stream.respond({ ':status': 200, 'content-type': 'application/grpc', ...grpcStatusTrailers(code, details) }, { endStream: true });
}

/**
 * An HTTP-level answer without any gRPC status, empty body: what a load
 * balancer in front of the engines sends (456 wrong deployment, 503 suspended).
 * grpc-js reports it as `Received HTTP status code <status>`.
 */
export function respondHttpStatus(stream: ServerHttp2Stream, status: number): void {
  if (!writable(stream)) return;
  stream.respond({ ':status': status }, { endStream: true });
}

/** A successful unary answer: one framed message, then trailers with status 0. */
export function respondMessage(stream: ServerHttp2Stream, message: Buffer): void {
  if (!writable(stream)) return;
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.once('wantTrailers', () => stream.sendTrailers(grpcStatusTrailers(GRPC_OK, '')));
  stream.end(encodeGrpcFrame(message));
}
