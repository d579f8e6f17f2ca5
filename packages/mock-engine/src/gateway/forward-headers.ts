import { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';

// Connection-specific headers are illegal in HTTP/2 (node:http2 throws on
// them) and describe one hop only; pseudo-headers are set per hop by http2.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
  'http2-settings',
]);

/** Headers worth copying from one hop to the next, without pseudo-headers or hop-by-hop ones. */
export function copyEndToEndHeaders(headers: IncomingHttpHeaders, drop: ReadonlySet<string> = new Set()): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':') || HOP_BY_HOP.has(name) || drop.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** One header as a single string: the first value when repeated, undefined when absent. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
