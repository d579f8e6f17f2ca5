// `mock_table`: one column per e6data type, computed in SQL from the row
// number alone (no randomness), so it is identical on every run and every
// engine. Every value column has NULLs (each with its own period, all of them
// within the first ten rows), and the table holds edge values: 64-bit
// extremes, a LONG past 2^53, pre-1970 dates and timestamps with microseconds,
// negative decimals and the widest DECIMAL(38,10) values, empty strings,
// lists and blobs, and non-ASCII text.

/** One column of mock_table: its name, DuckDB type and the SQL that fills it. */
export interface MockTableColumn {
  readonly name: string;
  /** The DuckDB column type. */
  readonly type: string;
  /** The SQL expression of the column over the row number `i` (0-based). */
  readonly expression: string;
}

/** A CASE that is NULL every `period` rows starting at row `first`, then tries the edge cases, then `otherwise`. */
function column(name: string, type: string, nullEvery: [period: number, first: number], edges: readonly [row: number, sql: string][], otherwise: string): MockTableColumn {
  const [period, first] = nullEvery;
  const edgeArms = edges.map(([row, sql]) => ` WHEN i % 1000 = ${row} THEN ${sql}`).join('');
  return { name, type, expression: `CAST(CASE WHEN i % ${period} = ${first} THEN NULL${edgeArms} ELSE ${otherwise} END AS ${type})` };
}

/**
 * An exact decimal built with decimal arithmetic from an integer part and a
 * fraction (in units of 10^-scale) carrying the integer part's sign. Casting
 * text to DECIMAL(38,x) would be ~50x slower.
 */
function exactDecimal(integerPart: string, fractionPart: string, scale: number): string {
  const unit = `CAST(0.${'0'.repeat(scale - 1)}1 AS DECIMAL(38,${scale}))`;
  const signedFraction = `CAST((CASE WHEN (${integerPart}) < 0 THEN -1 ELSE 1 END) * (${fractionPart}) AS DECIMAL(38,0))`;
  return `(CAST(${integerPart} AS DECIMAL(38,${scale})) + ${signedFraction} * ${unit})`;
}

/** Edge values given as text, cast to `type` (so the CASE keeps a numeric type). */
function typedEdges(type: string, edges: readonly [row: number, text: string][]): [row: number, sql: string][] {
  return edges.map(([row, text]) => [row, `CAST('${text}' AS ${type})`]);
}

const WIDE_DECIMAL = '9999999999999999999999999999.9999999999';

/** The columns of mock_table, in order. */
export const MOCK_TABLE_COLUMNS: readonly MockTableColumn[] = [
  { name: 'id', type: 'BIGINT', expression: 'CAST(i + 1 AS BIGINT)' },
  column('col_bigint', 'BIGINT', [97, 5], [[11, '9223372036854775807'], [12, '-9223372036854775808'], [13, '9007199254740993']], '(i - 5000) * 1000000007'),
  column('col_integer', 'INTEGER', [89, 7], [[14, '2147483647'], [15, '-2147483648']], '((i * 7919) % 200001) - 100000'),
  column('col_smallint', 'SMALLINT', [83, 3], [[16, '32767'], [17, '-32768']], '((i * 31) % 65536) - 32768'),
  column('col_double', 'DOUBLE', [79, 2], [[18, '1.7976931348623157e308'], [19, '-2.2250738585072014e-308']], 'CAST(i AS DOUBLE) / 7.0 - 700.0'),
  column('col_real', 'REAL', [73, 8], [[20, '-3.4028234663852886e38']], '(i % 2000) * 0.5 - 500'),
  column('col_varchar', 'VARCHAR', [71, 1], [[21, "''"], [22, "'héllo ✓ naïve 😀'"], [23, "'it''s \"quoted\", comma'"]], "'row-' || CAST(i AS VARCHAR)"),
  column('col_boolean', 'BOOLEAN', [67, 4], [], 'i % 3 = 0'),
  column('col_date', 'DATE', [61, 6], [[24, "DATE '0001-01-01'"], [25, "DATE '9999-12-31'"], [26, "DATE '1969-12-31'"]], "DATE '1900-01-01' + CAST((i * 37) % 73000 AS INTEGER)"),
  column(
    'col_timestamp',
    'TIMESTAMP',
    [59, 9],
    [[27, "TIMESTAMP '1969-12-31 23:59:59.999999'"], [28, "TIMESTAMP '1900-01-01 00:00:00.000001'"]],
    'make_timestamp(CAST(-2208988800000000 + i * 987654321987 AS BIGINT))',
  ),
  column(
    'col_timestamptz',
    'TIMESTAMPTZ',
    [53, 0],
    [[29, "TIMESTAMPTZ '1969-12-31 23:59:59.5+00'"]],
    // timezone('UTC', ...) reads the wall time as UTC whatever the session's TimeZone; a CAST would not.
    "timezone('UTC', make_timestamp(CAST(-1577923200000000 + i * 456789123457 AS BIGINT)))",
  ),
  column(
    'col_decimal_18_4',
    'DECIMAL(18,4)',
    [47, 3],
    typedEdges('DECIMAL(18,4)', [[30, '99999999999999.9999'], [31, '-99999999999999.9999'], [32, '-0.0001']]),
    exactDecimal('((i * 7919) % 2000000) - 1000000', '(i * 104729) % 10000', 4),
  ),
  column(
    'col_decimal_38_10',
    'DECIMAL(38,10)',
    [43, 5],
    typedEdges('DECIMAL(38,10)', [[33, WIDE_DECIMAL], [34, `-${WIDE_DECIMAL}`], [35, '-0.0000000001']]),
    exactDecimal('(i - 5000) * 1234567890123', '(i * 104729) % 10000000000', 10),
  ),
  column('col_blob', 'BLOB', [41, 7], [[36, "''"]], "unhex(printf('%02x%02x00ff', i % 256, (i * 7) % 256))"),
  column('col_list', 'INTEGER[]', [37, 2], [[37, '[]'], [38, '[1, NULL, 3]']], '[CAST(i % 100 AS INTEGER), CAST((i * 3) % 100 AS INTEGER)]'),
  column('col_struct', 'STRUCT(name VARCHAR, score INTEGER)', [31, 4], [], "{'name': 'item-' || CAST(i AS VARCHAR), 'score': CAST(i % 50 AS INTEGER)}"),
  column('col_map', 'MAP(VARCHAR, INTEGER)', [29, 6], [], "MAP {'a': CAST(i % 7 AS INTEGER), 'b': CAST(i % 11 AS INTEGER)}"),
];

/** CREATE TABLE statement for `mock_table` with `rows` rows, in `qualifiedName`. */
export function mockTableSql(qualifiedName: string, rows: number): string {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`mock_table rows must be a non-negative integer, got ${rows}`);
  const columns = MOCK_TABLE_COLUMNS.map((c) => `  ${c.expression} AS ${c.name}`).join(',\n');
  return `CREATE TABLE ${qualifiedName} AS\nSELECT\n${columns}\nFROM range(${rows}) AS r(i)\nORDER BY i`;
}
