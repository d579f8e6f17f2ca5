import { CodecError, EncodeError, decodeChunk, encodeChunk, type EncodeChunkInput, type EncodeVector, type VectorTypeName } from '@e6data-ts/grpc-transport';
import { D, T, bool, chunk, data, field, i32, i64, i8, list, str, struct } from '../../support/vectors/thrift-builder';

// encodeChunk: the value forms EncodeVector documents, the bytes it writes,
// and the typed errors for values a column cannot carry.

const roundTrip = (vectors: EncodeVector[], rowCount?: number): unknown[][] =>
  decodeChunk(encodeChunk({ vectors, ...(rowCount === undefined ? {} : { rowCount }) })).rows;
const column = (v: EncodeVector): unknown[] => roundTrip([v]).map((r) => r[0]);

function encodeError(input: EncodeChunkInput): EncodeError {
  try {
    encodeChunk(input);
  } catch (err) {
    expect(err).toBeInstanceOf(EncodeError);
    return err as EncodeError;
  }
  throw new Error('encodeChunk accepted the input');
}

describe('encodeChunk bytes', () => {
  it('matches an independently built chunk for a non-constant vector', () => {
    const expected = chunk(2, [
      struct(
        field(T.I32, 1, i32(2)),
        field(T.I32, 2, i32(5)),
        field(T.LIST, 3, list(T.BOOL, [bool(false), bool(true)])),
        field(T.STRUCT, 4, data(D.int32Data, field(T.LIST, 1, list(T.I32, [i32(7), i32(0)])))),
        field(T.BOOL, 5, bool(false)),
      ),
    ]);
    expect(encodeChunk({ vectors: [{ type: 'INTEGER', values: [7, null] }] }).toString('hex')).toBe(expected.toString('hex'));
  });

  it('writes a NULL vector as one constant null flag with nullConstantData', () => {
    const expected = chunk(3, [
      struct(
        field(T.I32, 1, i32(3)),
        field(T.I32, 2, i32(14)),
        field(T.LIST, 3, list(T.BOOL, [bool(true)])),
        field(T.STRUCT, 4, data(D.nullConstantData, field(T.BYTE, 1, i8(0)))),
        field(T.BOOL, 5, bool(true)),
      ),
    ]);
    expect(encodeChunk({ vectors: [{ type: 'NULL', values: [1, 2, 3] }] }).equals(expected)).toBe(true);
  });

  it('writes TIMESTAMP_TZ zones next to the values, and zoneOffset/format only when given', () => {
    const expected = chunk(2, [
      struct(
        field(T.I32, 1, i32(2)),
        field(T.I32, 2, i32(15)),
        field(T.LIST, 3, list(T.BOOL, [bool(false), bool(true)])),
        field(T.STRUCT, 4, data(D.timeData, field(T.LIST, 1, list(T.I64, [i64(5), i64(0)])), field(T.LIST, 2, list(T.STRING, [str('Asia/Kolkata'), str('')])))),
        field(T.BOOL, 5, bool(false)),
        field(T.STRING, 6, str('+05:30')),
        field(T.STRING, 7, str('yyyy')),
      ),
    ]);
    const bytes = encodeChunk({ vectors: [{ type: 'TIMESTAMP_TZ', values: [5n, null], zones: ['Asia/Kolkata', null], zoneOffset: '+05:30', format: 'yyyy' }] });
    expect(bytes.toString('hex')).toBe(expected.toString('hex'));
  });

  it('writes a constant NULL value with a placeholder under a set null flag', () => {
    expect(roundTrip([{ type: 'STRING', values: [null], constant: true }], 2)).toEqual([[null], [null]]);
  });
});

