import { decodeChunk, decodeChunkColumns, VectorType as VT, type CellValue } from '@e6data-ts/grpc-transport';
import { D, T, bool, chunk, data, f64, field, i32, i64, i8, int128, list, oneColumn, str, struct, vector } from '../../support/vectors/thrift-builder';

// Every Data variant, decoded from bytes written by an independent builder,
// into the value forms of the value table (docs/wire.md section 7).

const DAY = 86_400_000_000n;
const listOf = (elem: number, items: Buffer[]): Buffer => field(T.LIST, 1, list(elem, items));

interface Case {
  name: string;
  type: number;
  size: number;
  data?: Buffer;
  nulls?: boolean[];
  constant?: boolean;
  expected: CellValue[];
}

const cases: Case[] = [
  { name: 'boolData', type: VT.BOOLEAN, size: 3, nulls: [false, false, true], data: data(D.boolData, listOf(T.BOOL, [bool(true), bool(false), bool(true)])), expected: [true, false, null] },
  { name: 'boolData: any non-zero byte is true', type: VT.BOOLEAN, size: 2, data: data(D.boolData, listOf(T.BOOL, [Buffer.of(7), Buffer.of(0)])), expected: [true, false] },
  {
    name: 'int32Data as INTEGER',
    type: VT.INTEGER,
    size: 4,
    nulls: [false, false, false, true],
    data: data(D.int32Data, listOf(T.I32, [i32(-2147483648), i32(2147483647), i32(0), i32(99)])),
    expected: [-2147483648, 2147483647, 0, null],
  },
  { name: 'int32Data as LONG', type: VT.LONG, size: 2, data: data(D.int32Data, listOf(T.I32, [i32(5), i32(-5)])), expected: [5n, -5n] },
  {
    name: 'int64Data at the int64 limits',
    type: VT.LONG,
    size: 5,
    nulls: [false, false, false, false, true],
    data: data(D.int64Data, listOf(T.I64, [i64(-(2n ** 63n)), i64(2n ** 63n - 1n), i64(2n ** 53n + 1n), i64(-(2n ** 53n) - 1n), i64(0)])),
    expected: [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, null],
  },
  {
    name: 'dateData',
    type: VT.DATE,
    size: 4,
    nulls: [false, false, false, true],
    data: data(D.dateData, listOf(T.I64, [i64(0), i64(-1), i64(19_782n * DAY + 43_200_000_000n), i64(0)])),
    expected: ['1970-01-01', '1969-12-31', '2024-02-29', null],
  },
  {
    name: 'float32Data (doubles on the wire)',
    type: VT.FLOAT,
    size: 4,
    data: data(D.float32Data, listOf(T.DOUBLE, [f64(1.5), f64(-0), f64(Number.NaN), f64(Number.POSITIVE_INFINITY)])),
    expected: [1.5, -0, Number.NaN, Number.POSITIVE_INFINITY],
  },
  {
    name: 'float64Data',
    type: VT.DOUBLE,
    size: 3,
    nulls: [false, false, true],
    data: data(D.float64Data, listOf(T.DOUBLE, [f64(Math.PI), f64(-1e308), f64(0)])),
    expected: [Math.PI, -1e308, null],
  },
  { name: 'float64Data as FLOAT', type: VT.FLOAT, size: 1, data: data(D.float64Data, listOf(T.DOUBLE, [f64(2.5)])), expected: [2.5] },
  { name: 'float32Data as DOUBLE', type: VT.DOUBLE, size: 1, data: data(D.float32Data, listOf(T.DOUBLE, [f64(-2.5)])), expected: [-2.5] },
  {
    name: 'varcharData as STRING',
    type: VT.STRING,
    size: 5,
    nulls: [false, false, false, false, true],
    data: data(D.varcharData, listOf(T.STRING, [str(''), str('plain'), str('héllo ✓'), str('😀 \u0000 end'), str('')])),
    expected: ['', 'plain', 'héllo ✓', '😀 \u0000 end', null],
  },
  { name: 'varcharData as ARRAY', type: VT.ARRAY, size: 1, data: data(D.varcharData, listOf(T.STRING, [str('[1,2,3]')])), expected: ['[1,2,3]'] },
  { name: 'varcharData as MAP', type: VT.MAP, size: 1, data: data(D.varcharData, listOf(T.STRING, [str('{a=1}')])), expected: ['{a=1}'] },
  { name: 'varcharData as STRUCT', type: VT.STRUCT, size: 1, data: data(D.varcharData, listOf(T.STRING, [str('{"x":1}')])), expected: ['{"x":1}'] },
  {
    name: 'varcharData as BINARY',
    type: VT.BINARY,
    size: 3,
    nulls: [false, false, true],
    data: data(D.varcharData, listOf(T.STRING, [str(Buffer.of(0, 255, 128)), str(Buffer.alloc(0)), str('')])),
    expected: [Buffer.of(0, 255, 128), Buffer.alloc(0), null],
  },
  { name: 'boolConstantData', type: VT.BOOLEAN, size: 3, constant: true, nulls: [false], data: data(D.boolConstantData, field(T.BOOL, 1, bool(true))), expected: [true, true, true] },
  { name: 'dateConstantData', type: VT.DATE, size: 2, constant: true, nulls: [false], data: data(D.dateConstantData, field(T.I64, 1, i64(-DAY))), expected: ['1969-12-31', '1969-12-31'] },
  { name: 'nullConstantData on a NULL vector', type: VT.NULL, size: 3, constant: true, nulls: [true], data: data(D.nullConstantData, field(T.BYTE, 1, i8(0))), expected: [null, null, null] },
  { name: 'nullConstantData on a LONG vector', type: VT.LONG, size: 2, constant: true, nulls: [false], data: data(D.nullConstantData, field(T.BYTE, 1, i8(0))), expected: [null, null] },
  { name: 'numericConstantData as LONG', type: VT.LONG, size: 2, constant: true, nulls: [false], data: data(D.numericConstantData, field(T.I64, 1, i64(2n ** 62n))), expected: [2n ** 62n, 2n ** 62n] },
  { name: 'numericConstantData as INTEGER', type: VT.INTEGER, size: 2, constant: true, nulls: [false], data: data(D.numericConstantData, field(T.I64, 1, i64(-7))), expected: [-7, -7] },
  { name: 'numericDecimalConstantData as DOUBLE', type: VT.DOUBLE, size: 2, constant: true, nulls: [false], data: data(D.numericDecimalConstantData, field(T.DOUBLE, 1, f64(0.1))), expected: [0.1, 0.1] },
  { name: 'numericDecimalConstantData as FLOAT', type: VT.FLOAT, size: 1, constant: true, nulls: [false], data: data(D.numericDecimalConstantData, field(T.DOUBLE, 1, f64(-3))), expected: [-3] },
  { name: 'temporalIntervalConstantData as INTEGER', type: VT.INTEGER, size: 2, constant: true, nulls: [false], data: data(D.temporalIntervalConstantData, field(T.BYTE, 1, i8(-3))), expected: [-3, -3] },
  { name: 'temporalIntervalConstantData as LONG', type: VT.LONG, size: 1, constant: true, nulls: [false], data: data(D.temporalIntervalConstantData, field(T.BYTE, 1, i8(12))), expected: [12n] },
  {
    name: 'timeConstantData as TIMESTAMP',
    type: VT.TIMESTAMP,
    size: 2,
    constant: true,
    nulls: [false],
    data: data(D.timeConstantData, field(T.I64, 1, i64(1_704_184_200_123_456n))),
    expected: ['2024-01-02T08:30:00.123456Z', '2024-01-02T08:30:00.123456Z'],
  },
  {
    name: 'timeConstantData with zoneData as TIMESTAMP_TZ',
    type: VT.TIMESTAMP_TZ,
    size: 2,
    constant: true,
    nulls: [false],
    data: data(D.timeConstantData, field(T.I64, 1, i64(1_704_164_400_000_000n)), field(T.STRING, 2, str('+05:30'))),
    expected: ['2024-01-02T08:30:00.000000+05:30', '2024-01-02T08:30:00.000000+05:30'],
  },
  {
    name: 'timeConstantData without zoneData as TIMESTAMP_TZ is UTC',
    type: VT.TIMESTAMP_TZ,
    size: 1,
    constant: true,
    nulls: [false],
    data: data(D.timeConstantData, field(T.I64, 1, i64(0))),
    expected: ['1970-01-01T00:00:00.000000+00:00'],
  },
  { name: 'varcharConstantData as STRING', type: VT.STRING, size: 2, constant: true, nulls: [false], data: data(D.varcharConstantData, field(T.STRING, 1, str('same'))), expected: ['same', 'same'] },
  {
    name: 'timeData as DATETIME',
    type: VT.DATETIME,
    size: 3,
    nulls: [false, false, true],
    data: data(D.timeData, listOf(T.I64, [i64(-1), i64(253_402_300_800_000_000n), i64(0)])),
    expected: ['1969-12-31T23:59:59.999999Z', '+10000-01-01T00:00:00.000000Z', null],
  },
  {
    name: 'timeData with zoneData as TIMESTAMP_TZ',
    type: VT.TIMESTAMP_TZ,
    size: 4,
    nulls: [false, false, false, true],
    data: data(
      D.timeData,
      listOf(T.I64, [i64(1_704_164_400_000_000n), i64(1_704_164_400_000_000n), i64(1_720_000_000_000_001n), i64(0)]),
      field(T.LIST, 2, list(T.STRING, [str('+05:30'), str('-08:00'), str('Europe/London'), str('')])),
    ),
    expected: ['2024-01-02T08:30:00.000000+05:30', '2024-01-01T19:00:00.000000-08:00', '2024-07-03T10:46:40.000001+01:00', null],
  },
  {
    name: 'decimal128Data',
    type: VT.DECIMAL128,
    size: 4,
    nulls: [false, false, false, true],
    data: data(D.decimal128Data, listOf(T.STRING, [int128(-987654321n), int128(1n), int128(10n ** 38n - 1n), Buffer.alloc(4)].map(str)), field(T.I32, 2, i32(4))),
    expected: ['-98765.4321', '0.0001', '9999999999999999999999999999999999.9999', null],
  },
  {
    name: 'numericDecimal128ConstantData',
    type: VT.DECIMAL128,
    size: 2,
    constant: true,
    nulls: [false],
    data: data(D.numericDecimal128ConstantData, field(T.STRING, 1, str(int128(-5n))), field(T.I32, 2, i32(3))),
    expected: ['-0.005', '-0.005'],
  },
  {
    name: 'INT96 as Julian day + nanoseconds of the day',
    type: VT.INT96,
    size: 2,
    nulls: [false, true],
    data: data(D.varcharData, listOf(T.STRING, [str(Buffer.concat([i32(2_460_312), i64(30_600_123_456_789n)])), str('')])),
    expected: ['2024-01-02T08:30:00.123456Z', null],
  },
];

