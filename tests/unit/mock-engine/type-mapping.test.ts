// DuckDB column types -> e6data vectors: the type table, every value
// conversion, and a round trip through the real codec to the values a client
// finally sees. Pure: DuckDB types and values are built in JS, no database.
import { decodeChunk, decodeResultMetadata, encodeChunk, encodeResultMetadata } from '@e6data-ts/grpc-transport';
import { EngineError } from '@e6data-ts/mock-engine';
import {
  RESULT_ZONE,
  TIMESTAMP_TZ_ROW_ZONE,
  columnMetadata,
  duckdb,
  e6dataTypeName,
  mapColumnType,
  toEncodeVector,
} from '@e6data-ts/mock-engine/internal';
import { thrownBy } from '../../support/expected-error';

const {
  ANY, ARRAY, BIGINT, BIGNUM, BIT, BLOB, BOOLEAN, DATE, DECIMAL, DOUBLE, ENUM, FLOAT, HUGEINT, INTEGER, INTERVAL, LIST, MAP,
  SMALLINT, SQLNULL, STRUCT, TIME, TIMESTAMP, TIMESTAMPTZ, TIMESTAMP_MS, TIMESTAMP_NS, TIMESTAMP_S, TIMETZ, TINYINT, UBIGINT,
  UHUGEINT, UINTEGER, UNION, USMALLINT, UTINYINT, UUID, VARCHAR,
} = duckdb;

describe('mapColumnType: the type table', () => {
  const table: [string, string, duckdb.DuckDBType][] = [
    ['BOOLEAN', 'BOOLEAN', BOOLEAN],
    ['TINYINT', 'INTEGER', TINYINT],
    ['SMALLINT', 'INTEGER', SMALLINT],
    ['INTEGER', 'INTEGER', INTEGER],
    ['UTINYINT', 'INTEGER', UTINYINT],
    ['USMALLINT', 'INTEGER', USMALLINT],
    ['UINTEGER', 'LONG', UINTEGER],
    ['BIGINT', 'LONG', BIGINT],
    ['UBIGINT', 'LONG', UBIGINT],
    ['HUGEINT', 'LONG', HUGEINT],
    ['UHUGEINT', 'LONG', UHUGEINT],
    ['FLOAT', 'FLOAT', FLOAT],
    ['DOUBLE', 'DOUBLE', DOUBLE],
    ['VARCHAR', 'STRING', VARCHAR],
    ['BLOB', 'BINARY', BLOB],
    ['DATE', 'DATE', DATE],
    ['TIMESTAMP', 'DATETIME', TIMESTAMP],
    ['TIMESTAMP_S', 'DATETIME', TIMESTAMP_S],
    ['TIMESTAMP_MS', 'DATETIME', TIMESTAMP_MS],
    ['TIMESTAMP_NS', 'DATETIME', TIMESTAMP_NS],
    ['TIMESTAMPTZ', 'TIMESTAMP_TZ', TIMESTAMPTZ],
    ['DECIMAL(18,4)', 'DECIMAL128', DECIMAL(18, 4)],
    ['DECIMAL(38,10)', 'DECIMAL128', DECIMAL(38, 10)],
    ['LIST', 'ARRAY', LIST(INTEGER)],
    ['ARRAY', 'ARRAY', ARRAY(INTEGER, 2)],
    ['STRUCT', 'STRUCT', STRUCT({ a: INTEGER })],
    ['MAP', 'MAP', MAP(VARCHAR, INTEGER)],
    ['UUID', 'STRING', UUID],
    ['INTERVAL', 'STRING', INTERVAL],
    ['TIME', 'STRING', TIME],
    ['TIME WITH TIME ZONE', 'STRING', TIMETZ],
    ['ENUM', 'STRING', ENUM(['a', 'b'])],
    ['UNION', 'STRING', UNION({ n: INTEGER, s: VARCHAR })],
    ['BIT', 'STRING', BIT],
    ['BIGNUM', 'STRING', BIGNUM],
    ['ANY (no counterpart)', 'STRING', ANY],
    ['SQLNULL', 'NULL', SQLNULL],
  ];

  test.each(table)('%s -> %s', (_label, expected, type) => {
    expect(mapColumnType(type).vectorType).toBe(expected);
    expect(e6dataTypeName(type)).toBe(expected);
  });

  test('DECIMAL carries the column scale', () => {
    expect(mapColumnType(DECIMAL(18, 4)).scale).toBe(4);
    expect(mapColumnType(DECIMAL(38, 10)).scale).toBe(10);
    expect(mapColumnType(DECIMAL(5, 0)).scale).toBe(0);
    expect(mapColumnType(BIGINT).scale).toBeUndefined();
  });

  test('metadata names the column, its type, zone UTC and an empty format', () => {
    expect(columnMetadata('amount', mapColumnType(DECIMAL(18, 4)))).toEqual({ name: 'amount', type: 'DECIMAL128', zone: RESULT_ZONE, format: '' });
    expect(RESULT_ZONE).toBe('UTC');
  });
});

