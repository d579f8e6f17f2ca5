import { type RawHeaders } from './h2';

// Connection-specific headers are illegal in HTTP/2 and describe one hop only;
// pseudo-headers are set per hop.
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
  'http2-settings',
]);

const NOTHING: ReadonlySet<string> = new Set();

/** Appends to `out` the headers worth copying to the next hop: no pseudo-headers, no hop-by-hop ones, none named in `drop`. */
export function appendEndToEndHeaders(headers: RawHeaders, out: RawHeaders, drop: ReadonlySet<string> = NOTHING): RawHeaders {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i]!;
    if (name.charCodeAt(0) === 0x3a || HOP_BY_HOP.has(name) || drop.has(name)) continue;
    out.push(name, headers[i + 1]!);
  }
  return out;
}

/** The first value of header `name`; undefined when absent. */
export function headerValue(headers: RawHeaders, name: string): string | undefined {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (headers[i] === name) return headers[i + 1];
  }
  return undefined;
}

/** The gRPC status a header block carries (trailers, or a trailers-only answer); null when absent or not a number. */
export function grpcStatusOf(headers: RawHeaders): number | null {
  const raw = headerValue(headers, 'grpc-status');
  const status = Number(raw);
  return raw === undefined || raw === '' || !Number.isInteger(status) ? null : status;
}