describe('decodeChunk: every Data variant', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const bytes = oneColumn({ size: c.size, type: c.type, nulls: c.nulls, data: c.data, constant: c.constant });
    const decoded = decodeChunk(bytes);
    expect(decoded.rowCount).toBe(c.size);
    expect(decoded.rows.map((row) => row[0])).toEqual(c.expected);
  });

  it('the table covers all 18 variants', () => {
    const covered = new Set(cases.map((c) => c.name.split(/[ :]/)[0]));
    expect(Object.keys(D).filter((variant) => !covered.has(variant))).toEqual([]);
  });
});

describe('decodeChunkColumns: every Data variant', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const bytes = oneColumn({ size: c.size, type: c.type, nulls: c.nulls, data: c.data, constant: c.constant });
    const { rowCount, columns } = decodeChunkColumns(bytes);
    expect(rowCount).toBe(c.size);
    const column = columns[0]!;
    expect(Array.from({ length: c.size }, (_, r) => column.get(r))).toEqual(c.expected);
    expect(Array.from(column.nulls)).toEqual(c.expected.map((x) => (x === null ? 1 : 0)));
  });
});

describe('decodeChunk: constant vectors and null sets', () => {
  it('a constant vector whose one null flag is set is NULL in every row', () => {
    const bytes = oneColumn({ size: 3, type: VT.LONG, constant: true, nulls: [true], data: data(D.numericConstantData, field(T.I64, 1, i64(42))) });
    expect(decodeChunk(bytes).rows).toEqual([[null], [null], [null]]);
  });

  it('a constant vector may carry its value in a list variant: element 0 stands for every row', () => {
    const bytes = oneColumn({ size: 2, type: VT.LONG, constant: true, nulls: [false], data: data(D.int64Data, listOf(T.I64, [i64(7)])) });
    expect(decodeChunk(bytes).rows).toEqual([[7n], [7n]]);
  });

  it('a non-constant vector with a scalar variant repeats the value, with per-row nulls', () => {
    const bytes = oneColumn({ size: 3, type: VT.STRING, nulls: [false, true, false], data: data(D.varcharConstantData, field(T.STRING, 1, str('v'))) });
    expect(decodeChunk(bytes).rows).toEqual([['v'], [null], ['v']]);
  });

  it('a vector without nullSet has no NULLs', () => {
    const bytes = oneColumn({ size: 2, type: VT.INTEGER, data: data(D.int32Data, listOf(T.I32, [i32(1), i32(2)])) });
    expect(decodeChunk(bytes).rows).toEqual([[1], [2]]);
  });

  it('a constant vector without nullSet is not NULL', () => {
    const bytes = oneColumn({ size: 2, type: VT.BOOLEAN, constant: true, data: data(D.boolConstantData, field(T.BOOL, 1, bool(false))) });
    expect(decodeChunk(bytes).rows).toEqual([[false], [false]]);
  });

  it('constant BINARY rows hold equal but separate Buffers', () => {
    const bytes = oneColumn({ size: 2, type: VT.BINARY, constant: true, nulls: [false], data: data(D.varcharConstantData, field(T.STRING, 1, str(Buffer.of(1, 2)))) });
    const rows = decodeChunk(bytes).rows;
    expect(rows).toEqual([[Buffer.of(1, 2)], [Buffer.of(1, 2)]]);
    expect(rows[0]![0]).not.toBe(rows[1]![0]);
  });

  it('BINARY values are copies: changing one leaves the input and the other rows alone', () => {
    const bytes = oneColumn({ size: 2, type: VT.BINARY, data: data(D.varcharData, listOf(T.STRING, [str(Buffer.of(1)), str(Buffer.of(1))])) });
    const before = Buffer.from(bytes);
    const rows = decodeChunk(bytes).rows;
    (rows[0]![0] as Buffer)[0] = 9;
    expect(bytes.equals(before)).toBe(true);
    expect(rows[1]![0]).toEqual(Buffer.of(1));
  });

  it('a NULL vector needs no data and no null flags', () => {
    const bytes = oneColumn({ size: 2, type: VT.NULL });
    expect(decodeChunk(bytes)).toEqual({ rowCount: 2, rows: [[null], [null]], columnTypes: ['NULL'] });
  });

  it('a constant vector of zero rows needs no value', () => {
    const bytes = oneColumn({ size: 0, type: VT.LONG, constant: true, nulls: [], data: data(D.numericConstantData) });
    expect(decodeChunk(bytes).rows).toEqual([]);
  });

  it('zoneOffset and format fields are read past, not applied to values', () => {
    const bytes = oneColumn({ size: 1, type: VT.TIMESTAMP, zoneOffset: '+09:00', format: 'yyyy-MM-dd', data: data(D.timeData, listOf(T.I64, [i64(0)])) });
    expect(decodeChunk(bytes).rows).toEqual([['1970-01-01T00:00:00.000000Z']]);
  });

  it('rows are row-major across columns of different types', () => {
    const bytes = chunk(2, [
      vector({ size: 2, type: VT.INTEGER, nulls: [false, false], data: data(D.int32Data, listOf(T.I32, [i32(1), i32(2)])), constant: false }),
      vector({ size: 2, type: VT.STRING, nulls: [true, false], data: data(D.varcharData, listOf(T.STRING, [str(''), str('b')])), constant: false }),
      vector({ size: 2, type: VT.BOOLEAN, nulls: [false], data: data(D.boolConstantData, field(T.BOOL, 1, bool(true))), constant: true }),
    ]);
    expect(decodeChunk(bytes)).toEqual({ rowCount: 2, rows: [[1, null, true], [2, 'b', true]], columnTypes: ['INTEGER', 'STRING', 'BOOLEAN'] });
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('decodes a chunk of %i columns', (width) => {
    const vectors = Array.from({ length: width }, (_, c) =>
      vector({ size: 2, type: VT.INTEGER, nulls: [false, c % 2 === 1], data: data(D.int32Data, listOf(T.I32, [i32(c), i32(c === 0 ? 0 : -c)])), constant: false }),
    );
    const rows = decodeChunk(chunk(2, vectors)).rows;
    expect(rows).toEqual([Array.from({ length: width }, (_, c) => c), Array.from({ length: width }, (_, c) => (c % 2 === 1 ? null : c === 0 ? 0 : -c))]);
  });

  it('a chunk of only a STOP byte is zero rows and zero columns', () => {
    expect(decodeChunk(struct())).toEqual({ rowCount: 0, rows: [], columnTypes: [] });
  });

  it('decodes a Buffer that is a slice of a larger allocation', () => {
    const bytes = oneColumn({ size: 2, type: VT.DOUBLE, data: data(D.float64Data, listOf(T.DOUBLE, [f64(1.5), f64(-2)])) });
    const slice = Buffer.concat([Buffer.alloc(13, 0xff), bytes, Buffer.alloc(5, 0xee)]).subarray(13, 13 + bytes.length);
    expect(decodeChunk(slice).rows).toEqual([[1.5], [-2]]);
  });

  it('an empty buffer is zero rows (the end of the result), never null', () => {
    expect(decodeChunk(Buffer.alloc(0))).toEqual({ rowCount: 0, rows: [], columnTypes: [] });
  });

  it('a chunk with a size and no vectors has that many empty rows', () => {
    expect(decodeChunk(struct(field(T.I32, 1, i32(2)))).rows).toEqual([[], []]);
  });
});
