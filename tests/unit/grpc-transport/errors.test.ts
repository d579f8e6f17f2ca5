import { inspect } from 'node:util';
// The package's error family: TransportError.from builds the subclass the
// failure calls for, keeps the cause, and never lets a password into a message.
import {
  AccessDeniedError,
  CallAbortedError,
  ClientClosedError,
  ClusterSuspendedError,
  DeadlineExceededError,
  InvalidOptionError,
  RetryExhaustedError,
  StrategyMismatchError,
  TransportError,
  UnavailableError,
  grpc,
} from '@e6data-ts/grpc-transport';

const { status } = grpc;

function grpcError(code: grpc.status, details: string, metadata = new grpc.Metadata()): Error {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

describe('TransportError.from', () => {
  it.each([
    [grpcError(status.UNKNOWN, 'Received HTTP status code 456'), StrategyMismatchError, 'STRATEGY_MISMATCH'],
    [grpcError(status.INTERNAL, 'Access denied'), AccessDeniedError, 'ACCESS_DENIED'],
    [grpcError(status.UNAVAILABLE, 'Received HTTP status code 503'), ClusterSuspendedError, 'CLUSTER_SUSPENDED'],
    [grpcError(status.UNAVAILABLE, 'Connection dropped'), UnavailableError, 'UNAVAILABLE'],
    [grpcError(status.DEADLINE_EXCEEDED, 'Deadline exceeded'), DeadlineExceededError, 'DEADLINE_EXCEEDED'],
    [new DOMException('aborted', 'AbortError'), CallAbortedError, 'ABORTED'],
    [grpcError(status.INVALID_ARGUMENT, 'bad SQL'), TransportError, 'CALL_FAILED'],
  ])('%p becomes the matching subclass', (raw, type, code) => {
    const err = TransportError.from(raw);
    expect(err).toBeInstanceOf(type);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect(err.name).toBe(type.name);
    expect(err.cause).toBe(raw);
  });

  it('returns a TransportError unchanged', () => {
    const original = new UnavailableError('x', { code: 'UNAVAILABLE', kind: 'transient' });
    expect(TransportError.from(original)).toBe(original);
  });

  it('carries the gRPC code, its name, the details, the HTTP status, the trailers and the method', () => {
    const trailers = new grpc.Metadata();
    trailers.set('x-engine', 'blue-1');
    const err = TransportError.from(grpcError(status.UNKNOWN, 'Received HTTP status code 456', trailers), { method: 'prepareStatementV2' });
    expect(err).toMatchObject({
      grpcCode: status.UNKNOWN,
      grpcStatusName: 'UNKNOWN',
      details: 'Received HTTP status code 456',
      httpStatus: 456,
      method: 'prepareStatementV2',
      kind: 'strategy-mismatch',
      ambiguous: false,
    });
    expect(err.metadata?.get('x-engine')).toEqual(['blue-1']);
    expect(err.message).toBe(
      'prepareStatementV2: strategy mismatch: the cluster answered HTTP 456, the requested deployment does not take this call [UNKNOWN (2): Received HTTP status code 456]',
    );
  });

  it('names the problem for each kind', () => {
    expect(TransportError.from(grpcError(status.INTERNAL, 'Access denied')).message).toMatch(/^access denied: the engine does not know the session/);
    expect(TransportError.from(grpcError(status.UNAVAILABLE, 'Received HTTP status code 503')).message).toMatch(/^cluster suspended/);
    expect(TransportError.from(grpcError(status.UNAVAILABLE, 'Connection dropped')).message).toBe('engine unavailable [UNAVAILABLE (14): Connection dropped]');
    expect(TransportError.from(grpcError(status.DEADLINE_EXCEEDED, 'Deadline exceeded')).message).toMatch(/^deadline exceeded/);
    expect(TransportError.from(new Error('boom')).message).toBe('call failed [boom]');
    expect(TransportError.from(undefined).message).toBe('call failed');
  });

  it('has no grpcCode or status name for a failure without one', () => {
    const err = TransportError.from(new Error('boom'));
    expect(err.grpcCode).toBeUndefined();
    expect(err.grpcStatusName).toBeUndefined();
    expect(err.metadata).toBeUndefined();
  });

  it('ignores a metadata field that is not gRPC metadata', () => {
    expect(TransportError.from({ code: status.INTERNAL, details: 'x', metadata: { not: 'metadata' } }).metadata).toBeUndefined();
  });

  it('never lets a password or token into the message or details, even when the server echoes it', () => {
    const password = 'e6-mock-token';
    const raw = grpcError(status.INTERNAL, `Access denied for user admin with token ${password} (token=${password})`);
    const err = TransportError.from(raw, { method: 'authenticate', secrets: [password, undefined, ''] });
    expect(err.message).not.toContain(password);
    expect(err.details).not.toContain(password);
    expect(err.details).toBe('Access denied for user admin with token *** (token=***)');
    // The kind is read from the unmasked details.
    expect(err.kind).toBe('access-denied');
  });

  it('masks an echoed secret in the kept cause too (loggers and util.inspect print causes), keeping its code', () => {
    const password = 'e6-mock-token';
    const raw = grpcError(status.INTERNAL, `Access denied: bad token ${password}`);
    const err = TransportError.from(raw, { method: 'authenticate', secrets: [password] });
    expect(inspect(err, { depth: 5 })).not.toContain(password);
    expect(err.cause).toMatchObject({ code: status.INTERNAL, details: 'Access denied: bad token ***' });
    // A cause without the secret is kept as it is.
    const clean = grpcError(status.UNAVAILABLE, 'connection dropped');
    expect(TransportError.from(clean, { secrets: [password] }).cause).toBe(clean);
  });
});

describe('CallAbortedError', () => {
  it('keeps the reason exactly and says why', () => {
    const reason = new Error('user pressed stop');
    const err = new CallAbortedError(reason, { method: 'executeStatementV2' });
    expect(err.reason).toBe(reason);
    expect(err.cause).toBe(reason);
    expect(err.message).toBe('executeStatementV2: aborted (user pressed stop)');
    expect(err).toMatchObject({ code: 'ABORTED', kind: 'fatal', name: 'CallAbortedError' });
  });

  it.each([
    ['a string reason', 'shutdown', 'aborted (shutdown)'],
    ['no reason', undefined, 'aborted'],
    ['an Error without a message', new Error(''), 'aborted'],
    ['a non-Error object', { why: 'x' }, 'aborted'],
  ])('with %s', (_what, reason, message) => {
    expect(new CallAbortedError(reason).message).toBe(message);
  });

  it('is what TransportError.from makes of an AbortError, with the method named', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    const err = TransportError.from(abort, { method: 'status' });
    expect(err).toBeInstanceOf(CallAbortedError);
    expect((err as CallAbortedError).reason).toBe(abort);
    expect(err.message).toBe('status: aborted (This operation was aborted)');
  });
});

