// An abort signal or a timeout that fires while a query runs reaches the
// engine as cancelQuery, on the query's own deployment; cursor.cancel() ends a
// waiting fetch with QueryCancelledError.
import { E6DataError, QueryCancelledError } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { HeldAnswer, numbersResult, type FakeEngine, type RecordedCall } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

/** Waits (a few event-loop turns at a time) until `engine` has seen a cancelQuery; the connector sends it in the background. */
async function cancelCalls(engine: FakeEngine, atLeast = 1): Promise<RecordedCall[]> {
  for (let i = 0; i < 200 && engine.callsOf('cancelQuery').length < atLeast; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  return engine.callsOf('cancelQuery');
}

describe('abort, timeout and cancel', () => {
  const env = useTestEnvironment();

  test('a signal aborted mid-execute: the call stops, cancelQuery goes to the query\'s deployment with its planner and session', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const held = new HeldAnswer();
    engine.on('executeStatementV2', held.answer);
    const controller = new AbortController();
    const cursor = connection.cursor();
    const executing = cursor.execute('SELECT 1', undefined, { signal: controller.signal });
    const execute = await held.started;
    controller.abort(new Error('user pressed stop'));

    const err = await rejectionOf(executing, E6DataError);
    expect(err.code).toBe('ABORTED');
    expect(execute.outcome).toBe('aborted');
    const [cancel] = await cancelCalls(engine);
    expect(cancel!.request.queryId).toBe(execute.request.queryId);
    expect(cancel!.request.sessionId).toBe(execute.request.sessionId);
    expect(cancel!.headers).toEqual({ strategy: 'blue', plannerip: '10.0.0.1' });
    await cursor.close();
    expect(engine.callsOf('cancelQuery')).toHaveLength(1);
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
  });

  test('a timeoutMs that fires mid-execute: DEADLINE_EXCEEDED, and cancelQuery reaches the engine', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const held = new HeldAnswer();
    engine.on('executeStatementV2', held.answer);
    const cursor = connection.cursor();
    const err = await rejectionOf(cursor.execute('SELECT 1', undefined, { timeoutMs: 100 }), E6DataError);
    expect(err.code).toBe('DEADLINE_EXCEEDED');
    const execute = await held.started;
    const [cancel] = await cancelCalls(engine);
    expect(cancel!.request.queryId).toBe(execute.request.queryId);
    expect(cancel!.headers.strategy).toBe('blue');
    await cursor.close();
    expect(engine.callsOf('cancelQuery')).toHaveLength(1);
  });

  test('a signal aborted after execute returned, while rows are read: the query is cancelled on the engine', async () => {
    const { engine } = env();
    engine.resultFor = () => numbersResult(3, 1);
    const connection = await env().connect();
    const controller = new AbortController();
    const cursor = connection.cursor();
    const queryId = await cursor.execute('SELECT n FROM t', undefined, { signal: controller.signal });
    controller.abort();
    const [cancel] = await cancelCalls(engine);
    expect(cancel!.request.queryId).toBe(queryId);
    await rejectionOf(cursor.fetchAll(), QueryCancelledError);
    await cursor.close();
  });

  test('cursor.cancel() while a fetch waits: the fetch ends with QueryCancelledError, cancelQuery sent', async () => {
    const { engine } = env();
    engine.resultFor = () => numbersResult(3, 1);
    const connection = await env().connect({ prefetchBatches: 0 });
    const cursor = connection.cursor();
    const queryId = await cursor.execute('SELECT n FROM t');
    expect(await cursor.fetchOne()).toEqual([0n]);
    const held = new HeldAnswer();
    engine.on('getNextResultBatch', held.answer);
    const fetching = rejectionOf(cursor.fetchOne(), QueryCancelledError);
    const fetch = await held.started;
    await cursor.cancel();
    const err = await fetching;
    expect(err).toMatchObject({ code: 'QUERY_CANCELLED', queryId, strategy: 'blue' });
    expect(fetch.outcome).toBe('aborted');
    expect(engine.callsOf('cancelQuery').map((c) => c.request.queryId)).toEqual([queryId]);
    // Later reads say the same, and the pin is gone.
    await rejectionOf(cursor.fetchOne(), QueryCancelledError);
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
    await cursor.close();
  });

  test('an already-aborted signal: nothing is sent at all', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const before = engine.calls.length;
    const err = await rejectionOf(connection.query('SELECT 1', undefined, { signal: AbortSignal.abort() }), E6DataError);
    expect(err).toMatchObject({ code: 'ABORTED', stage: 'not-sent' });
    expect(engine.calls.length).toBe(before);
  });

  test('cancel() after the query ended does nothing', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const cursor = connection.cursor();
    await cursor.execute('SELECT 1');
    await cursor.fetchAll();
    await cursor.cancel();
    await cursor.close();
    expect(engine.callsOf('cancelQuery')).toHaveLength(0);
  });
});