describe('row count', () => {
  it('defaults to the longest non-constant vector', () => {
    expect(decodeChunk(encodeChunk({ vectors: [{ type: 'LONG', values: [1n], constant: true }, { type: 'INTEGER', values: [1, 2, 3] }] })).rowCount).toBe(3);
  });

  it('is 1 when every vector is constant, 0 with no vectors', () => {
    expect(decodeChunk(encodeChunk({ vectors: [{ type: 'BOOLEAN', values: [true], constant: true }] })).rows).toEqual([[true]]);
    expect(decodeChunk(encodeChunk({ vectors: [] }))).toEqual({ rowCount: 0, rows: [], columnTypes: [] });
  });

  it.each([-1, 1.5, 2 ** 31])('refuses rowCount %p', (rowCount) => {
    expect(encodeError({ rowCount, vectors: [] }).code).toBe('BAD_SIZE');
  });

  it('refuses vectors of different lengths, and constants with other than one value', () => {
    expect(encodeError({ vectors: [{ type: 'INTEGER', values: [1] }, { type: 'INTEGER', values: [1, 2] }] })).toMatchObject({ code: 'BAD_SIZE', column: 0 });
    expect(encodeError({ rowCount: 2, vectors: [{ type: 'INTEGER', values: [1, 2, 3] }] }).code).toBe('BAD_SIZE');
    expect(encodeError({ vectors: [{ type: 'INTEGER', values: [1, 2], constant: true }] }).message).toMatch(/constant vector needs exactly 1 value/);
  });
});

