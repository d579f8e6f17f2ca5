// The package's error hierarchy: MockClusterError is the one base, with the
// cluster's own errors and EngineError (and its subclasses) under it by origin.
// Codes, messages, names and gRPC statuses are part of the public contract.
import * as transport from '@e6data-ts/grpc-transport';
import * as strategyCore from '@e6data-ts/strategy-core';
import * as mockEngine from '@e6data-ts/mock-engine';
import {
  SessionAccessDeniedError,
  AdminRequestError,
  EngineError,
  InvalidMockOptionError,
  MockClusterError,
  QueryNotFoundError,
  SqlError,
  type EngineErrorCode,
} from '@e6data-ts/mock-engine';

describe('error hierarchy', () => {
  const engineErrors: Array<[string, EngineError]> = [
    ['EngineError', new EngineError('QUERY_STATE', 'execute: the query was already executed')],
    ['SessionAccessDeniedError', new SessionAccessDeniedError('unknown-session')],
    ['QueryNotFoundError', new QueryNotFoundError('q1', 'blue')],
    ['SqlError', new SqlError('Parser Error: syntax error at or near "SELEC"')],
  ];
  const clusterErrors: Array<[string, MockClusterError]> = [
    ['MockClusterError', new MockClusterError('DEPLOYMENT_IN_PROGRESS', 'deployment #1 (blue -> green) is still running')],
    ['InvalidMockOptionError', new InvalidMockOptionError('announceMs', 'must be a whole number of milliseconds')],
    ['AdminRequestError', new AdminRequestError('ADMIN_TIMEOUT', 'admin API did not answer GET /state within 50 ms')],
  ];

  it.each(engineErrors)('%s is an EngineError, a MockClusterError and an Error, and keeps its own name', (name, error) => {
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toBeInstanceOf(MockClusterError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.constructor.name).toBe(name);
  });

  it.each(clusterErrors)('%s is a MockClusterError but no EngineError', (name, error) => {
    expect(error).toBeInstanceOf(MockClusterError);
    expect(error).not.toBeInstanceOf(EngineError);
    expect(error.name).toBe(name);
  });

  it('keeps codes and messages of the engine subclasses', () => {
    expect(new SessionAccessDeniedError('expired-session')).toMatchObject({
      code: 'ACCESS_DENIED',
      reason: 'expired-session',
      message: 'Access denied: session expired; authenticate again',
    });
    expect(new SessionAccessDeniedError('unknown-session').message).toBe('Access denied: unknown session; authenticate again');
    expect(new QueryNotFoundError('q7', 'green', 'it was cleared')).toMatchObject({
      code: 'QUERY_NOT_FOUND',
      queryId: 'q7',
      message: 'query q7 not found on deployment green (it was cleared)',
    });
    expect(new QueryNotFoundError('q7', 'green').message).toBe('query q7 not found on deployment green');
    expect(new SqlError('Binder Error: nope')).toMatchObject({ code: 'SQL_ERROR', message: 'Binder Error: nope' });
  });

  it('keeps codes, fields and causes of the cluster subclasses', () => {
    const cause = new Error('socket hang up');
    expect(new InvalidMockOptionError('to', "must be 'blue' or 'green'", { cause })).toMatchObject({
      code: 'INVALID_OPTION',
      field: 'to',
      message: "to: must be 'blue' or 'green'",
      cause,
    });
    expect(new AdminRequestError('ADMIN_HTTP', 'refused', { status: 409, cause })).toMatchObject({ code: 'ADMIN_HTTP', status: 409, cause });
    expect(new AdminRequestError('ADMIN_UNREACHABLE', 'unreachable').status).toBeUndefined();
  });
});

