// The seeded data set: the pure generators are deterministic, and the SQL they
// produce builds (in an in-memory DuckDB, no sockets) the tables the engine
// promises, identical on every build.
import { DATASET_CATALOG, DATASET_SCHEMAS, DEFAULT_MOCK_TABLE_ROWS, MOCK_TABLE_COLUMNS } from '@e6data-ts/mock-engine';
import {
  DEFAULT_BUSINESS_TABLE_SIZES,
  buildSeedStatements,
  createPrng,
  duckdb,
  generateBusinessTables,
  mockTableSql,
  sqlDate,
  sqlDecimal,
  sqlIdent,
  sqlLiteral,
  sqlString,
  sqlTimestamp,
  type TableData,
} from '@e6data-ts/mock-engine/internal';

describe('createPrng', () => {
  test('the same seed gives the same sequence; another seed another one', () => {
    const draw = (seed: number): number[] => {
      const prng = createPrng(seed);
      return Array.from({ length: 20 }, () => prng.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  test('int stays within its inclusive bounds and reaches both; pick refuses an empty list', () => {
    const prng = createPrng(7);
    const seen = new Set(Array.from({ length: 500 }, () => prng.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
    expect(['a', 'b']).toContain(prng.pick(['a', 'b']));
    expect(() => prng.pick([])).toThrow(RangeError);
  });
});

describe('SQL literal helpers', () => {
  test('each value kind renders as a DuckDB literal', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('TRUE');
    expect(sqlLiteral(false)).toBe('FALSE');
    expect(sqlLiteral(-1.5)).toBe('-1.5');
    expect(sqlLiteral(9007199254740993n)).toBe('9007199254740993');
    expect(sqlLiteral("O'Brien")).toBe("'O''Brien'");
    expect(sqlLiteral(sqlDate('1969-07-20'))).toBe("DATE '1969-07-20'");
    expect(sqlLiteral(sqlTimestamp('1969-07-20 20:17:40'))).toBe("TIMESTAMP '1969-07-20 20:17:40'");
    expect(sqlLiteral(sqlDecimal('-12.50'))).toBe('-12.50');
    expect(sqlIdent('we"ird')).toBe('"we""ird"');
    expect(sqlString('a')).toBe("'a'");
  });

  test('values without a literal are refused', () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(RangeError);
    expect(() => sqlLiteral(Infinity)).toThrow(RangeError);
    expect(() => sqlDecimal('1e5')).toThrow(/not a plain decimal/);
    expect(() => sqlDecimal('1; DROP TABLE x')).toThrow(/not a plain decimal/);
  });
});

function column(table: TableData, name: string): unknown[] {
  const index = table.columns.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`no column ${name} in ${table.name}`);
  return table.rows.map((row) => row[index]);
}

function byName(tables: TableData[], name: string): TableData {
  const table = tables.find((t) => t.name === name);
  if (!table) throw new Error(`no table ${name}`);
  return table;
}

describe('generateBusinessTables', () => {
  const tables = generateBusinessTables(1234);

  test('is deterministic: same seed, same rows; another seed, other rows', () => {
    expect(generateBusinessTables(1234)).toEqual(tables);
    expect(generateBusinessTables(1235)).not.toEqual(tables);
  });

  test('has the documented tables, schemas and sizes', () => {
    expect(tables.map((t) => `${t.schema}.${t.name}`)).toEqual([
      'sales.customers',
      'sales.products',
      'sales.orders',
      'marketing.campaigns',
      'marketing.leads',
      'finance.invoices',
    ]);
    expect(byName(tables, 'customers').rows).toHaveLength(DEFAULT_BUSINESS_TABLE_SIZES.customers);
    expect(byName(tables, 'orders').rows).toHaveLength(DEFAULT_BUSINESS_TABLE_SIZES.orders);
    expect(generateBusinessTables(1, { orders: 5 }).find((t) => t.name === 'orders')?.rows).toHaveLength(5);
    for (const table of tables) for (const row of table.rows) expect(row).toHaveLength(table.columns.length);
  });

  test('foreign keys point at existing rows', () => {
    const customerIds = new Set(column(byName(tables, 'customers'), 'customer_id'));
    const productIds = new Set(column(byName(tables, 'products'), 'product_id'));
    const orderIds = new Set(column(byName(tables, 'orders'), 'order_id'));
    expect(column(byName(tables, 'orders'), 'customer_id').every((id) => customerIds.has(id))).toBe(true);
    expect(column(byName(tables, 'orders'), 'product_id').every((id) => productIds.has(id))).toBe(true);
    expect(column(byName(tables, 'invoices'), 'order_id').every((id) => orderIds.has(id))).toBe(true);
    const leadCustomers = column(byName(tables, 'leads'), 'customer_id');
    expect(leadCustomers.some((id) => id === null)).toBe(true);
    expect(leadCustomers.filter((id) => id !== null).every((id) => customerIds.has(id))).toBe(true);
  });

  test('refuses a non-positive size', () => {
    expect(() => generateBusinessTables(1, { customers: 0 })).toThrow(/customers must be a positive integer/);
    expect(() => generateBusinessTables(1, { orders: 1.5 })).toThrow(RangeError);
  });
});

describe('buildSeedStatements', () => {
  test('is pure: the same options give the same statements', () => {
    expect(buildSeedStatements()).toEqual(buildSeedStatements());
    expect(buildSeedStatements({ seed: 1 })).not.toEqual(buildSeedStatements({ seed: 2 }));
  });

  test('creates the four schemas in the catalog and mock_table with the default row count', () => {
    const statements = buildSeedStatements();
    for (const schema of DATASET_SCHEMAS) expect(statements).toContain(`CREATE SCHEMA IF NOT EXISTS "${DATASET_CATALOG}"."${schema}"`);
    expect(statements.find((s) => s.includes('"mock_table"'))).toContain(`FROM range(${DEFAULT_MOCK_TABLE_ROWS})`);
    expect(buildSeedStatements({ catalog: 'other', mockTableRows: 5 }).join('\n')).toContain('"other"."main"."mock_table" AS');
  });

  test('mockTableSql refuses an impossible row count', () => {
    expect(() => mockTableSql('t', -1)).toThrow(RangeError);
    expect(() => mockTableSql('t', 2.5)).toThrow(RangeError);
  });
});

describe('the data set built in DuckDB', () => {
  let instance: duckdb.DuckDBInstance;
  let connection: duckdb.DuckDBConnection;

  async function build(timeZone = 'UTC'): Promise<{ instance: duckdb.DuckDBInstance; connection: duckdb.DuckDBConnection }> {
    const db = await duckdb.DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`SET TimeZone = '${timeZone}'; ATTACH ':memory:' AS ${DATASET_CATALOG}`);
    for (const statement of buildSeedStatements()) await conn.run(statement);
    return { instance: db, connection: conn };
  }

  async function rows(sql: string): Promise<duckdb.DuckDBValue[][]> {
    return (await connection.runAndReadAll(sql)).getRows();
  }

  beforeAll(async () => {
    ({ instance, connection } = await build());
  });

  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  test('mock_table has 10,000 rows and a column of every e6data type', async () => {
    expect(await rows('SELECT COUNT(*) FROM e6data.main.mock_table')).toEqual([[10_000n]]);
    const reader = await connection.runAndReadAll('SELECT * FROM e6data.main.mock_table LIMIT 0');
    expect(reader.columnTypes().map(String)).toEqual([
      'BIGINT',
      'BIGINT',
      'INTEGER',
      'SMALLINT',
      'DOUBLE',
      'FLOAT',
      'VARCHAR',
      'BOOLEAN',
      'DATE',
      'TIMESTAMP',
      'TIMESTAMP WITH TIME ZONE',
      'DECIMAL(18,4)',
      'DECIMAL(38,10)',
      'BLOB',
      'INTEGER[]',
      'STRUCT("name" VARCHAR, "score" INTEGER)',
      'MAP(VARCHAR, INTEGER)',
    ]);
    expect(reader.columnNames()).toEqual(MOCK_TABLE_COLUMNS.map((c) => c.name));
  });

  test('every value column has NULLs, among the first ten rows and further on', async () => {
    const valueColumns = MOCK_TABLE_COLUMNS.filter((c) => c.name !== 'id').map((c) => c.name);
    const counts = await rows(
      `SELECT ${valueColumns.map((c) => `COUNT(*) FILTER (WHERE ${c} IS NULL AND id <= 10), COUNT(*) FILTER (WHERE ${c} IS NULL AND id > 10)`).join(', ')} FROM e6data.main.mock_table`,
    );
    expect(counts[0]?.every((n) => (n as bigint) > 0n)).toBe(true);
    expect(await rows('SELECT COUNT(*) FROM e6data.main.mock_table WHERE id IS NULL')).toEqual([[0n]]);
  });

  test('holds the edge values: pre-1970 temporals, negative decimals, 64-bit extremes', async () => {
    const [edges] = await rows(`SELECT
      COUNT(*) FILTER (WHERE col_date < DATE '1970-01-01'),
      COUNT(*) FILTER (WHERE col_timestamp < TIMESTAMP '1970-01-01' AND microsecond(col_timestamp) % 1000000 <> 0),
      COUNT(*) FILTER (WHERE col_timestamptz < TIMESTAMPTZ '1970-01-01 00:00:00+00'),
      COUNT(*) FILTER (WHERE col_decimal_18_4 < 0), COUNT(*) FILTER (WHERE col_decimal_38_10 < 0),
      MAX(col_bigint) = 9223372036854775807, MIN(col_bigint) = -9223372036854775808,
      COUNT(*) FILTER (WHERE col_bigint = 9007199254740993),
      MAX(col_decimal_38_10) = 9999999999999999999999999999.9999999999,
      MIN(col_date) = DATE '0001-01-01', MAX(col_date) = DATE '9999-12-31',
      COUNT(*) FILTER (WHERE col_varchar = ''), COUNT(*) FILTER (WHERE len(col_list) = 0)
      FROM e6data.main.mock_table`);
    expect(edges?.slice(0, 5).every((n) => (n as bigint) > 0n)).toBe(true);
    expect(edges?.slice(5, 7)).toEqual([true, true]);
    expect(edges?.[7]).toBeGreaterThan(0n);
    expect(edges?.slice(8, 11)).toEqual([true, true, true]);
    expect(edges?.slice(11).every((n) => (n as bigint) > 0n)).toBe(true);
  });

  test('the business schemas and the analytics views answer queries', async () => {
    expect(await rows(`SELECT COUNT(*) FROM e6data.sales.orders`)).toEqual([[BigInt(DEFAULT_BUSINESS_TABLE_SIZES.orders)]]);
    expect(await rows(`SELECT COUNT(*) FROM e6data.sales.orders o LEFT JOIN e6data.sales.customers c USING (customer_id) WHERE c.customer_id IS NULL`)).toEqual([[0n]]);
    expect(await rows(`SELECT COUNT(*) FROM e6data.sales.orders o JOIN e6data.sales.products p USING (product_id) WHERE o.total_amount <> o.quantity * p.unit_price`)).toEqual([[0n]]);
    const [[days, revenue]] = (await rows(`SELECT COUNT(*), SUM(revenue) > 0 FROM e6data.analytics.daily_revenue`)) as [[bigint, boolean]];
    expect(days).toBeGreaterThan(0n);
    expect(revenue).toBe(true);
    expect(await rows(`SELECT COUNT(*) FROM e6data.analytics.customer_summary`)).toEqual([[BigInt(DEFAULT_BUSINESS_TABLE_SIZES.customers)]]);
  });

  test('two builds are identical, row for row, whatever the session time zone', async () => {
    // Instants as epoch microseconds: their text form would follow the session zone.
    const digest = `SELECT md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY id))
      FROM (SELECT * EXCLUDE (col_timestamptz), epoch_us(col_timestamptz) AS tz_us FROM e6data.main.mock_table) AS t`;
    const ordersDigest = `SELECT md5(string_agg(CAST(o AS VARCHAR), '|' ORDER BY order_id)) FROM e6data.sales.orders AS o`;
    const other = await build('Asia/Kolkata');
    try {
      const read = async (conn: duckdb.DuckDBConnection, sql: string): Promise<unknown> => (await conn.runAndReadAll(sql)).getRows();
      expect(await read(other.connection, digest)).toEqual(await read(connection, digest));
      expect(await read(other.connection, ordersDigest)).toEqual(await read(connection, ordersDigest));
    } finally {
      other.connection.closeSync();
      other.instance.closeSync();
    }
  });
});
