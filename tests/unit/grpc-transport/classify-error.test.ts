// docs/wire.md section 4, table-driven with the exact strings each client produces.
import {
  CallAbortedError,
  ERROR_KINDS,
  RetryExhaustedError,
  TransportError,
  classifyError,
  grpc,
  httpStatusIn,
  type ErrorKind,
} from '@e6data-ts/grpc-transport';

const { status } = grpc;

/** A failure shaped like grpc-js's ServiceError. */
function grpcError(code: grpc.status, details: string): Error {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new grpc.Metadata() });
}

/** A failure shaped like grpcio's RpcError as the reference client reads it (status name and details). */
function grpcioError(code: keyof typeof status, details: string): object {
  return { code, details };
}

/** A Node system error. */
function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

interface Row {
  what: string;
  err: unknown;
  kind: ErrorKind;
  ambiguous?: boolean;
}

const ROWS: Row[] = [
  // ---- HTTP 456: the requested deployment does not take the call ----
  { what: 'grpc-js, HTTP 456', err: grpcError(status.UNKNOWN, 'Received HTTP status code 456'), kind: 'strategy-mismatch', ambiguous: false },
  { what: 'grpcio, HTTP 456', err: grpcioError('UNKNOWN', 'Received http2 header with status: 456'), kind: 'strategy-mismatch', ambiguous: false },
  {
    what: 'reference mock, INVALID_ARGUMENT',
    err: grpcError(status.INVALID_ARGUMENT, 'Wrong strategy. Status: 456. Expected: blue, Got: green'),
    kind: 'strategy-mismatch',
    ambiguous: false,
  },
  { what: 'seed test form', err: { code: status.UNKNOWN, details: 'status: 456' }, kind: 'strategy-mismatch' },
  { what: 'upper case', err: grpcError(status.UNKNOWN, 'RECEIVED HTTP STATUS CODE 456'), kind: 'strategy-mismatch' },
  { what: 'lower case', err: grpcioError('UNKNOWN', 'received http2 header with status: 456'), kind: 'strategy-mismatch' },
  { what: 'any gRPC code', err: grpcError(status.INTERNAL, 'upstream said Status: 456'), kind: 'strategy-mismatch' },
  { what: 'HTTP 456 spelled as "HTTP/2 456"', err: grpcError(status.UNKNOWN, 'proxy answered HTTP/2 456'), kind: 'strategy-mismatch' },
  { what: 'no gRPC code, message only', err: new Error('Received HTTP status code 456'), kind: 'strategy-mismatch' },
  { what: 'a plain string', err: 'Received http2 header with status: 456', kind: 'strategy-mismatch' },
  // ---- 456 as part of something else is not a status ----
  { what: 'query id q4567', err: grpcError(status.UNKNOWN, 'query q4567 failed'), kind: 'fatal' },
  { what: 'status: 4567', err: grpcError(status.UNKNOWN, 'status: 4567'), kind: 'fatal' },
  { what: 'a bare 456', err: grpcError(status.INTERNAL, 'row 456 is malformed'), kind: 'fatal' },
  { what: 'session id with 456', err: grpcError(status.INVALID_ARGUMENT, 'session 456abc not valid'), kind: 'fatal' },
  // ---- Access denied ----
  { what: 'seed test form', err: { code: status.INTERNAL, details: 'Access denied' }, kind: 'access-denied', ambiguous: false },
  { what: 'grpc-js INTERNAL', err: grpcError(status.INTERNAL, 'Access denied: session expired'), kind: 'access-denied' },
  { what: 'grpcio INTERNAL, lower case', err: grpcioError('INTERNAL', 'access denied'), kind: 'access-denied' },
  { what: 'PERMISSION_DENIED on an object is not a lost session', err: grpcError(status.PERMISSION_DENIED, 'Access denied to table t'), kind: 'fatal' },
  // ---- HTTP 503: cluster suspended ----
  { what: 'grpc-js, HTTP 503', err: grpcError(status.UNAVAILABLE, 'Received HTTP status code 503'), kind: 'cluster-suspended', ambiguous: false },
  { what: 'grpcio, HTTP 503', err: grpcioError('UNAVAILABLE', 'Received http2 header with status: 503'), kind: 'cluster-suspended' },
  { what: 'status: 503 under another code', err: grpcError(status.UNKNOWN, 'status: 503'), kind: 'cluster-suspended' },
  // ---- transient, never sent ----
  {
    what: 'connection refused (grpc-js)',
    err: grpcError(status.UNAVAILABLE, 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:44421. Resolution note: '),
    kind: 'transient',
    ambiguous: false,
  },
  { what: 'no connection established', err: grpcError(status.UNAVAILABLE, 'No connection established'), kind: 'transient', ambiguous: false },
  { what: 'stream refused', err: grpcError(status.UNAVAILABLE, 'Stream refused by server'), kind: 'transient', ambiguous: false },
  { what: 'DNS failure', err: grpcError(status.UNAVAILABLE, 'Name resolution failed for target dns:nowhere:80'), kind: 'transient', ambiguous: false },
  { what: 'Node ECONNREFUSED', err: systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), kind: 'transient', ambiguous: false },
  { what: 'Node ENOTFOUND', err: systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere'), kind: 'transient', ambiguous: false },
  // ---- transient, may have run ----
  { what: 'connection dropped', err: grpcError(status.UNAVAILABLE, 'Connection dropped'), kind: 'transient', ambiguous: true },
  { what: 'plain UNAVAILABLE', err: grpcError(status.UNAVAILABLE, 'Service unavailable'), kind: 'transient', ambiguous: true },
  { what: 'grpcio UNAVAILABLE by name', err: grpcioError('UNAVAILABLE', 'Socket closed'), kind: 'transient', ambiguous: true },
  { what: 'HTTP 502 from a proxy', err: grpcError(status.UNAVAILABLE, 'Received HTTP status code 502'), kind: 'transient', ambiguous: true },
  { what: 'reset under INTERNAL', err: grpcError(status.INTERNAL, 'Received RST_STREAM with code 2 triggered by internal client error: read ECONNRESET'), kind: 'transient', ambiguous: true },
  { what: 'GOAWAY', err: grpcError(status.INTERNAL, 'Received GOAWAY with code 2'), kind: 'transient', ambiguous: true },
  { what: 'Node ECONNRESET', err: systemError('ECONNRESET', 'read ECONNRESET'), kind: 'transient', ambiguous: true },
  { what: 'Node EPIPE', err: systemError('EPIPE', 'write EPIPE'), kind: 'transient', ambiguous: true },
  {
    what: 'DEADLINE_EXCEEDED (the engine may still run it)',
    err: grpcError(status.DEADLINE_EXCEEDED, 'Deadline exceeded after 1.999s,LB pick: 0.002s,remote_addr=127.0.0.1:46261'),
    kind: 'transient',
    ambiguous: true,
  },
  // ---- fatal ----
  { what: 'our own abort', err: new CallAbortedError(new Error('user gave up')), kind: 'fatal' },
  { what: 'a DOMException AbortError', err: new DOMException('This operation was aborted', 'AbortError'), kind: 'fatal' },
  { what: 'a TimeoutError from AbortSignal.timeout', err: new DOMException('The operation timed out', 'TimeoutError'), kind: 'fatal' },
  { what: 'CANCELLED on client', err: grpcError(status.CANCELLED, 'Cancelled on client'), kind: 'fatal' },
  { what: 'CANCELLED even with a reset in its details', err: grpcError(status.CANCELLED, 'ECONNRESET'), kind: 'fatal' },
  { what: 'INVALID_ARGUMENT (bad SQL)', err: grpcError(status.INVALID_ARGUMENT, 'syntax error at or near "SELEC"'), kind: 'fatal' },
  { what: 'INTERNAL without access denied', err: grpcError(status.INTERNAL, 'planner crashed'), kind: 'fatal' },
  { what: 'UNIMPLEMENTED', err: grpcError(status.UNIMPLEMENTED, 'The server does not implement the method /QueryEngineService/x'), kind: 'fatal' },
  { what: 'RESOURCE_EXHAUSTED (message too large)', err: grpcError(status.RESOURCE_EXHAUSTED, 'Received message larger than max (10485765 vs 4194304)'), kind: 'fatal' },
  { what: 'a plain Error', err: new Error('boom'), kind: 'fatal' },
  { what: 'a plain object', err: { reason: 'no idea' }, kind: 'fatal' },
  { what: 'undefined', err: undefined, kind: 'fatal' },
  { what: 'null', err: null, kind: 'fatal' },
  { what: 'an unknown system code', err: systemError('EWHATEVER', 'strange'), kind: 'fatal' },
  { what: 'an out-of-range numeric code', err: { code: 99, details: 'weird' }, kind: 'fatal' },
];

describe('classifyError', () => {
  it.each(ROWS.map((row) => [row.kind, row.what, row]))('%s: %s', (_kind, _what, row) => {
    expect(classifyError(row.err)).toBe(row.kind);
    const typed = TransportError.from(row.err);
    expect(typed.kind).toBe(row.kind);
    if (row.ambiguous !== undefined) expect(typed.ambiguous).toBe(row.ambiguous);
  });

  it('covers every kind', () => {
    expect(new Set(ROWS.map((row) => row.kind))).toEqual(new Set(ERROR_KINDS));
  });

  it('keeps the kind a TransportError was built with', () => {
    const exhausted = new RetryExhaustedError('attempts', [{ attempt: 1, error: grpcError(status.UNKNOWN, 'Received HTTP status code 456'), kind: 'strategy-mismatch', delayMs: 0 }], 5);
    expect(classifyError(exhausted)).toBe('fatal');
    const custom = new TransportError('made by hand', { code: 'UNAVAILABLE', kind: 'transient' });
    expect(classifyError(custom)).toBe('transient');
  });
});

describe('httpStatusIn', () => {
  it.each([
    ['Received HTTP status code 456', 456],
    ['Received http2 header with status: 456', 456],
    ['Wrong strategy. Status: 456. Expected: blue, Got: green', 456],
    ['status=503', 503],
    ['HTTP 502 Bad Gateway', 502],
    ['HTTP/1.1 404', 404],
    ['query q4567 failed', undefined],
    ['status: 4567', undefined],
    ['status: 999', undefined],
    ['status: 042', undefined],
    ['', undefined],
  ])('%p -> %p', (details, expected) => {
    expect(httpStatusIn(details)).toBe(expected);
  });
});
