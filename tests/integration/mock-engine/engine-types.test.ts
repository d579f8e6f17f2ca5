// Every value of every mock_table column, read through the engine and decoded
// by the client codec, equals what DuckDB itself holds. The expected values
// are rendered by DuckDB's own SQL formatting (CAST, strftime) from a
// separately built copy of the data set, not by the engine's conversion code.
import { decodeChunk, decodeResultMetadata, type EngineClient, type QueryRef } from '@e6data-ts/grpc-transport';
import { DATASET_CATALOG, DEFAULT_USERS } from '@e6data-ts/mock-engine';
import { buildSeedStatements, duckdb } from '@e6data-ts/mock-engine/internal';
import { useMockEngine } from '../../support/mock-engine';

const [admin] = DEFAULT_USERS;

const EXPECTED_SQL = `SELECT
  CAST(id AS VARCHAR), CAST(col_bigint AS VARCHAR), col_integer, col_smallint, col_double, col_real, col_varchar, col_boolean,
  CAST(col_date AS VARCHAR),
  strftime(col_timestamp, '%Y-%m-%dT%H:%M:%S.%fZ'),
  strftime(make_timestamp(epoch_us(col_timestamptz)), '%Y-%m-%dT%H:%M:%S.%f') || '+00:00',
  CAST(col_decimal_18_4 AS VARCHAR), CAST(col_decimal_38_10 AS VARCHAR),
  col_blob, col_list, col_struct, col_map
FROM ${DATASET_CATALOG}.main.mock_table ORDER BY id`;

/** DuckDB's rendering -> the client value table (docs/wire.md section 7). */
function expectedRow(row: duckdb.DuckDBValue[]): unknown[] {
  const bigint = (v: duckdb.DuckDBValue): bigint | null => (v === null ? null : BigInt(v as string));
  const text = (v: duckdb.DuckDBValue): string | null => (v === null ? null : String(v));
  const [id, big, int, small, dbl, real, varchar, bool, date, ts, tz, dec18, dec38, blob, list, struct, map] = row;
  return [
    bigint(id ?? null),
    bigint(big ?? null),
    int,
    small,
    dbl,
    real,
    varchar,
    bool,
    date,
    ts,
    tz,
    dec18,
    dec38,
    blob === null || blob === undefined ? null : Buffer.from((blob as duckdb.DuckDBBlobValue).bytes),
    text(list ?? null),
    text(struct ?? null),
    text(map ?? null),
  ];
}

let reference: { instance: duckdb.DuckDBInstance; connection: duckdb.DuckDBConnection };
let expectedRows: unknown[][];

beforeAll(async () => {
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  reference = { instance, connection };
  await connection.run(`ATTACH ':memory:' AS ${DATASET_CATALOG}`);
  for (const statement of buildSeedStatements()) await connection.run(statement);
  expectedRows = (await connection.runAndReadAll(EXPECTED_SQL)).getRows().map(expectedRow);
});

afterAll(() => {
  reference.connection.closeSync();
  reference.instance.closeSync();
});

async function readAll(client: EngineClient, sql: string): Promise<{ rows: unknown[][]; batchSizes: number[]; types: string[] }> {
  const { sessionId } = await client.authenticate({ user: admin!.user, password: admin!.token });
  const prepared = await client.prepareStatementV2({ sessionId, schema: 'sales', catalog: '', queryString: sql, quoting: '' });
  const query: QueryRef = { sessionId, queryId: prepared.queryId, engineIP: prepared.engineIP };
  try {
    await client.executeStatementV2({ ...query, shouldNotCache: false, params: [] });
    const types = decodeResultMetadata((await client.getResultMetadata(query)).resultMetaData).columns.map((c) => c.type);
    const rows: unknown[][] = [];
    const batchSizes: number[] = [];
    for (;;) {
      const { resultBatch } = await client.getNextResultBatch(query);
      if (resultBatch.length === 0) return { rows, batchSizes, types };
      const chunk = decodeChunk(resultBatch);
      batchSizes.push(chunk.rowCount);
      rows.push(...chunk.rows);
    }
  } finally {
    await client.clear(query);
  }
}

describe.each([1000, 777])('mock_table through an engine with batchRows %i', (batchRows) => {
  const mock = useMockEngine({ name: 'green', batchRows });

  test('every row of every column equals DuckDB, NULLs included', async () => {
    const { rows, batchSizes, types } = await readAll(mock.client, 'SELECT * FROM mock_table ORDER BY id');
    expect(types).toEqual([
      'LONG', 'LONG', 'INTEGER', 'INTEGER', 'DOUBLE', 'FLOAT', 'STRING', 'BOOLEAN', 'DATE', 'DATETIME', 'TIMESTAMP_TZ',
      'DECIMAL128', 'DECIMAL128', 'BINARY', 'ARRAY', 'STRUCT', 'MAP',
    ]);
    expect(rows).toHaveLength(10_000);
    expect(batchSizes.slice(0, -1).every((size) => size === batchRows)).toBe(true);
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    // Compare column by column so a mismatch names its column.
    const names = ['id', 'col_bigint', 'col_integer', 'col_smallint', 'col_double', 'col_real', 'col_varchar', 'col_boolean', 'col_date', 'col_timestamp', 'col_timestamptz', 'col_decimal_18_4', 'col_decimal_38_10', 'col_blob', 'col_list', 'col_struct', 'col_map'];
    for (const [c, name] of names.entries()) {
      expect({ [name]: rows.map((row) => row[c]) }).toEqual({ [name]: expectedRows.map((row) => row[c]) });
    }
  });
});

describe('types outside mock_table', () => {
  const mock = useMockEngine({ name: 'blue', seed: false });

  test('narrow and unsigned integers, other timestamp precisions and text-only types', async () => {
    const { rows, types } = await readAll(
      mock.client,
      `SELECT -1::TINYINT, 200::UTINYINT, 60000::USMALLINT, 4000000000::UINTEGER, 9223372036854775807::UBIGINT, -123::HUGEINT,
        TIMESTAMP_S '1969-12-31 23:59:59', TIMESTAMP_MS '1969-12-31 23:59:59.999', TIMESTAMP_NS '1969-12-31 23:59:59.999999999',
        '00000000-0000-0000-0000-000000000001'::UUID, INTERVAL 3 DAY, TIME '12:34:56', 'b'::ENUM('a', 'b'),
        array_value(1, 2), union_value(k := 5), NULL`,
    );
    expect(types).toEqual([
      'INTEGER', 'INTEGER', 'INTEGER', 'LONG', 'LONG', 'LONG', 'DATETIME', 'DATETIME', 'DATETIME',
      'STRING', 'STRING', 'STRING', 'STRING', 'ARRAY', 'STRING', 'INTEGER',
    ]);
    expect(rows).toEqual([
      [
        -1, 200, 60000, 4000000000n, 9223372036854775807n, -123n,
        '1969-12-31T23:59:59.000000Z', '1969-12-31T23:59:59.999000Z', '1969-12-31T23:59:59.999999Z',
        '00000000-0000-0000-0000-000000000001', '3 days', '12:34:56', 'b', '[1, 2]', '5', null,
      ],
    ]);
  });

  test('queries run in UTC whatever the host zone, so TIMESTAMPTZ casts are the same everywhere', async () => {
    const { rows } = await readAll(mock.client, `SELECT current_setting('TimeZone'), CAST(TIMESTAMP '1969-12-31 23:59:59.5' AS TIMESTAMPTZ)`);
    expect(rows).toEqual([['UTC', '1969-12-31T23:59:59.500000+00:00']]);
  });
});
