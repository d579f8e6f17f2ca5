// The mock engine over real gRPC on loopback: the seed's queries through V1
// and V2 whatever the schema, batching and streaming, parameters, every
// per-query call, catalog calls, and the error paths (the engine stays healthy
// after each).
import {
  decodeChunk,
  decodeResultMetadata,
  grpc,
  type ParameterValue,
  type QueryRef,
  type ResultMetadata,
} from '@e6data-ts/grpc-transport';
import { DEFAULT_USERS } from '@e6data-ts/mock-engine';
import { useMockEngine } from '../../support/mock-engine';
import { grpcFailure } from '../../support/transport-failure';

const [admin] = DEFAULT_USERS;
const SEED_QUERIES: [sql: string, rows: unknown[][]][] = [
  ['SELECT 1', [[1]]],
  ['SELECT 1, 2, 3', [[1, 2, 3]]],
  ['SELECT COUNT(*) FROM mock_table', [[10_000n]]],
];

const mock = useMockEngine({ name: 'blue', users: [admin!, { user: 'other@e6data.local', token: 'other-token' }] });
let sessionId: string;

beforeAll(async () => {
  ({ sessionId } = await mock.client.authenticate({ user: admin!.user, password: admin!.token }));
});

afterEach(() => {
  // Every test clears what it prepared; a leak here points at the test that leaked.
  expect(mock.engine.activeQueryCount()).toBe(0);
});

interface Prepared extends QueryRef {
  readonly new_strategy?: string;
}

async function prepare(sql: string, options: { v1?: boolean; schema?: string; catalog?: string; session?: string } = {}): Promise<Prepared> {
  const session = options.session ?? sessionId;
  const response = options.v1
    ? await mock.client.prepareStatement({ sessionId: session, schema: options.schema ?? '', queryString: sql, quoting: '' })
    : await mock.client.prepareStatementV2({ sessionId: session, schema: options.schema ?? '', catalog: options.catalog ?? '', queryString: sql, quoting: '' });
  expect(response.sessionId).toBe(session);
  return { engineIP: response.engineIP, sessionId: session, queryId: response.queryId };
}

async function execute(query: Prepared, options: { v1?: boolean; params?: ParameterValue[] } = {}): Promise<void> {
  if (options.v1) await mock.client.executeStatement({ ...query, shouldNotCache: false });
  else await mock.client.executeStatementV2({ ...query, shouldNotCache: false, params: options.params ?? [] });
}

async function metadata(query: Prepared): Promise<ResultMetadata> {
  return decodeResultMetadata((await mock.client.getResultMetadata(query)).resultMetaData);
}

/** Reads every batch; returns the rows and each batch's size (the final empty batch not counted). */
async function fetchAll(query: Prepared): Promise<{ rows: unknown[][]; batchSizes: number[] }> {
  const rows: unknown[][] = [];
  const batchSizes: number[] = [];
  for (;;) {
    const { resultBatch } = await mock.client.getNextResultBatch(query);
    if (resultBatch.length === 0) return { rows, batchSizes };
    const chunk = decodeChunk(resultBatch);
    batchSizes.push(chunk.rowCount);
    rows.push(...chunk.rows);
  }
}

async function run(sql: string, options: { v1?: boolean; schema?: string; catalog?: string; params?: ParameterValue[] } = {}): Promise<{ rows: unknown[][]; metadata: ResultMetadata; batchSizes: number[] }> {
  const query = await prepare(sql, options);
  try {
    await execute(query, options);
    const meta = await metadata(query);
    return { metadata: meta, ...(await fetchAll(query)) };
  } finally {
    await mock.client.clear(query);
  }
}

