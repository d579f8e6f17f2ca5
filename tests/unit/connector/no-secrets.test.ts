// No password, token or bound parameter value in any event, log line,
// diagnostics message or error: one run through every recovery path with
// everything captured, then the whole capture scanned.
import diagnosticsChannel from 'node:diagnostics_channel';
import { E6DataError, EVENT_CHANNELS, ParameterError, TRACE_CHANNELS } from '@e6data-ts/connector';
import { TransportError } from '@e6data-ts/grpc-transport';
import { announcing, fail, failures, grpcFailure } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

const PASSWORD = 'pw-Z9-very-secret';
const PARAMETERS = ['param-value-7731', 'named-value-5519'];

/**
 * Everything an error shows: its own fields, message and stack, and those of
 * the project's errors in its cause chain. The chain stops at the raw failure
 * the wire client wrapped: that one is what the server sent, kept as it came.
 */
function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; isProjectError(current) && depth < 5; depth++) {
    parts.push(current.message, String(current.stack), JSON.stringify(current, jsonSafe));
    current = current.cause;
  }
  return parts.join('\n');
}

function isProjectError(err: unknown): err is Error {
  return err instanceof E6DataError || err instanceof ParameterError || err instanceof TransportError;
}

function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

describe('no secret or bound value in what the connector tells anyone', () => {
  const env = useTestEnvironment({ random: () => 0, config: { password: PASSWORD } });

  test('events, log lines (debug included), diagnostics messages and errors of every kind', async () => {
    const { engine } = env();
    const captured: unknown[] = [];
    const handlers: [string, (message: unknown) => void][] = [];
    const names = [...Object.values(TRACE_CHANNELS).flatMap((n) => ['start', 'end', 'asyncStart', 'asyncEnd', 'error'].map((e) => `tracing:${n}:${e}`)), ...Object.values(EVENT_CHANNELS)];
    for (const name of names) {
      const handler = (message: unknown): void => void captured.push({ name, message: { ...(message as object) } });
      diagnosticsChannel.subscribe(name, handler);
      handlers.push([name, handler]);
    }
    const errors: unknown[] = [];
    const failed: string[] = [];
    const attempt = async (work: () => Promise<unknown>, label = 'other'): Promise<void> => {
      try {
        await work();
      } catch (err) {
        errors.push(err);
        failed.push(label);
      }
    };
    try {
      const connection = await env().connect({ cluster: 'main', rerunOnLoss: true, retry: { maxAttempts: 4 }, cutoverHoldMs: 50 });
      for (const event of ['detect', 'strategyChange', 'retry', 'queryLost'] as const) {
        connection.on(event, (payload: unknown) => captured.push({ event, payload }));
      }
      const sql = 'SELECT * FROM t WHERE a = ? AND b = ?';
      const named = 'SELECT * FROM t WHERE a = :a AND b = :b';
      const params = { a: PARAMETERS[0], b: PARAMETERS[1] };

      await connection.query(sql, PARAMETERS);
      // Access denied, transient failures, a 503 and resume, a 456 and re-detection, announcements (valid and not).
      engine.expireSessions();
      engine.on('prepareStatementV2', fail(failures.notSent));
      await connection.query(named, params);
      engine.clusterStatus = 'suspended';
      engine.on('getNextResultBatch', announcing('purple'));
      await connection.query(sql, PARAMETERS);
      engine.goLive('green');
      engine.on('prepareStatementV2', announcing('blue'), { strategy: 'green' });
      await attempt(() => connection.query(named, params));
      // A lost query re-run, a lost INSERT, an ambiguous execute, an engine error, a hold that expires.
      engine.on('getNextResultBatch', fail(failures.strategyMismatch));
      await attempt(() => connection.query(sql, PARAMETERS));
      engine.on('getNextResultBatch', fail(failures.strategyMismatch));
      await attempt(() => connection.query('INSERT INTO t VALUES (?, ?)', PARAMETERS), 'lost insert');
      engine.on('executeStatementV2', fail(failures.dropped));
      await attempt(() => connection.query(named, params), 'ambiguous execute');
      engine.on('executeStatementV2', fail(() => grpcFailure(3, 'cannot compare a with b')));
      await attempt(() => connection.query(sql, PARAMETERS), 'engine error');
      engine.takesNewWork.clear();
      await attempt(() => connection.query(sql, PARAMETERS), 'cutover hold');
      // Bad credentials on a second connection, with the server echoing the password back.
      engine.goLive('blue');
      engine.on('authenticate', fail(() => grpcFailure(16, `invalid password ${PASSWORD}`)));
      await attempt(() => env().connect(), 'bad credentials');
      // A parameter of a type that cannot be bound.
      await attempt(() => connection.query(sql, [PARAMETERS[0], Symbol(PARAMETERS[1])]), 'unbindable parameter');
    } finally {
      for (const [name, handler] of handlers) diagnosticsChannel.unsubscribe(name, handler);
    }

    // Every failing path above was taken (named, so a miss says which).
    expect(failed).toEqual(expect.arrayContaining(['lost insert', 'ambiguous execute', 'engine error', 'cutover hold', 'bad credentials', 'unbindable parameter']));
    expect(captured.some((c) => (c as { event?: string }).event === 'queryLost')).toBe(true);
    expect(env().logs.some((l) => l.level === 'warn')).toBe(true);
    expect(env().engine.callsOf('cluster.resume')).toHaveLength(1);
    // The parameters did reach the engine (so they were there to leak).
    expect(env().engine.callsOf('prepareStatementV2').some((c) => String(c.request.queryString).includes(PARAMETERS[0]!))).toBe(true);

    const text = [JSON.stringify(captured, jsonSafe), JSON.stringify(env().logs, jsonSafe), ...errors.map(describeError)].join('\n');
    for (const secret of [PASSWORD, ...PARAMETERS]) expect(text).not.toContain(secret);
  });
});