describe('accepted value forms', () => {
  it('LONG: bigint, safe-integer number, decimal string', () => {
    expect(column({ type: 'LONG', values: [5n, -7, '9223372036854775807', '+3', null] })).toEqual([5n, -7n, 9223372036854775807n, 3n, null]);
  });

  it('INTEGER, DOUBLE, FLOAT, BOOLEAN', () => {
    expect(roundTrip([
      { type: 'INTEGER', values: [2147483647, null] },
      { type: 'DOUBLE', values: [-0, null] },
      { type: 'FLOAT', values: [Number.NEGATIVE_INFINITY, 0.5] },
      { type: 'BOOLEAN', values: [false, null] },
    ])).toEqual([[2147483647, -0, Number.NEGATIVE_INFINITY, false], [null, null, 0.5, null]]);
  });

  it('constants of every family', () => {
    const rows = roundTrip(
      [
        { type: 'INTEGER', values: [9], constant: true },
        { type: 'LONG', values: ['-5'], constant: true },
        { type: 'DOUBLE', values: [1.25], constant: true },
        { type: 'BOOLEAN', values: [true], constant: true },
        { type: 'STRING', values: ['s'], constant: true },
        { type: 'BINARY', values: [Buffer.of(1)], constant: true },
        { type: 'DATE', values: ['2024-02-29'], constant: true },
        { type: 'TIMESTAMP', values: ['2024-02-29T12:00:00Z'], constant: true },
        { type: 'TIMESTAMP_TZ', values: ['2024-02-29T12:00:00+05:30'], constant: true },
        { type: 'INT96', values: [0n], constant: true },
        { type: 'DECIMAL128', values: ['1.5'], constant: true },
        { type: 'NULL', values: [null], constant: true },
        { type: 'INTEGER', values: [null], constant: true },
      ],
      2,
    );
    const row = [9, -5n, 1.25, true, 's', Buffer.of(1), '2024-02-29', '2024-02-29T12:00:00.000000Z', '2024-02-29T12:00:00.000000+05:30', '1970-01-01T00:00:00.000000Z', '1.5', null, null];
    expect(rows).toEqual([row, row]);
  });

  it('STRING, ARRAY, MAP, STRUCT: strings, non-ASCII and long ones included', () => {
    const long = `${'ä'.repeat(300)}${'x'.repeat(300)}`;
    for (const type of ['STRING', 'ARRAY', 'MAP', 'STRUCT'] as const) {
      expect(column({ type, values: ['', 'x', 'naïve ✓ 😀', long, null] })).toEqual(['', 'x', 'naïve ✓ 😀', long, null]);
    }
  });

  it('BINARY: Buffer, Uint8Array, or a string as UTF-8', () => {
    expect(column({ type: 'BINARY', values: [Buffer.of(0, 255), new Uint8Array([7]), 'é', null] })).toEqual([Buffer.of(0, 255), Buffer.of(7), Buffer.from('é'), null]);
  });

  it('DATE: date strings (expanded years too), Dates, bigint microseconds', () => {
    expect(column({ type: 'DATE', values: ['2024-02-29', '+10000-01-01', '-000001-12-31', '+002024-01-01', new Date(Date.UTC(1969, 11, 31, 23)), -1n, null] })).toEqual([
      '2024-02-29',
      '+10000-01-01',
      '-000001-12-31',
      '2024-01-01',
      '1969-12-31',
      '1969-12-31',
      null,
    ]);
  });

  it('DATETIME, TIMESTAMP: ISO strings (offsets become UTC, fractions to microseconds), Dates, bigints', () => {
    const values = [
      '2024-01-02T08:30:00+05:30',
      '2024-01-02 03:00:00.1234567',
      '2024-01-02T03:00',
      '2024-01-02',
      '1969-12-31T23:59:59.999999Z',
      '2024-01-02T03:00:00,5-01:00',
      '2024-01-02T08:00:00+05',
      new Date(Date.UTC(2020, 0, 1, 0, 0, 0, 7)),
      -1n,
      null,
    ];
    const expected = [
      '2024-01-02T03:00:00.000000Z',
      '2024-01-02T03:00:00.123456Z',
      '2024-01-02T03:00:00.000000Z',
      '2024-01-02T00:00:00.000000Z',
      '1969-12-31T23:59:59.999999Z',
      '2024-01-02T04:00:00.500000Z',
      '2024-01-02T03:00:00.000000Z',
      '2020-01-01T00:00:00.007000Z',
      '1969-12-31T23:59:59.999999Z',
      null,
    ];
    expect(column({ type: 'TIMESTAMP', values })).toEqual(expected);
    expect(column({ type: 'DATETIME', values })).toEqual(expected);
  });

  it("TIMESTAMP_TZ: a string's offset becomes the row zone; zones[r] wins when given", () => {
    expect(column({ type: 'TIMESTAMP_TZ', values: ['2024-01-02T08:30:00.000000+05:30', '2024-01-02T03:00:00Z', '2024-01-02T03:00:00', '2024-01-02T03:00:00-0800'] })).toEqual([
      '2024-01-02T08:30:00.000000+05:30',
      '2024-01-02T03:00:00.000000+00:00',
      '2024-01-02T03:00:00.000000+00:00',
      '2024-01-02T03:00:00.000000-08:00',
    ]);
    expect(column({ type: 'TIMESTAMP_TZ', values: [1_704_164_400_000_000n, '2024-01-02T03:00:00Z', new Date(0), null], zones: ['Asia/Kolkata', 'America/New_York', null, 'UTC'] })).toEqual([
      '2024-01-02T08:30:00.000000+05:30',
      '2024-01-01T22:00:00.000000-05:00',
      '1970-01-01T00:00:00.000000+00:00',
      null,
    ]);
  });

  it('INT96: timestamp forms or 12 raw bytes', () => {
    const raw = Buffer.concat([i32(2_440_589), i64(1_000n)]);
    expect(column({ type: 'INT96', values: ['1969-12-31T23:59:59.999999Z', raw, null] })).toEqual(['1969-12-31T23:59:59.999999Z', '1970-01-02T00:00:00.000001Z', null]);
  });

  it('NULL: any values, all NULL', () => {
    expect(column({ type: 'NULL', values: [1, 'x', null] })).toEqual([null, null, null]);
  });
});