describe('the seed queries', () => {
  const schemas = ['', 'sales', 'SALES', 'no_such_schema', 'main', 'analytics'];
  for (const [sql, expected] of SEED_QUERIES) {
    for (const schema of schemas) {
      test(`${sql} through V1 with schema '${schema}'`, async () => {
        expect((await run(sql, { v1: true, schema })).rows).toEqual(expected);
      });
      test(`${sql} through V2 with schema '${schema}' and catalogs e6data / test_catalog`, async () => {
        expect((await run(sql, { schema, catalog: 'e6data' })).rows).toEqual(expected);
        expect((await run(sql, { schema, catalog: 'test_catalog' })).rows).toEqual(expected);
      });
    }
  }

  test('SELECT * FROM mock_table LIMIT 10 through V1 and V2 returns ten full rows, ids 1-10', async () => {
    for (const options of [{ v1: true }, { schema: 'whatever', catalog: 'anything' }]) {
      const { rows, metadata: meta } = await run('SELECT * FROM mock_table LIMIT 10', options);
      expect(rows).toHaveLength(10);
      expect(rows.map((row) => row[0])).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i + 1)));
      expect(rows.every((row) => row.length === 17)).toBe(true);
      expect(meta.rowCount).toBe(10);
      expect(meta.columns.map((c) => c.name)[0]).toBe('id');
    }
  });

  test('a trailing semicolon is accepted', async () => {
    expect((await run('SELECT 1;')).rows).toEqual([[1]]);
  });

  test('the named schema is searched first: orders resolves in sales, not without it', async () => {
    expect((await run('SELECT COUNT(*) FROM orders', { schema: 'sales' })).rows).toEqual([[600n]]);
    const { code, details } = await grpcFailure(prepare('SELECT COUNT(*) FROM orders', { schema: 'finance' }));
    expect(code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(details).toMatch(/^Catalog Error: Table with name orders does not exist/);
  });
});

describe('batches', () => {
  test('hold batchRows rows each, the last one shorter, then an empty batch, again and again', async () => {
    const query = await prepare('SELECT i FROM range(2500) AS t(i)');
    await execute(query);
    expect((await metadata(query)).rowCount).toBe(-1);
    const { rows, batchSizes } = await fetchAll(query);
    expect(batchSizes).toEqual([1000, 1000, 500]);
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 2500 }, (_, i) => BigInt(i)));
    expect((await mock.client.getNextResultBatch(query)).resultBatch).toHaveLength(0);
    const status = await mock.client.status(query);
    expect(status).toMatchObject({ status: true, rowCount: '2500' });
    expect((await metadata(query)).rowCount).toBe(2500);
    await mock.client.clear(query);
  });

  test('a result that fits one batch reports its exact row count; an empty result gives an empty batch at once', async () => {
    expect((await run('SELECT * FROM range(999)')).metadata.rowCount).toBe(999);
    const empty = await run('SELECT * FROM mock_table WHERE id < 0');
    expect(empty).toMatchObject({ rows: [], batchSizes: [] });
    expect(empty.metadata.rowCount).toBe(0);
    expect(empty.metadata.columns).toHaveLength(17);
  });

  test('results are streamed, not materialised: a billion-row series yields its first batch', async () => {
    const started = performance.now();
    const query = await prepare('SELECT * FROM generate_series(1, 1000000000) AS g(i)');
    await execute(query);
    const { resultBatch } = await mock.client.getNextResultBatch(query);
    const elapsedMs = performance.now() - started;
    const first = decodeChunk(resultBatch);
    expect(first.rowCount).toBe(1000);
    expect(first.rows[999]).toEqual([1000n]);
    expect(mock.engine.hasQuery(query.queryId)).toBe(true);
    await mock.client.clear(query);
    process.stdout.write(`first batch of a 1e9-row series after ${elapsedMs.toFixed(1)} ms\n`);
  });

  test('status counts the rows handed out so far', async () => {
    const query = await prepare('SELECT * FROM range(3000)');
    expect(await mock.client.status(query)).toMatchObject({ status: false, rowCount: '0', sessionId });
    await execute(query);
    await mock.client.getNextResultBatch(query);
    expect(await mock.client.status(query)).toMatchObject({ status: true, rowCount: '1000' });
    await mock.client.clear(query);
  });
});

