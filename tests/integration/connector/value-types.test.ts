// Every e6data type, from DuckDB through the engine, the gateway and the
// connector to JavaScript, per the connector's value table: the edge rows of
// mock_table checked value by value, the whole table checked against the
// wire layer's own decoding, and the three int64 modes.
import { type Connection } from '@e6data-ts/connector';
import { createEngineClient } from '@e6data-ts/grpc-transport';
import { useConnectorCluster } from '../../support/connector-fixture';
import { selectRows } from '../../support/engine-client';
import { rejectionOf } from '../../support/expected-error';

// mock_table's edge values sit at fixed rows (i % 1000 = 11..38, so id = i + 1).
const EDGE_SQL = `SELECT id, col_bigint, col_integer, col_smallint, col_double, col_real, col_varchar, col_date,
  col_timestamp, col_timestamptz, col_decimal_18_4, col_decimal_38_10, col_blob, col_list
FROM mock_table WHERE id BETWEEN 12 AND 39 ORDER BY id`;

type Edge = Record<string, unknown>;

function byId(rows: unknown[][], columns: readonly { name: string }[]): Map<bigint, Edge> {
  const out = new Map<bigint, Edge>();
  for (const row of rows) out.set(row[0] as bigint, Object.fromEntries(columns.map((c, i) => [c.name, row[i]])));
  return out;
}

