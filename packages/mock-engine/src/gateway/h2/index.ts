// The gateway's HTTP/2 layer: just enough of RFC 9113 (frames, streams, flow
// control, SETTINGS, PING, GOAWAY) and RFC 7541 (HPACK) to relay gRPC calls
// frame by frame, with far less work per stream than node:http2. The gateway
// (../gateway-server.ts, ../relay-call.ts) is its only user; the exports are
// public so tests can drive each part on its own.
export { Http2Connection, CONNECTION_LIMITS, type ByteTransport, type ConnectionLimits, type ConnectionRole, type Http2ConnectionOptions } from './connection';
export { Http2Stream, type StreamEvents, type PendingWrite } from './stream';
export { HpackDecoder, readInteger, type DecodedBlock, type RawHeaders } from './hpack-decoder';
export { encodeHeaderBlock, encodeTableSizeUpdate } from './hpack-encoder';
export { checkRequestHeaders, trailersProblem, type RequestCheck } from './request-validation';
export { decodeHuffman, HUFFMAN_CODES } from './hpack-huffman';
export { STATIC_TABLE } from './hpack-static-table';
export { FrameReader, type Frame } from './frame-reader';
export {
  frameHeader,
  dataFrameHeader,
  headersFrames,
  settingsFrame,
  SETTINGS_ACK,
  pingAckFrame,
  windowUpdateFrame,
  rstStreamFrame,
  goawayFrame,
} from './frame-builders';
export { Http2ProtocolError } from './protocol-error';
export * from './constants';
