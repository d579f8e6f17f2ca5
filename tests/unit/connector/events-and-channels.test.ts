// Observability: the connection's events carry the right payloads, and the
// node:diagnostics_channel channels publish only while someone subscribes.
import diagnosticsChannel from 'node:diagnostics_channel';
import { EVENT_CHANNELS, TRACE_CHANNELS, type DetectEvent, type QueryLostEvent, type RetryEvent, type StrategyChangeEvent } from '@e6data-ts/connector';
import { announcing, fail, failures } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('events', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('detect and strategyChange on a re-detection; retry for the prepare that hit the 456', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const detect: DetectEvent[] = [];
    const changes: StrategyChangeEvent[] = [];
    const retries: RetryEvent[] = [];
    connection.on('detect', (e) => detect.push(e));
    connection.on('strategyChange', (e) => changes.push(e));
    connection.on('retry', (e) => retries.push(e));
    engine.goLive('green');
    await connection.query('SELECT 1');

    expect(detect).toEqual([{ strategy: 'green', attempts: 2, durationMs: expect.any(Number) }]);
    expect(detect[0]!.durationMs).toBeGreaterThanOrEqual(0);
    const endpoint = connection.endpoint;
    expect(changes).toEqual([
      { endpoint, from: 'blue', to: null, pending: null, reason: 'cleared', at: expect.any(Number) },
      { endpoint, from: null, to: 'green', pending: null, reason: 'set', at: expect.any(Number) },
    ]);
    expect(retries).toEqual([{ method: 'prepareStatementV2', reason: 'strategy-mismatch', attempt: 1, delayMs: 0 }]);
    expect(connection.stats()).toMatchObject({ detections: 2, switches: 1, queries: 1, retries: { 'strategy-mismatch': 1 } });
  });

  test('strategyChange for an announcement and its promotion by drain', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const changes: string[] = [];
    connection.on('strategyChange', (e) => changes.push(`${e.reason} ${String(e.from)}->${String(e.to)} pending=${String(e.pending)}`));
    engine.takesNewWork.add('green');
    engine.on('prepareStatementV2', announcing('green'));
    await connection.query('SELECT 1');
    expect(changes).toEqual(['pending-set blue->blue pending=green', 'drained blue->green pending=null']);
    expect(connection.stats().switches).toBe(1);
  });

  test('queryLost with the query, its strategy, rows handed out and whether it was re-run', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const lost: QueryLostEvent[] = [];
    connection.on('queryLost', (e) => lost.push(e));
    engine.on('getNextResultBatch', fail(failures.strategyMismatch));
    const queryId = await connection.query('SELECT 1').catch((err: { queryId: string }) => err.queryId);
    expect(lost).toEqual([{ queryId, strategy: 'blue', rowsHandedOut: 0, rerun: false }]);
  });

  test('off() stops a listener', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const seen: RetryEvent[] = [];
    const listener = (e: RetryEvent): void => void seen.push(e);
    connection.on('retry', listener);
    connection.off('retry', listener);
    engine.on('getSchemaNamesV2', fail(failures.notSent));
    await connection.getSchemaNames();
    expect(seen).toEqual([]);
    expect(connection.stats().retries.transient).toBe(1);
  });
});

describe('diagnostics channels', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('publish nothing while nobody subscribes', async () => {
    const { engine } = env();
    const publishers = [
      ...Object.values(TRACE_CHANNELS).flatMap((name) => ['start', 'end', 'asyncStart', 'asyncEnd', 'error'].map((event) => diagnosticsChannel.channel(`tracing:${name}:${event}`))),
      ...Object.values(EVENT_CHANNELS).map((name) => diagnosticsChannel.channel(name)),
    ];
    const spies = publishers.flatMap((channel) => [jest.spyOn(channel, 'publish'), jest.spyOn(channel, 'runStores')]);
    try {
      const connection = await env().connect();
      engine.on('getSchemaNamesV2', fail(failures.notSent));
      engine.on('prepareStatementV2', announcing('green'));
      engine.takesNewWork.add('green');
      await connection.getSchemaNames();
      await connection.query('SELECT 1');
      expect(connection.stats().retries.transient).toBe(1);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  test('while subscribed: connect, query and fetch traces, retry and strategy-change messages', async () => {
    const { engine } = env();
    const seen: { channel: string; message: Record<string, unknown> }[] = [];
    const handlers: [string, (message: unknown) => void][] = [];
    const listen = (name: string): void => {
      const handler = (message: unknown): void => void seen.push({ channel: name, message: { ...(message as Record<string, unknown>) } });
      diagnosticsChannel.subscribe(name, handler);
      handlers.push([name, handler]);
    };
    for (const name of Object.values(TRACE_CHANNELS)) for (const event of ['start', 'asyncEnd', 'error']) listen(`tracing:${name}:${event}`);
    for (const name of Object.values(EVENT_CHANNELS)) listen(name);
    try {
      const connection = await env().connect({ cluster: 'main' });
      engine.on('getSchemaNamesV2', fail(failures.notSent));
      await connection.getSchemaNames();
      engine.takesNewWork.add('green');
      engine.on('prepareStatementV2', announcing('green'));
      const result = await connection.query('SELECT 1');

      const on = (channel: string): Record<string, unknown>[] => seen.filter((s) => s.channel === channel).map((s) => s.message);
      expect(on('tracing:e6data:connect:start')).toEqual([{ host: 'localhost', port: 50052, cluster: 'main' }]);
      expect(on('tracing:e6data:connect:asyncEnd')).toHaveLength(1);
      expect(on('tracing:e6data:query:start')).toEqual([{ sql: 'SELECT 1', catalog: '', database: '' }]);
      expect(on('tracing:e6data:query:asyncEnd')[0]).toMatchObject({ sql: 'SELECT 1', result: result.queryId });
      expect(on('tracing:e6data:fetch:start').length).toBeGreaterThan(0);
      expect(on('tracing:e6data:fetch:start')[0]).toEqual({ queryId: result.queryId });
      expect(on('e6data:retry')).toEqual([{ endpoint: connection.endpoint, method: 'getSchemaNamesV2', reason: 'transient', attempt: 1, delayMs: 0 }]);
      // The channel also saw connect's detection, which happens before a caller can add a listener.
      expect(on('e6data:strategy:change').map((m) => m.reason)).toEqual(['set', 'pending-set', 'drained']);
      expect(on('tracing:e6data:query:error')).toEqual([]);
    } finally {
      for (const [name, handler] of handlers) diagnosticsChannel.unsubscribe(name, handler);
    }
  });

  test('a failed query publishes on the error channel', async () => {
    const { engine } = env();
    const errors: unknown[] = [];
    const handler = (message: unknown): void => void errors.push((message as { error: unknown }).error);
    diagnosticsChannel.subscribe('tracing:e6data:query:error', handler);
    try {
      const connection = await env().connect();
      engine.on('executeStatementV2', fail(failures.dropped));
      const err = await connection.query('SELECT 1').catch((e: unknown) => e);
      expect(errors).toEqual([err]);
    } finally {
      diagnosticsChannel.unsubscribe('tracing:e6data:query:error', handler);
    }
  });
});