function convert(type: duckdb.DuckDBType, value: duckdb.DuckDBValue): unknown {
  return toEncodeVector('c', mapColumnType(type), [value]).values[0];
}

describe('toEncodeVector: value conversion', () => {
  test('integers, floats, booleans and text pass through; 64-bit values become bigint', () => {
    expect(convert(INTEGER, -2147483648)).toBe(-2147483648);
    expect(convert(DOUBLE, 1.5)).toBe(1.5);
    expect(convert(FLOAT, -0.25)).toBe(-0.25);
    expect(convert(BOOLEAN, false)).toBe(false);
    expect(convert(VARCHAR, 'héllo ✓')).toBe('héllo ✓');
    expect(convert(ENUM(['x']), 'x')).toBe('x');
    expect(convert(BIGINT, -9223372036854775808n)).toBe(-9223372036854775808n);
    expect(convert(UINTEGER, 4294967295)).toBe(4294967295n);
    expect(convert(HUGEINT, 9007199254740993n)).toBe(9007199254740993n);
  });

  test('a 64-bit overflow is a VALUE_OUT_OF_RANGE error naming the column and row', () => {
    const mapping = mapColumnType(HUGEINT);
    const run = (): unknown => toEncodeVector('big', mapping, [1n, 2n ** 63n]);
    expect(run).toThrow(EngineError);
    expect(run).toThrow(/column big, row 2 .*does not fit in a 64-bit LONG/);
    expect(thrownBy(run, EngineError).code).toBe('VALUE_OUT_OF_RANGE');
    expect(() => convert(UBIGINT, 18446744073709551615n)).toThrow(/does not fit/);
    expect(convert(UBIGINT, 9223372036854775807n)).toBe(9223372036854775807n);
    expect(() => convert(UHUGEINT, -1n - 2n ** 63n)).toThrow(/does not fit/);
  });

  test('DATE becomes microseconds since the epoch, before 1970 too', () => {
    expect(convert(DATE, duckdb.dateValue(0))).toBe(0n);
    expect(convert(DATE, duckdb.dateValue(-1))).toBe(-86_400_000_000n);
    expect(convert(DATE, duckdb.dateValue({ year: 1, month: 1, day: 1 }))).toBe(-62_135_596_800_000_000n);
    expect(convert(DATE, duckdb.dateValue({ year: 2023, month: 11, day: 14 }))).toBe(1_699_920_000_000_000n);
  });

  test('infinite and out-of-int64 dates are refused', () => {
    expect(() => convert(DATE, duckdb.DuckDBDateValue.PosInf)).toThrow(/has no e6data wire form/);
    expect(() => convert(DATE, duckdb.dateValue(200_000_000))).toThrow(/does not fit/);
  });

  test('every timestamp precision becomes microseconds; nanoseconds floor', () => {
    expect(convert(TIMESTAMP, duckdb.timestampValue(-1n))).toBe(-1n);
    expect(convert(TIMESTAMP_S, duckdb.timestampSecondsValue(-2n))).toBe(-2_000_000n);
    expect(convert(TIMESTAMP_MS, duckdb.timestampMillisValue(1_500n))).toBe(1_500_000n);
    expect(convert(TIMESTAMP_NS, duckdb.timestampNanosValue(1_999n))).toBe(1n);
    expect(convert(TIMESTAMP_NS, duckdb.timestampNanosValue(-1n))).toBe(-1n);
    expect(convert(TIMESTAMP_NS, duckdb.timestampNanosValue(-1_000n))).toBe(-1n);
    expect(convert(TIMESTAMP_NS, duckdb.timestampNanosValue(-1_001n))).toBe(-2n);
  });

  test('infinite timestamps are refused, whatever the precision', () => {
    expect(() => convert(TIMESTAMP, duckdb.DuckDBTimestampValue.PosInf)).toThrow(/no e6data wire form/);
    expect(() => convert(TIMESTAMP_S, duckdb.DuckDBTimestampSecondsValue.NegInf)).toThrow(/no e6data wire form/);
    expect(() => convert(TIMESTAMP_MS, duckdb.DuckDBTimestampMillisecondsValue.PosInf)).toThrow(/no e6data wire form/);
    expect(() => convert(TIMESTAMP_NS, duckdb.DuckDBTimestampNanosecondsValue.NegInf)).toThrow(/no e6data wire form/);
    expect(() => convert(TIMESTAMPTZ, duckdb.DuckDBTimestampTZValue.PosInf)).toThrow(/no e6data wire form/);
  });

  test('TIMESTAMPTZ carries a +00:00 zone on every non-NULL row', () => {
    const vector = toEncodeVector('tz', mapColumnType(TIMESTAMPTZ), [duckdb.timestampTZValue(5n), null]);
    expect(vector).toEqual({ type: 'TIMESTAMP_TZ', values: [5n, null], zones: [TIMESTAMP_TZ_ROW_ZONE, null] });
  });

  test('DECIMAL becomes the unscaled bigint with the vector scale', () => {
    const vector = toEncodeVector('d', mapColumnType(DECIMAL(18, 4)), [duckdb.decimalValue(-987654321n, 18, 4), null]);
    expect(vector).toEqual({ type: 'DECIMAL128', scale: 4, values: [-987654321n, null] });
  });

  test('BLOB becomes a Buffer of the same bytes', () => {
    const value = convert(BLOB, duckdb.blobValue(new Uint8Array([0, 255, 65])));
    expect(Buffer.isBuffer(value)).toBe(true);
    expect([...(value as Buffer)]).toEqual([0, 255, 65]);
  });

  test('nested and foreign types travel as their text form', () => {
    expect(convert(LIST(INTEGER), duckdb.listValue([1, null, 3]))).toBe('[1, NULL, 3]');
    expect(convert(ARRAY(INTEGER, 2), duckdb.arrayValue([1, 2]))).toBe('[1, 2]');
    expect(convert(STRUCT({ name: VARCHAR, n: INTEGER }), duckdb.structValue({ name: 'a', n: 1 }))).toBe("{'name': 'a', 'n': 1}");
    expect(convert(MAP(VARCHAR, INTEGER), duckdb.mapValue([{ key: 'k', value: 1 }]))).toBe("{'k': 1}");
    expect(convert(INTERVAL, duckdb.intervalValue(0, 1, 0n))).toBe('1 day');
    expect(convert(TIME, duckdb.timeValue(3_600_000_000n))).toBe('01:00:00');
    expect(convert(UUID, duckdb.uuidValue(0n))).toMatch(/^[0-9a-f-]{36}$/);
    expect(convert(BIGNUM, 123n)).toBe('123');
  });

  test('NULL stays null, and a NULL-typed column has only nulls', () => {
    expect(toEncodeVector('n', mapColumnType(SQLNULL), [null, null])).toEqual({ type: 'NULL', values: [null, null] });
    expect(toEncodeVector('i', mapColumnType(INTEGER), [null, 1])).toEqual({ type: 'INTEGER', values: [null, 1] });
  });
});

