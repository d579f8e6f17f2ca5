// executeStatementV2 parameters: text parsing, binding rules, and binding a
// real DuckDB prepared statement.
import fc from 'fast-check';
import { EngineError } from '@e6data-ts/mock-engine';
import {
  PARAMETER_TYPES,
  bindParameters,
  daysFromCivil,
  duckdb,
  parseDateText,
  parseTimestampText,
  type BindTarget,
} from '@e6data-ts/mock-engine/internal';
import { thrownBy } from '../../support/expected-error';

describe('parseDateText / daysFromCivil', () => {
  test.each([
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['2000-02-29', 11_016],
    ['0001-01-01', -719_162],
    ['+10000-01-01', 2_932_897],
  ])('%s -> day %i', (text, days) => {
    expect(parseDateText(text)).toBe(days);
  });

  test('agrees with Date for every day of four centuries', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 100_000 }), (day) => {
        const date = new Date(day * 86_400_000);
        expect(daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate())).toBe(day);
      }),
    );
  });

  test.each(['2023-02-29', '2023-13-01', '2023-00-10', '2023-1-1', 'yesterday', ''])('refuses %j', (text) => {
    expect(() => parseDateText(text)).toThrow(RangeError);
  });
});

describe('parseTimestampText', () => {
  test.each([
    ['1970-01-01 00:00:00', 0n],
    ['1970-01-01T00:00:00Z', 0n],
    ['1969-12-31 23:59:59.999999', -1n],
    ['1969-12-31T23:59:59.5', -500_000n],
    ['2024-01-02T08:30:00+05:30', 1_704_164_400_000_000n],
    ['2024-01-02T03:00:00-0000', 1_704_164_400_000_000n],
    ['2024-01-02 03:00', 1_704_164_400_000_000n],
    ['2024-01-02', 1_704_153_600_000_000n],
    ['2024-01-02 03:00:00.123456789', 1_704_164_400_123_456n],
  ])('%s -> %s µs', (text, micros) => {
    expect(parseTimestampText(text)).toBe(micros);
  });

  test.each(['2024-01-02 24:00:00', '2024-01-02 10:60:00', '2024-01-02T10:00:00+19:00', '2024-02-30 00:00:00', 'now'])('refuses %j', (text) => {
    expect(() => parseTimestampText(text)).toThrow(RangeError);
  });
});

/** A BindTarget that records what was bound. */
function recorder(parameterCount: number): BindTarget & { calls: [string, number, unknown][] } {
  const calls: [string, number, unknown][] = [];
  const record =
    (kind: string) =>
    (index: number, value?: unknown): void => {
      calls.push([kind, index, value]);
    };
  return {
    parameterCount,
    calls,
    clearBindings: () => calls.push(['clear', 0, undefined]),
    bindVarchar: record('varchar'),
    bindInteger: record('integer'),
    bindBigInt: record('bigint'),
    bindDouble: record('double'),
    bindFloat: record('float'),
    bindBoolean: record('boolean'),
    bindDecimal: record('decimal'),
    bindDate: record('date'),
    bindTimestamp: record('timestamp'),
    bindNull: record('null'),
  };
}

function engineError(run: () => void): EngineError {
  return thrownBy(run, EngineError);
}