describe('values from DuckDB to JavaScript', () => {
  const harness = useConnectorCluster({ batchRows: 333 }, { per: 'all' });

  describe('with the default int64 mode (bigint)', () => {
    let connection: Connection;
    beforeEach(async () => {
      connection = await harness().connect();
    });

    test('result metadata names the e6data type of every column', async () => {
      const result = await connection.query('SELECT * FROM mock_table LIMIT 1');
      expect(result.columns.map((c) => c.type)).toEqual([
        'LONG', 'LONG', 'INTEGER', 'INTEGER', 'DOUBLE', 'FLOAT', 'STRING', 'BOOLEAN', 'DATE', 'DATETIME', 'TIMESTAMP_TZ',
        'DECIMAL128', 'DECIMAL128', 'BINARY', 'ARRAY', 'STRUCT', 'MAP',
      ]);
    });

    test('edge values: 64-bit extremes, a LONG past 2^53, exact decimals, far dates, microsecond timestamps, text, bytes', async () => {
      const result = await connection.query(EDGE_SQL);
      const edge = byId(result.rows, result.columns);
      expect(edge.get(12n)!.col_bigint).toBe(9_223_372_036_854_775_807n);
      expect(edge.get(13n)!.col_bigint).toBe(-9_223_372_036_854_775_808n);
      // 2^53 + 1: a number would round it to 2^53.
      expect(edge.get(14n)!.col_bigint).toBe(9_007_199_254_740_993n);
      expect(edge.get(15n)!.col_integer).toBe(2_147_483_647);
      expect(edge.get(16n)!.col_integer).toBe(-2_147_483_648);
      expect(edge.get(17n)!.col_smallint).toBe(32_767);
      expect(edge.get(18n)!.col_smallint).toBe(-32_768);
      expect(edge.get(19n)!.col_double).toBe(1.7976931348623157e308);
      expect(edge.get(20n)!.col_double).toBe(-2.2250738585072014e-308);
      expect(edge.get(21n)!.col_real).toBe(Math.fround(-3.4028234663852886e38));
      expect(edge.get(22n)!.col_varchar).toBe('');
      expect(edge.get(23n)!.col_varchar).toBe('héllo ✓ naïve 😀');
      expect(edge.get(24n)!.col_varchar).toBe('it\'s "quoted", comma');
      expect(edge.get(25n)!.col_date).toBe('0001-01-01');
      expect(edge.get(26n)!.col_date).toBe('9999-12-31');
      expect(edge.get(27n)!.col_date).toBe('1969-12-31');
      expect(edge.get(28n)!.col_timestamp).toBe('1969-12-31T23:59:59.999999Z');
      expect(edge.get(29n)!.col_timestamp).toBe('1900-01-01T00:00:00.000001Z');
      expect(edge.get(30n)!.col_timestamptz).toBe('1969-12-31T23:59:59.500000+00:00');
      expect(edge.get(31n)!.col_decimal_18_4).toBe('99999999999999.9999');
      expect(edge.get(32n)!.col_decimal_18_4).toBe('-99999999999999.9999');
      expect(edge.get(33n)!.col_decimal_18_4).toBe('-0.0001');
      expect(edge.get(34n)!.col_decimal_38_10).toBe('9999999999999999999999999999.9999999999');
      expect(edge.get(35n)!.col_decimal_38_10).toBe('-9999999999999999999999999999.9999999999');
      expect(edge.get(36n)!.col_decimal_38_10).toBe('-0.0000000001');
      expect(edge.get(37n)!.col_blob).toEqual(Buffer.alloc(0));
      expect(Buffer.isBuffer(edge.get(37n)!.col_blob)).toBe(true);
      expect(edge.get(38n)!.col_list).toBe('[]');
      expect(edge.get(39n)!.col_list).toBe('[1, NULL, 3]');
    });

    test('ordinary rows: every JS type of the value table, and NULL as null in every column', async () => {
      const { rows } = await connection.query('SELECT * FROM mock_table WHERE id <= 10 ORDER BY id');
      const [first, second] = rows as [unknown[], unknown[]];
      expect(first).toEqual([
        1n, -5_000_000_035_000n, -100_000, -32_768, -700, -500, 'row-0', true, '1900-01-01', '1900-01-01T00:00:00.000000Z', null,
        '-1000000.0000', '-6172839450615000.0000000000', Buffer.from([0, 0, 0, 0xff]), '[0, 0]', "{'name': 'item-0', 'score': 0}", "{'a': 0, 'b': 0}",
      ]);
      expect(second).toEqual([
        2n, -4_999_000_034_993n, -92_081, -32_737, -699.8571428571429, -499.5, null, false, '1900-02-07', '1900-01-12T10:20:54.321987Z',
        '1920-01-06T06:53:09.123457+00:00', '-992081.4729', '-6171604882724877.0000104729', Buffer.from([1, 7, 0, 0xff]), '[1, 3]',
        "{'name': 'item-1', 'score': 1}", "{'a': 1, 'b': 1}",
      ]);
      // Each value column has its NULL within the first ten rows (mock_table's NULL periods).
      for (let column = 1; column < 17; column++) {
        expect({ column, hasNull: rows.some((row) => row[column] === null) }).toEqual({ column, hasNull: true });
      }
    });

    test('2,500 rows (two sets of edge rows) in batches of 333 equal what the wire layer decodes from the same engine', async () => {
      const { cluster } = harness();
      const sql = 'SELECT * FROM mock_table ORDER BY id LIMIT 2500';
      const cursor = connection.cursor();
      await cursor.execute(sql);
      const viaConnector = await cursor.fetchAll();
      await cursor.close();
      // The harness's own wire client: a separate session, cleared when done.
      const client = createEngineClient({ host: cluster.host, port: cluster.port });
      try {
        const viaWire = await selectRows(client, 'blue', sql);
        expect(viaConnector).toHaveLength(2_500);
        expect(viaConnector).toEqual(viaWire);
      } finally {
        client.close();
      }
    });

    test('literals of every kind a query can produce', async () => {
      const { rows } = await connection.query(
        `SELECT CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR), TRUE, FALSE, CAST(1.5 AS DOUBLE), CAST('12345678901234567890.123456789' AS DECIMAL(38,9)),
          DATE '2024-02-29', TIMESTAMP '2024-02-29 23:59:59.123456', '\\x00\\x01'::BLOB, 9007199254740993::BIGINT`,
      );
      expect(rows).toEqual([
        [null, null, true, false, 1.5, '12345678901234567890.123456789', '2024-02-29', '2024-02-29T23:59:59.123456Z', Buffer.from([0, 1]), 9_007_199_254_740_993n],
      ]);
    });
  });

  describe("int64: 'number'", () => {
    test('LONG values inside 2^53 come back as numbers', async () => {
      const connection = await harness().connect({ int64: 'number' });
      const { rows } = await connection.query('SELECT id, col_bigint FROM mock_table WHERE id IN (1, 2) ORDER BY id');
      expect(rows).toEqual([
        [1, -5_000_000_035_000],
        [2, -4_999_000_034_993],
      ]);
      const max = await connection.query('SELECT 9007199254740991::BIGINT, -9007199254740991::BIGINT');
      expect(max.rows).toEqual([[Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]]);
    });

    test('a LONG past 2^53 fails the fetch with a RangeError (as the value table says), every later fetch too, and the query is freed', async () => {
      const connection = await harness().connect({ int64: 'number' });
      const cursor = connection.cursor();
      await cursor.execute('SELECT col_bigint FROM mock_table WHERE id = 14');
      const err = await rejectionOf(cursor.fetchAll(), RangeError);
      expect(err.message).toMatch(/2\^53|safe/i);
      // A broken result never reads as a finished one.
      expect(await rejectionOf(cursor.fetchOne(), RangeError)).toBe(err);
      expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
      await cursor.close();
    });
  });

  describe("int64: 'string'", () => {
    test('every LONG comes back as its exact decimal text', async () => {
      const connection = await harness().connect({ int64: 'string' });
      const { rows } = await connection.query('SELECT id, col_bigint FROM mock_table WHERE id IN (12, 13, 14) ORDER BY id');
      expect(rows).toEqual([
        ['12', '9223372036854775807'],
        ['13', '-9223372036854775808'],
        ['14', '9007199254740993'],
      ]);
      const count = await connection.query('SELECT COUNT(*) FROM mock_table');
      expect(count.rows).toEqual([['10000']]);
    });
  });
});