describe('refused values', () => {
  const cases: [string, VectorTypeName, unknown, string][] = [
    ['LONG from a fraction', 'LONG', 1.5, 'OUT_OF_RANGE'],
    ['LONG from an unsafe number', 'LONG', 2 ** 60, 'OUT_OF_RANGE'],
    ['LONG past int64', 'LONG', 2n ** 63n, 'OUT_OF_RANGE'],
    ['LONG from a non-integer string', 'LONG', '12a', 'BAD_VALUE'],
    ['LONG from a boolean', 'LONG', true, 'BAD_VALUE'],
    ['INTEGER past int32', 'INTEGER', 2 ** 31, 'BAD_VALUE'],
    ['INTEGER from a bigint', 'INTEGER', 1n, 'BAD_VALUE'],
    ['DOUBLE from a string', 'DOUBLE', '1.5', 'BAD_VALUE'],
    ['BOOLEAN from a number', 'BOOLEAN', 1, 'BAD_VALUE'],
    ['STRING from a number', 'STRING', 1, 'BAD_VALUE'],
    ['BINARY from an array', 'BINARY', [1, 2], 'BAD_VALUE'],
    ['DATE from an impossible date', 'DATE', '2023-02-29', 'BAD_VALUE'],
    ['DATE from month 13', 'DATE', '2023-13-01', 'BAD_VALUE'],
    ['DATE from a timestamp string', 'DATE', '2023-01-01T00:00:00Z', 'BAD_VALUE'],
    ['DATE from an invalid Date', 'DATE', new Date(Number.NaN), 'BAD_VALUE'],
    ['DATE past int64 microseconds', 'DATE', '+300000-01-01', 'OUT_OF_RANGE'],
    ['TIMESTAMP from hour 24', 'TIMESTAMP', '2024-01-01T24:00:00Z', 'BAD_VALUE'],
    ['TIMESTAMP from an offset past 18 hours', 'TIMESTAMP', '2024-01-01T00:00:00+19:00', 'BAD_VALUE'],
    ['TIMESTAMP from garbage', 'TIMESTAMP', 'yesterday', 'BAD_VALUE'],
    ['TIMESTAMP from an object', 'TIMESTAMP', {}, 'BAD_VALUE'],
    ['TIMESTAMP past int64', 'TIMESTAMP', 2n ** 63n, 'OUT_OF_RANGE'],
    ['INT96 from 11 bytes', 'INT96', Buffer.alloc(11), 'BAD_VALUE'],
  ];

  it.each(cases)('%s', (_name, type, value, code) => {
    const err = encodeError({ vectors: [{ type: 'INTEGER', values: [1, 2] }, { type, values: [null, value] }] });
    expect(err.code).toBe(code);
    expect(err.column).toBe(1);
    expect(err.row).toBe(1);
    expect(err.message).toContain('(column 1, row 1)');
    expect(err).toBeInstanceOf(CodecError);
  });

  it('an unknown TIMESTAMP_TZ zone', () => {
    expect(encodeError({ vectors: [{ type: 'TIMESTAMP_TZ', values: [0n], zones: ['Mars/Olympus_Mons'] }] }).code).toBe('BAD_ZONE');
  });

  it('an unknown vector type', () => {
    const err = encodeError({ vectors: [{ type: 'VARCHAR' as VectorTypeName, values: [] }] });
    expect(err.code).toBe('UNSUPPORTED_TYPE');
    expect(encodeError({ vectors: [{ type: 'toString' as VectorTypeName, values: [] }] }).code).toBe('UNSUPPORTED_TYPE');
  });

  it('messages give the JS type, never the value', () => {
    const err = encodeError({ vectors: [{ type: 'LONG', values: ['hunter2-token'] }] });
    expect(err.message).toMatch(/got a string/);
    expect(err.message).not.toContain('hunter2');
    expect(encodeError({ vectors: [{ type: 'STRING', values: [null] as unknown[] }, { type: 'STRING', values: [Buffer.of(1)] }] }).message).toMatch(/got a Buffer/);
    expect(encodeError({ vectors: [{ type: 'TIMESTAMP', values: [new Date(Number.NaN)] }] }).message).toMatch(/got a Date/);
  });
});