describe('RetryExhaustedError', () => {
  const first = { attempt: 1, error: grpcError(status.UNKNOWN, 'Received HTTP status code 456'), kind: 'strategy-mismatch' as const, delayMs: 0 };
  const second = { attempt: 2, error: grpcError(status.UNAVAILABLE, 'Connection dropped'), kind: 'transient' as const, delayMs: 120 };

  it('carries every attempt, the last error as cause, and is fatal', () => {
    const err = new RetryExhaustedError('attempts', [first, second], 1234.4);
    expect(err.attempts).toEqual([first, second]);
    expect(err.lastError).toBe(second.error);
    expect(err.cause).toBe(second.error);
    expect(err).toMatchObject({ code: 'RETRY_EXHAUSTED', kind: 'fatal', reason: 'attempts', elapsedMs: 1234.4, name: 'RetryExhaustedError' });
    expect(err.ambiguous).toBe(true);
    expect(err.message).toBe('gave up after 2 attempts in 1234 ms; last failure (transient): engine unavailable [UNAVAILABLE (14): Connection dropped]');
    expect(Object.isFrozen(err.attempts)).toBe(true);
  });

  it('says when the budget ended it, and is unambiguous when no attempt reached an engine', () => {
    const err = new RetryExhaustedError('budget', [first], 10);
    expect(err.message).toMatch(/^gave up when the time budget ran out after 1 attempts in 10 ms; last failure \(strategy-mismatch\)/);
    expect(err.ambiguous).toBe(false);
  });

  it('copes with no attempts', () => {
    const err = new RetryExhaustedError('budget', [], 0);
    expect(err.lastError).toBeUndefined();
    expect(err.message).toBe('gave up when the time budget ran out after 0 attempts in 0 ms');
  });
});

describe('client errors', () => {
  it('InvalidOptionError names the option and is fatal', () => {
    const cause = new Error('x');
    const err = new InvalidOptionError('keepaliveMs', 'keepaliveMs must be positive', { cause });
    expect(err).toMatchObject({ option: 'keepaliveMs', code: 'INVALID_OPTION', kind: 'fatal', ambiguous: false, cause, name: 'InvalidOptionError' });
    expect(err).toBeInstanceOf(TransportError);
  });

  it('ClientClosedError names the method and the target', () => {
    const err = new ClientClosedError('status', '127.0.0.1:80');
    expect(err.message).toBe('status: the client for 127.0.0.1:80 is closed');
    expect(err).toMatchObject({ code: 'CLIENT_CLOSED', kind: 'fatal', method: 'status' });
  });
});
