// The grpc-message trailer is percent-encoded (gRPC over HTTP/2 spec): bytes
// outside printable ASCII, and '%' itself, become %XX of their UTF-8 bytes.
// Clients decode it with decodeURI, which leaves %3A and friends alone, so
// encoding more than the spec asks (as encodeURIComponent would) garbles text.

export function encodeGrpcMessage(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