describe('bindParameters', () => {
  test('binds each type with the matching DuckDB call, indexes 1-based', () => {
    const target = recorder(11);
    bindParameters(target, [
      { index: 1, type: 'STRING', value: 'a' },
      { index: 2, type: 'integer', value: '-7' },
      { index: 3, type: 'LONG', value: '9223372036854775807' },
      { index: 4, type: 'DOUBLE', value: '2.5' },
      { index: 5, type: 'FLOAT', value: 'NaN' },
      { index: 6, type: 'BOOLEAN', value: 'TRUE' },
      { index: 7, type: 'DECIMAL', value: '-12.50' },
      { index: 8, type: 'DATE', value: '1969-12-31' },
      { index: 9, type: 'TIMESTAMP', value: '1969-12-31 23:59:59.999999' },
      { index: 10, type: 'NULL', value: '' },
      { index: 11, type: 'bigint', value: '-1' },
    ]);
    const [clear, ...calls] = target.calls;
    expect(clear?.[0]).toBe('clear');
    expect(calls.map(([kind, index]) => [kind, index])).toEqual([
      ['varchar', 1], ['integer', 2], ['bigint', 3], ['double', 4], ['float', 5], ['boolean', 6],
      ['decimal', 7], ['date', 8], ['timestamp', 9], ['null', 10], ['bigint', 11],
    ]);
    expect(calls[1]?.[2]).toBe(-7);
    expect(calls[2]?.[2]).toBe(9223372036854775807n);
    expect(Number.isNaN(calls[4]?.[2])).toBe(true);
    expect(calls[5]?.[2]).toBe(true);
    expect(String(calls[6]?.[2])).toBe('-12.50');
    expect((calls[7]?.[2] as duckdb.DuckDBDateValue).days).toBe(-1);
    expect((calls[8]?.[2] as duckdb.DuckDBTimestampValue).micros).toBe(-1n);
  });

  test('refuses out-of-range, repeated and missing indexes before binding anything', () => {
    const target = recorder(2);
    expect(engineError(() => bindParameters(target, [{ index: 0, type: 'STRING', value: 'x' }])).message).toMatch(/index 0 is out of range.*numbered from 1/);
    expect(engineError(() => bindParameters(target, [{ index: 3, type: 'STRING', value: 'x' }])).code).toBe('INVALID_PARAMETER');
    expect(
      engineError(() =>
        bindParameters(target, [
          { index: 1, type: 'STRING', value: 'x' },
          { index: 1, type: 'STRING', value: 'y' },
        ]),
      ).message,
    ).toMatch(/parameter 1 is given more than once/);
    expect(engineError(() => bindParameters(target, [{ index: 2, type: 'STRING', value: 'x' }])).message).toMatch(/missing 1/);
    expect(target.calls).toEqual([]);
  });

  test.each([
    ['INTEGER', '2147483648', /out of range/],
    ['INTEGER', '1.5', /not an integer/],
    ['LONG', '9223372036854775808', /out of range/],
    ['DOUBLE', 'abc', /not a number/],
    ['DOUBLE', '', /not a number/],
    ['BOOLEAN', 'yes', /not a boolean/],
    ['DECIMAL', '1e3', /not a plain decimal/],
    ['DECIMAL', '1'.repeat(39), /more than 38 digits/],
    ['DATE', '2023-02-30', /not a calendar date/],
    ['TIMESTAMP', 'noon', /not an ISO 8601 timestamp/],
    ['BLOB', 'x', /unsupported type; use one of STRING/],
  ])('refuses %s %j', (type, value, message) => {
    const error = engineError(() => bindParameters(recorder(1), [{ index: 1, type, value }]));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`parameter 1 (${type}`);
  });

  test('quotes only the start of a long value', () => {
    const error = engineError(() => bindParameters(recorder(1), [{ index: 1, type: 'INTEGER', value: '9'.repeat(500) }]));
    expect(error.message.length).toBeLessThan(200);
  });

  test('names every supported type', () => {
    expect(PARAMETER_TYPES).toEqual(expect.arrayContaining(['STRING', 'INTEGER', 'LONG', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'NULL']));
  });

  test('binds a real DuckDB statement so the values arrive typed', async () => {
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const statement = await connection.prepare(
        'SELECT ? AS s, ? + 1 AS i, ? AS l, ? AS d, ? AS b, ? AS dec, ? AS day, ? AS ts, ? IS NULL AS n',
      );
      bindParameters(statement, [
        { index: 1, type: 'STRING', value: "it's" },
        { index: 2, type: 'INTEGER', value: '41' },
        { index: 3, type: 'LONG', value: '9007199254740993' },
        { index: 4, type: 'DOUBLE', value: '-0.5' },
        { index: 5, type: 'BOOLEAN', value: 'false' },
        { index: 6, type: 'DECIMAL', value: '-98765.4321' },
        { index: 7, type: 'DATE', value: '1900-01-01' },
        { index: 8, type: 'TIMESTAMP', value: '1969-12-31T23:59:59.999999Z' },
        { index: 9, type: 'NULL', value: '' },
      ]);
      const reader = await statement.runAndReadAll();
      expect(reader.getRows()[0]?.map(String)).toEqual([
        "it's", '42', '9007199254740993', '-0.5', 'false', '-98765.4321', '1900-01-01', '1969-12-31 23:59:59.999999', 'true',
      ]);
      statement.destroySync();
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