describe('EngineError.grpcStatus', () => {
  // Real clusters answer an unknown or expired session with INTERNAL; clients key their re-login on it.
  const codesByStatus = [
    ['INTERNAL', ['ACCESS_DENIED', 'INIT_SQL_FAILED', 'INTERNAL']],
    ['UNAUTHENTICATED', ['AUTHENTICATION_FAILED']],
    ['NOT_FOUND', ['QUERY_NOT_FOUND', 'TABLE_NOT_FOUND']],
    ['INVALID_ARGUMENT', ['SQL_ERROR', 'INVALID_PARAMETER', 'INVALID_OPTION']],
    ['FAILED_PRECONDITION', ['QUERY_STATE']],
    ['CANCELLED', ['QUERY_CANCELLED']],
    ['OUT_OF_RANGE', ['VALUE_OUT_OF_RANGE']],
    ['UNAVAILABLE', ['CLOSED']],
  ] as const satisfies ReadonlyArray<readonly [keyof typeof transport.grpc.status, readonly EngineErrorCode[]]>;
  // Compile-time exhaustiveness: a code missing from the table above makes this assignment fail to typecheck.
  type Unlisted = Exclude<EngineErrorCode, (typeof codesByStatus)[number][1][number]>;
  const everyCodeListed: [Unlisted] extends [never] ? true : Unlisted = true;

  it.each(codesByStatus)('%s is the status of %j', (status, codes) => {
    for (const code of codes) expect([code, new EngineError(code, 'x').grpcStatus]).toEqual([code, transport.grpc.status[status]]);
  });

  it('lists every engine code once', () => {
    const codes = codesByStatus.flatMap(([, list]) => list);
    expect(everyCodeListed).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('is the same for the subclasses as for their code', () => {
    expect(new SessionAccessDeniedError('unknown-session').grpcStatus).toBe(transport.grpc.status.INTERNAL);
    expect(new QueryNotFoundError('q', 'blue').grpcStatus).toBe(transport.grpc.status.NOT_FOUND);
    expect(new SqlError('x').grpcStatus).toBe(transport.grpc.status.INVALID_ARGUMENT);
  });
});

describe('from(unknown)', () => {
  it('MockClusterError.from keeps any error of the package, an engine error included', () => {
    const engine = new SessionAccessDeniedError('expired-session');
    const cluster = new InvalidMockOptionError('mode', 'bad');
    expect(MockClusterError.from(engine)).toBe(engine);
    expect(MockClusterError.from(cluster)).toBe(cluster);
  });

  it('MockClusterError.from wraps anything else as UNKNOWN, keeping the cause', () => {
    const cause = new TypeError('boom');
    const wrapped = MockClusterError.from(cause);
    expect(wrapped).toBeInstanceOf(MockClusterError);
    expect(wrapped).not.toBeInstanceOf(EngineError);
    expect(wrapped).toMatchObject({ name: 'MockClusterError', code: 'UNKNOWN', message: 'boom', cause });
    expect(MockClusterError.from(42)).toMatchObject({ code: 'UNKNOWN', message: 'unexpected failure: 42', cause: 42 });
  });

  it('EngineError.from keeps an engine error and wraps everything else, cluster errors included, as INTERNAL', () => {
    const sql = new SqlError('Catalog Error: no such table');
    expect(EngineError.from(sql)).toBe(sql);

    const cluster = new MockClusterError('CLOSED', 'the deployment controller is closed');
    const fromCluster = EngineError.from(cluster);
    expect(fromCluster).toBeInstanceOf(EngineError);
    expect(fromCluster).toMatchObject({ code: 'INTERNAL', message: 'internal engine error: the deployment controller is closed', cause: cluster });
    expect(fromCluster.grpcStatus).toBe(transport.grpc.status.INTERNAL);

    // DuckDB's native errors may come from another realm: only their message property is read.
    expect(EngineError.from({ message: 'IO Error: disk full' }).message).toBe('internal engine error: IO Error: disk full');
    expect(EngineError.from('plain text').message).toBe('internal engine error: plain text');
  });

  it('SqlError.fromDuckDB keeps DuckDB\'s message and the original as the cause', () => {
    const duckdb = { message: 'Parser Error: syntax error at end of input' };
    expect(SqlError.fromDuckDB(duckdb)).toMatchObject({ name: 'SqlError', code: 'SQL_ERROR', message: duckdb.message, cause: duckdb });
    expect(SqlError.fromDuckDB(duckdb)).toBeInstanceOf(MockClusterError);
  });
});

describe('one class per concept across the packages', () => {
  it('names the mock cluster\'s errors apart from the transport\'s, so instanceof cannot mislead', () => {
    const option = new InvalidMockOptionError('--port', 'must be a port');
    const session = new SessionAccessDeniedError('unknown-session');
    expect(option).not.toBeInstanceOf(transport.InvalidOptionError);
    expect(session).not.toBeInstanceOf(transport.AccessDeniedError);
    const door = Object.keys(mockEngine);
    expect(door).not.toContain('InvalidOptionError');
    expect(door).not.toContain('AccessDeniedError');
  });

  it('reads time through strategy-core\'s one clock', () => {
    expect(mockEngine.systemClock).toBe(strategyCore.systemClock);
  });

  it('keeps one set of default users', () => {
    expect(Object.keys(mockEngine)).not.toContain('DEFAULT_CLUSTER_USERS');
    expect(mockEngine.DEFAULT_USERS).toEqual([{ user: 'admin@e6data.local', token: 'e6-mock-token' }]);
  });
});
