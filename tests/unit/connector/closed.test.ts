// A closed cursor or connection answers every call with ClosedError (stage
// not-sent) and sends nothing; close() is idempotent and frees what is open.
import { ClosedError } from '@e6data-ts/connector';
import { rejectionOf, thrownBy } from '../../support/expected-error';
import { numbersResult } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('closed cursor and connection', () => {
  const env = useTestEnvironment();

  test('a closed cursor: ClosedError from execute, fetches and status; nothing sent', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const cursor = connection.cursor();
    await cursor.execute('SELECT 1');
    await cursor.close();
    await cursor.close();
    const before = engine.calls.length;
    for (const call of [() => cursor.execute('SELECT 1'), () => cursor.fetchOne(), () => cursor.fetchAll(), () => cursor.status()]) {
      const err = await rejectionOf(call(), ClosedError);
      expect(err).toMatchObject({ code: 'CLOSED', stage: 'not-sent' });
      expect(err.message).toContain('the cursor is closed');
    }
    expect(() => cursor.stream()).toThrow(ClosedError);
    expect(engine.calls.length).toBe(before);
    expect(cursor.isClosed).toBe(true);
  });

  test('a closed connection: ClosedError from query, cursor() and the schema calls', async () => {
    const { engine } = env();
    const connection = await env().connect();
    await connection.close();
    const before = engine.calls.length;
    await rejectionOf(connection.query('SELECT 1'), ClosedError);
    await rejectionOf(connection.getSchemaNames(), ClosedError);
    await rejectionOf(connection.getTables('main'), ClosedError);
    await rejectionOf(connection.getColumns('main', 'orders'), ClosedError);
    await rejectionOf(connection.dryRun('SELECT 1'), ClosedError);
    const err = thrownBy(() => connection.cursor(), ClosedError);
    expect(err.message).toBe('cursor: the connection is closed');
    expect(engine.calls.length).toBe(before);
    expect(connection.isClosed).toBe(true);
    await connection.close();
  });

  test('closing the connection clears its cursors\' running queries and closes the client', async () => {
    const { engine } = env();
    engine.resultFor = () => numbersResult(5, 1);
    const connection = await env().connect();
    const cursor = connection.cursor();
    const queryId = await cursor.execute('SELECT n FROM t');
    await connection.close();
    expect(cursor.isClosed).toBe(true);
    await rejectionOf(cursor.fetchOne(), ClosedError);
    expect(engine.callsOf('clear').map((c) => c.request.queryId)).toEqual([queryId]);
    expect(engine.openQueries()).toEqual([]);
    expect(engine.clients[0]!.closed).toBe(true);
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
  });

  test('await using: a cursor and a connection dispose of themselves', async () => {
    const { engine } = env();
    const connection = await env().connect();
    {
      const cursor = connection.cursor();
      await cursor.execute('SELECT 1');
      await cursor[Symbol.asyncDispose]();
      expect(cursor.isClosed).toBe(true);
    }
    await connection[Symbol.asyncDispose]();
    expect(connection.isClosed).toBe(true);
    expect(engine.openQueries()).toEqual([]);
  });
});