describe('parameters (V2)', () => {
  test('are bound as real DuckDB parameters, 1-based', async () => {
    const { rows } = await run('SELECT ? + 1 AS n, ? AS s, ? AS d, ? IS NULL AS missing', {
      params: [
        { index: 1, type: 'INTEGER', value: '41' },
        { index: 2, type: 'STRING', value: "it's; DROP TABLE orders" },
        { index: 3, type: 'DATE', value: '1969-07-20' },
        { index: 4, type: 'NULL', value: '' },
      ],
    });
    expect(rows).toEqual([[42, "it's; DROP TABLE orders", '1969-07-20', true]]);
  });

  test('filter a real table like the literal query does', async () => {
    const literal = await run(`SELECT COUNT(*) FROM orders WHERE status = 'delivered' AND quantity >= 5`, { schema: 'sales' });
    const bound = await run('SELECT COUNT(*) FROM orders WHERE status = ? AND quantity >= ?', {
      schema: 'sales',
      params: [
        { index: 2, type: 'LONG', value: '5' },
        { index: 1, type: 'STRING', value: 'delivered' },
      ],
    });
    expect(bound.rows).toEqual(literal.rows);
    expect((literal.rows[0]?.[0] as bigint) > 0n).toBe(true);
  });

  test('bad parameters are INVALID_ARGUMENT at execute; the query can then be executed correctly', async () => {
    const query = await prepare('SELECT ? AS x');
    expect(await grpcFailure(execute(query, { params: [{ index: 0, type: 'STRING', value: 'x' }] }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/numbered from 1/) });
    expect(await grpcFailure(execute(query, { params: [] }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/missing 1/) });
    expect(await grpcFailure(execute(query, { v1: true }))).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/use executeStatementV2/) });
    await execute(query, { params: [{ index: 1, type: 'BOOLEAN', value: 'true' }] });
    expect((await fetchAll(query)).rows).toEqual([[true]]);
    await mock.client.clear(query);
  });
});

describe('errors leave the engine healthy', () => {
  afterEach(async () => {
    expect((await run('SELECT 1')).rows).toEqual([[1]]);
  });

  test('a syntax error comes back at prepare as INVALID_ARGUMENT with DuckDB message', async () => {
    for (const v1 of [true, false]) {
      const { code, details } = await grpcFailure(prepare('SELEC 1', { v1 }));
      expect(code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(details).toMatch(/^Parser Error: syntax error at or near "SELEC"/);
    }
    expect((await grpcFailure(prepare('SELECT 1; SELECT 2'))).details).toMatch(/multiple statements/);
    expect((await grpcFailure(prepare('SELECT * FROM no_such_table'))).details).toMatch(/no_such_table does not exist/);
  });

  test('an execution error surfaces at getResultMetadata and sticks to the query', async () => {
    const query = await prepare('SELECT CAST(col_varchar AS INTEGER) FROM mock_table');
    await execute(query);
    const first = await grpcFailure(mock.client.getResultMetadata(query));
    expect(first.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(first.details).toMatch(/^Conversion Error: /);
    expect((await grpcFailure(mock.client.getNextResultBatch(query))).details).toBe(first.details);
    expect(await mock.client.status(query)).toMatchObject({ status: false });
    await mock.client.clear(query);
  });

  test('a value without a wire form fails the batch with OUT_OF_RANGE', async () => {
    const query = await prepare('SELECT 170141183460469231731687303715884105727::HUGEINT AS h');
    await execute(query);
    const { code, details } = await grpcFailure(mock.client.getNextResultBatch(query));
    expect(code).toBe(grpc.status.OUT_OF_RANGE);
    expect(details).toMatch(/column h, row 1 .*does not fit in a 64-bit LONG; CAST it to VARCHAR/);
    await mock.client.clear(query);
  });

  test('an unknown query id is NOT_FOUND naming the query and the deployment, on every per-query call', async () => {
    const ghost: QueryRef = { engineIP: '127.0.0.1', sessionId, queryId: 'no-such-query' };
    const calls: Promise<unknown>[] = [
      mock.client.executeStatement({ ...ghost, shouldNotCache: false }),
      mock.client.executeStatementV2({ ...ghost, shouldNotCache: false, params: [] }),
      mock.client.getResultMetadata(ghost),
      mock.client.getNextResultBatch(ghost),
      mock.client.status(ghost),
      mock.client.clear(ghost),
      mock.client.cancelQuery(ghost),
      mock.client.clearOrCancelQuery(ghost),
      mock.client.explain(ghost),
      mock.client.explainAnalyze(ghost),
    ];
    for (const call of calls) {
      expect(await grpcFailure(call)).toEqual({ code: grpc.status.NOT_FOUND, details: 'query no-such-query not found on deployment blue' });
    }
  });

  test("another user's query is not found for them", async () => {
    const other = await mock.client.authenticate({ user: 'other@e6data.local', password: 'other-token' });
    const query = await prepare('SELECT 1');
    expect((await grpcFailure(mock.client.status({ ...query, sessionId: other.sessionId }))).code).toBe(grpc.status.NOT_FOUND);
    await mock.client.clear(query);
  });

  test('calls out of order are FAILED_PRECONDITION', async () => {
    const query = await prepare('SELECT 1');
    expect(await grpcFailure(mock.client.getNextResultBatch(query))).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: expect.stringMatching(/has not been executed yet/) });
    expect((await grpcFailure(mock.client.getResultMetadata(query))).code).toBe(grpc.status.FAILED_PRECONDITION);
    await execute(query);
    expect(await grpcFailure(execute(query))).toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: expect.stringMatching(/already executed/) });
    await mock.client.clear(query);
  });
});