describe('through the codec: what a client finally reads', () => {
  test('one row of every mapped type decodes to the documented client values', () => {
    const columns: [string, duckdb.DuckDBType, duckdb.DuckDBValue][] = [
      ['long', BIGINT, 9007199254740993n],
      ['int', SMALLINT, -32768],
      ['dbl', DOUBLE, 2.5],
      ['flt', FLOAT, 0.5],
      ['str', VARCHAR, 'x'],
      ['bool', BOOLEAN, true],
      ['date', DATE, duckdb.dateValue({ year: 1969, month: 12, day: 31 })],
      ['ts', TIMESTAMP, duckdb.timestampValue(-1n)],
      ['tz', TIMESTAMPTZ, duckdb.timestampTZValue(1_700_000_000_123_456n)],
      ['dec', DECIMAL(18, 4), duckdb.decimalValue(-987654321n, 18, 4)],
      ['bin', BLOB, duckdb.blobValue(new Uint8Array([1, 2]))],
      ['list', LIST(INTEGER), duckdb.listValue([1, 2])],
      ['nul', INTEGER, null],
    ];
    const mappings = columns.map(([, type]) => mapColumnType(type));
    const chunk = encodeChunk({ vectors: columns.map(([name, , value], i) => toEncodeVector(name, mappings[i]!, [value])) });
    expect(decodeChunk(chunk).rows).toEqual([
      [
        9007199254740993n,
        -32768,
        2.5,
        0.5,
        'x',
        true,
        '1969-12-31',
        '1969-12-31T23:59:59.999999Z',
        '2023-11-14T22:13:20.123456+00:00',
        '-98765.4321',
        Buffer.from([1, 2]),
        '[1, 2]',
        null,
      ],
    ]);
    const metadata = decodeResultMetadata(encodeResultMetadata({ rowCount: 1, columns: columns.map(([name], i) => columnMetadata(name, mappings[i]!)) }));
    expect(metadata.columns.map((c) => c.type)).toEqual([
      'LONG', 'INTEGER', 'DOUBLE', 'FLOAT', 'STRING', 'BOOLEAN', 'DATE', 'DATETIME', 'TIMESTAMP_TZ', 'DECIMAL128', 'BINARY', 'ARRAY', 'INTEGER',
    ]);
  });
});