describe('ending queries', () => {
  test('clear frees the query: activeQueryCount back to 0, later calls say it was cleared, clearing again is fine', async () => {
    const query = await prepare('SELECT * FROM range(5000)');
    await execute(query);
    await mock.client.getNextResultBatch(query);
    expect(mock.engine.activeQueryCount()).toBe(1);
    expect(mock.engine.hasQuery(query.queryId)).toBe(true);
    expect(await mock.client.clear(query)).toEqual({ sessionId });
    expect(mock.engine.activeQueryCount()).toBe(0);
    expect(mock.engine.hasQuery(query.queryId)).toBe(false);
    expect(await grpcFailure(mock.client.getNextResultBatch(query))).toMatchObject({ code: grpc.status.NOT_FOUND, details: expect.stringMatching(/it was cleared/) });
    await mock.client.clear(query);
    await mock.client.clearOrCancelQuery(query);
  });

  test('cancelQuery interrupts a long query: the waiting call fails at once with CANCELLED', async () => {
    const query = await prepare('SELECT COUNT(*) FROM range(100000000000) AS t(i) WHERE i % 7 = 3');
    await execute(query);
    const waiting = grpcFailure(mock.client.getResultMetadata(query));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mock.engine.hasQuery(query.queryId)).toBe(true);
    const started = performance.now();
    await mock.client.cancelQuery(query);
    const { code, details } = await waiting;
    const cancelMs = performance.now() - started;
    expect(code).toBe(grpc.status.CANCELLED);
    expect(details).toMatch(/was cancelled/);
    expect(cancelMs).toBeLessThan(5_000);
    expect(mock.engine.activeQueryCount()).toBe(0);
    expect(await grpcFailure(mock.client.getNextResultBatch(query))).toMatchObject({ code: grpc.status.CANCELLED, details: expect.stringMatching(/was cancelled/) });
    await mock.client.cancelQuery(query);
    await mock.client.clear(query);
    process.stdout.write(`cancel of a running query answered the waiting call in ${cancelMs.toFixed(1)} ms\n`);
  });

  test('clear also interrupts a running query; the waiting call learns it was cleared', async () => {
    const query = await prepare('SELECT COUNT(*) FROM range(100000000000) AS t(i) WHERE i % 7 = 3');
    await execute(query);
    const waiting = grpcFailure(mock.client.getNextResultBatch(query));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await mock.client.clear(query);
    expect(await waiting).toMatchObject({ code: grpc.status.CANCELLED, details: expect.stringMatching(/was cleared/) });
    expect(mock.engine.activeQueryCount()).toBe(0);
  });

  test('clearOrCancelQuery ends a query half read and one read to the end', async () => {
    const half = await prepare('SELECT * FROM range(5000)');
    await execute(half);
    await mock.client.getNextResultBatch(half);
    await mock.client.clearOrCancelQuery({ ...half, isDone: false });
    expect((await grpcFailure(mock.client.status(half))).code).toBe(grpc.status.CANCELLED);
    const done = await prepare('SELECT 1');
    await execute(done);
    await fetchAll(done);
    await mock.client.clearOrCancelQuery(done);
    expect(await grpcFailure(mock.client.status(done))).toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  test('a query cancelled before execute cannot run', async () => {
    const query = await prepare('SELECT 1');
    await mock.client.cancelQuery(query);
    expect((await grpcFailure(execute(query))).code).toBe(grpc.status.CANCELLED);
  });
});

describe('explain, explainAnalyze, dryRunV2', () => {
  test('explain returns DuckDB plan text; explainAnalyze runs it and reports timings', async () => {
    const query = await prepare('SELECT COUNT(*) FROM orders WHERE quantity > ?', { schema: 'sales' });
    await execute(query, { params: [{ index: 1, type: 'INTEGER', value: '3' }] });
    const { explain } = await mock.client.explain(query);
    expect(explain).toMatch(/SEQ_SCAN|TABLE_SCAN/);
    expect(explain).toMatch(/orders/);
    const analyzed = await mock.client.explainAnalyze(query);
    expect(analyzed.explainAnalyze).toMatch(/Query Profiling Information|Total Time/i);
    expect(analyzed).toMatchObject({ isCached: false, queueingTime: '0', sessionId });
    expect(Number(analyzed.parsingTime)).toBeGreaterThanOrEqual(0);
    expect((await fetchAll(query)).rows).toHaveLength(1);
    await mock.client.clear(query);
  });

  test('explain works before execute and while a result is being read', async () => {
    const query = await prepare('SELECT * FROM mock_table');
    expect((await mock.client.explain(query)).explain).toMatch(/mock_table/);
    await execute(query);
    await mock.client.getNextResultBatch(query);
    expect((await mock.client.explain(query)).explain).toMatch(/mock_table/);
    expect(decodeChunk((await mock.client.getNextResultBatch(query)).resultBatch).rows[0]?.[0]).toBe(1001n);
    await mock.client.clear(query);
  });

  test('explain of a statement DuckDB cannot plan yet is INVALID_ARGUMENT; the query stays usable', async () => {
    const query = await prepare('SELECT ?::INTEGER + 1 AS n');
    const { code, details } = await grpcFailure(mock.client.explain(query));
    expect(code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(details.length).toBeGreaterThan(0);
    await execute(query, { params: [{ index: 1, type: 'INTEGER', value: '1' }] });
    expect((await fetchAll(query)).rows).toEqual([[2]]);
    await mock.client.clear(query);
  });

  test('dryRunV2 describes the planned columns, or fails like prepare', async () => {
    const { dryrunValue } = await mock.client.dryRunV2({ engineIP: '', sessionId, schema: 'sales', catalog: 'e6data', queryString: 'SELECT order_id, total_amount FROM orders WHERE status = ?' });
    expect(JSON.parse(dryrunValue)).toEqual({
      valid: true,
      catalog: 'e6data',
      schema: 'sales',
      statementType: 'SELECT',
      parameterCount: 1,
      columns: [
        { name: 'order_id', type: 'LONG' },
        { name: 'total_amount', type: 'DECIMAL128' },
      ],
    });
    expect(mock.engine.activeQueryCount()).toBe(0);
    const { code, details } = await grpcFailure(mock.client.dryRunV2({ engineIP: '', sessionId, schema: '', catalog: '', queryString: 'SELECT nope FROM mock_table' }));
    expect(code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(details).toMatch(/^Binder Error: .*nope/);
  });
});

describe('catalog calls', () => {
  test('getSchemaNames (V1, V2) list the data set schemas, unknown catalogs fall back to e6data', async () => {
    const expected = ['analytics', 'finance', 'main', 'marketing', 'sales'];
    expect((await mock.client.getSchemaNames({ sessionId })).schemas).toEqual(expected);
    expect((await mock.client.getSchemaNamesV2({ sessionId, catalog: 'e6data' })).schemas).toEqual(expected);
    expect((await mock.client.getSchemaNamesV2({ sessionId, catalog: 'test_catalog' })).schemas).toEqual(expected);
  });

  test('getTables (V1, V2) list tables and views; main holds mock_table; an unknown schema has none', async () => {
    expect((await mock.client.getTablesV2({ sessionId, catalog: 'e6data', schema: 'sales' })).tables).toEqual(['customers', 'orders', 'products']);
    expect((await mock.client.getTables({ sessionId, schema: 'analytics' })).tables).toEqual(['customer_summary', 'daily_revenue']);
    expect((await mock.client.getTablesV2({ sessionId, catalog: '', schema: '' })).tables).toEqual(['mock_table']);
    expect((await mock.client.getTablesV2({ sessionId, catalog: '', schema: 'no_such_schema' })).tables).toEqual([]);
  });

  test('getColumns (V1, V2) give e6data type names; names match case-insensitively; main is searched too', async () => {
    const { fieldInfo } = await mock.client.getColumnsV2({ sessionId, catalog: 'e6data', schema: 'main', table: 'mock_table' });
    expect(fieldInfo.map((f) => [f.fieldName, f.fieldType])).toEqual([
      ['id', 'LONG'], ['col_bigint', 'LONG'], ['col_integer', 'INTEGER'], ['col_smallint', 'INTEGER'], ['col_double', 'DOUBLE'],
      ['col_real', 'FLOAT'], ['col_varchar', 'STRING'], ['col_boolean', 'BOOLEAN'], ['col_date', 'DATE'], ['col_timestamp', 'DATETIME'],
      ['col_timestamptz', 'TIMESTAMP_TZ'], ['col_decimal_18_4', 'DECIMAL128'], ['col_decimal_38_10', 'DECIMAL128'], ['col_blob', 'BINARY'],
      ['col_list', 'ARRAY'], ['col_struct', 'STRUCT'], ['col_map', 'MAP'],
    ]);
    expect((await mock.client.getColumns({ sessionId, schema: 'sales', table: 'MOCK_TABLE' })).fieldInfo).toHaveLength(17);
    expect((await mock.client.getColumns({ sessionId, schema: 'sales', table: 'Orders' })).fieldInfo.map((f) => f.fieldName)).toContain('total_amount');
    expect(await grpcFailure(mock.client.getColumnsV2({ sessionId, catalog: '', schema: 'sales', table: 'nope' }))).toEqual({
      code: grpc.status.NOT_FOUND,
      details: 'table nope not found in e6data.sales',
    });
  });

  test('tables and schemas created by queries show up in the catalog calls and as a prepare schema', async () => {
    await run('CREATE SCHEMA scratch_space');
    await run('CREATE TABLE notes AS SELECT 1 AS id, 2.5 AS score', { schema: 'scratch_space' });
    expect((await mock.client.getTablesV2({ sessionId, catalog: '', schema: 'scratch_space' })).tables).toEqual(['notes']);
    expect((await mock.client.getColumnsV2({ sessionId, catalog: '', schema: 'scratch_space', table: 'notes' })).fieldInfo).toEqual([
      { fieldName: 'id', fieldType: 'INTEGER' },
      { fieldName: 'score', fieldType: 'DECIMAL128' },
    ]);
    expect((await run('SELECT id FROM notes', { schema: 'scratch_space' })).rows).toEqual([[1]]);
    await run('DROP SCHEMA scratch_space CASCADE');
    expect((await run('SELECT 1', { schema: 'scratch_space' })).rows).toEqual([[1]]);
  });
});

describe('engine basics', () => {
  test('healthCheck answers without a session', async () => {
    expect(await mock.client.healthCheck({})).toEqual({});
  });

  test('prepare answers a non-empty engineIP and echoes the session', async () => {
    const query = await prepare('SELECT 1');
    expect(query.engineIP).toBe(mock.engine.host);
    await mock.client.clear(query);
  });

  test('many concurrent queries each get their own results', async () => {
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => run(`SELECT ${i} AS n, COUNT(*) FROM mock_table WHERE id <= ${i}`)));
    expect(results.map((r) => r.rows)).toEqual(Array.from({ length: 24 }, (_, i) => [[i, BigInt(i)]]));
  });
});
