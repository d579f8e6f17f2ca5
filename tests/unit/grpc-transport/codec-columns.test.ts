import {
  DecodeError,
  decodeChunk,
  decodeChunkColumns,
  encodeChunk,
  VectorType as VT,
  type ChunkColumn,
  type VectorTypeName,
} from '@e6data-ts/grpc-transport';
import { D, T, data, field, i64, oneColumn } from '../../support/vectors/thrift-builder';

// The columnar reading's storage: which typed array each type lands in, what
// its numbers mean (days, microseconds, unscaled little-endian decimals),
// NULL rows as flags and zeros, and formatting on access.

/** The column kind whose `type` admits `T` (DOUBLE and FLOAT share one). */
type ColumnOf<T extends VectorTypeName> = ChunkColumn extends infer C ? (C extends { type: infer U } ? (T extends U ? C : never) : never) : never;

function only<T extends VectorTypeName>(column: ChunkColumn, type: T): ColumnOf<T> {
  expect(column.type).toBe(type);
  return column as ColumnOf<T>;
}

const decodeOne = (type: VectorTypeName, values: unknown[], extra: { scale?: number; zones?: (string | null)[] } = {}): ChunkColumn =>
  decodeChunkColumns(encodeChunk({ vectors: [{ type, values, ...extra }] })).columns[0]!;

describe('decodeChunkColumns storage', () => {
  it('keeps LONG values across the whole int64 range in a BigInt64Array, NULL rows as 0 and flagged', () => {
    const values = [-(2n ** 63n), 2n ** 63n - 1n, null, 2n ** 53n + 1n, -1n];
    const column = only(decodeOne('LONG', values), 'LONG');
    expect(column.values).toBeInstanceOf(BigInt64Array);
    expect(Array.from(column.values)).toEqual([-(2n ** 63n), 2n ** 63n - 1n, 0n, 2n ** 53n + 1n, -1n]);
    expect(Array.from(column.nulls)).toEqual([0, 0, 1, 0, 0]);
    expect(column.nullCount).toBe(1);
    expect(column.length).toBe(5);
    expect(column.get(2)).toBeNull();
    expect(column.get(3)).toBe(2n ** 53n + 1n);
  });

  it('hands LONG cells out per the int64 mode, and refuses an unsafe one as a number as decodeChunk does', () => {
    const bytes = encodeChunk({ vectors: [{ type: 'LONG', values: [2n ** 60n, 5n] }] });
    expect(decodeChunkColumns(bytes, { int64: 'string' }).columns[0]!.get(0)).toBe('1152921504606846976');
    expect(() => decodeChunk(bytes, { int64: 'number' })).toThrow(RangeError);
    expect(() => decodeChunkColumns(bytes, { int64: 'number' })).toThrow(/column 0, row 0 is outside ±\(2\^53 - 1\)/);
    const safe = encodeChunk({ vectors: [{ type: 'LONG', values: [null, -(2n ** 53n) + 1n] }] });
    expect(decodeChunkColumns(safe, { int64: 'number' }).columns[0]!.get(1)).toBe(-(2 ** 53) + 1);
  });

  it('keeps INTEGER in an Int32Array, DOUBLE and FLOAT in Float64Arrays, BOOLEAN as 0/1 bytes', () => {
    expect(Array.from(only(decodeOne('INTEGER', [-(2 ** 31), 2 ** 31 - 1, null]), 'INTEGER').values)).toEqual([-(2 ** 31), 2 ** 31 - 1, 0]);
    const doubles = only(decodeOne('DOUBLE', [-0, Number.NaN, Number.MIN_VALUE, null]), 'DOUBLE');
    expect(doubles.values).toBeInstanceOf(Float64Array);
    expect(Object.is(doubles.values[0], -0)).toBe(true);
    expect(doubles.values[1]).toBeNaN();
    expect(doubles.values[2]).toBe(Number.MIN_VALUE);
    expect(only(decodeOne('FLOAT', [1.5]), 'FLOAT').values).toBeInstanceOf(Float64Array);
    const flags = only(decodeOne('BOOLEAN', [true, false, null, true]), 'BOOLEAN');
    expect(Array.from(flags.values)).toEqual([1, 0, 0, 1]);
    expect([0, 1, 2, 3].map((r) => flags.get(r))).toEqual([true, false, null, true]);
  });

  it('keeps DATE as days since the epoch and formats it on access', () => {
    const column = only(decodeOne('DATE', ['1970-01-01', '1969-12-31', '+10000-01-01', null, '2024-02-29']), 'DATE');
    expect(column.values).toBeInstanceOf(Int32Array);
    expect(Array.from(column.values)).toEqual([0, -1, 2_932_897, 0, 19_782]);
    expect([0, 1, 2, 3, 4].map((r) => column.get(r))).toEqual(['1970-01-01', '1969-12-31', '+10000-01-01', null, '2024-02-29']);
  });

  it('keeps TIMESTAMP as microseconds since the epoch and formats it on access', () => {
    const column = only(decodeOne('TIMESTAMP', [-1n, 1_704_184_200_123_456n, null, -(2n ** 63n)]), 'TIMESTAMP');
    expect(Array.from(column.values)).toEqual([-1n, 1_704_184_200_123_456n, 0n, -(2n ** 63n)]);
    expect(column.get(0)).toBe('1969-12-31T23:59:59.999999Z');
    expect(column.get(1)).toBe('2024-01-02T08:30:00.123456Z');
    expect(column.get(2)).toBeNull();
    expect(column.get(3)).toBe(decodeChunk(encodeChunk({ vectors: [{ type: 'TIMESTAMP', values: [-(2n ** 63n)] }] })).rows[0]![0]);
  });

  it('keeps TIMESTAMP_TZ as microseconds with a zone index per row into the zones the engine sent', () => {
    const micros = 1_704_164_400_000_000n;
    const column = only(decodeOne('TIMESTAMP_TZ', [micros, micros, null, micros], { zones: ['+05:30', 'Europe/Paris', null, '+05:30'] }), 'TIMESTAMP_TZ');
    expect(column.zones).toEqual(['+05:30', 'Europe/Paris']);
    expect(Array.from(column.zoneIndex)).toEqual([0, 1, -1, 0]);
    expect(column.values[0]).toBe(micros);
    expect(column.get(0)).toBe('2024-01-02T08:30:00.000000+05:30');
    expect(column.get(1)).toBe('2024-01-02T04:00:00.000000+01:00');
    expect(column.get(2)).toBeNull();
  });

  it('names the zone UTC when the engine sent none', () => {
    const bytes = oneColumn({ size: 2, type: VT.TIMESTAMP_TZ, constant: true, nulls: [false], data: data(D.timeConstantData, field(T.I64, 1, i64(0))) });
    const column = only(decodeChunkColumns(bytes).columns[0]!, 'TIMESTAMP_TZ');
    expect(column.zones).toEqual(['UTC']);
    expect(Array.from(column.zoneIndex)).toEqual([0, 0]);
    expect(column.get(1)).toBe('1970-01-01T00:00:00.000000+00:00');
  });

  it('keeps DECIMAL128 as 16 little-endian unscaled bytes per row and the scale, formatted on access', () => {
    const column = only(decodeOne('DECIMAL128', ['-1.50', '12345678901234567890123456.78', null], { scale: 2 }), 'DECIMAL128');
    expect(column.scale).toBe(2);
    expect(column.values).toHaveLength(48);
    expect(Array.from(column.values.subarray(0, 16))).toEqual([0x6a, ...new Array<number>(15).fill(0xff)]);
    let second = 0n;
    for (let j = 15; j >= 0; j--) second = (second << 8n) | BigInt(column.values[16 + j]!);
    expect(second).toBe(1234567890123456789012345678n);
    expect(Array.from(column.values.subarray(32))).toEqual(new Array<number>(16).fill(0));
    expect([0, 1, 2].map((r) => column.get(r))).toEqual(['-1.50', '12345678901234567890123456.78', null]);
  });

  it('keeps text, INT96 and BINARY as arrays with null for NULL rows, and NULL columns as flags only', () => {
    expect(only(decodeOne('STRING', ['東京', null, '']), 'STRING').values).toEqual(['東京', null, '']);
    expect(only(decodeOne('INT96', ['2024-01-02T08:30:00.000001Z']), 'INT96').values).toEqual(['2024-01-02T08:30:00.000001Z']);
    expect(only(decodeOne('BINARY', [Buffer.of(1, 2), null]), 'BINARY').values).toEqual([Buffer.of(1, 2), null]);
    const nulls = only(decodeOne('NULL', [null, null]), 'NULL');
    expect(nulls.values).toBeNull();
    expect(Array.from(nulls.nulls)).toEqual([1, 1]);
    expect(nulls.nullCount).toBe(2);
  });

  it('fills every row of a constant vector from its one value', () => {
    const column = only(decodeChunkColumns(encodeChunk({ rowCount: 3, vectors: [{ type: 'DOUBLE', values: [2.5], constant: true }] })).columns[0]!, 'DOUBLE');
    expect(Array.from(column.values)).toEqual([2.5, 2.5, 2.5]);
  });

  it('refuses an INTEGER constant beyond 32 bits, as decodeChunk does', () => {
    const bytes = oneColumn({ size: 1, type: VT.INTEGER, constant: true, nulls: [false], data: data(D.numericConstantData, field(T.I64, 1, i64(2 ** 31))) });
    for (const decode of [decodeChunk, decodeChunkColumns]) {
      expect(() => decode(bytes)).toThrow(DecodeError);
      expect(() => decode(bytes)).toThrow(/outside the 32-bit range/);
    }
  });

  it('hands out a whole column as decodeChunk does, and refuses rows outside the column', () => {
    const bytes = encodeChunk({ vectors: [{ type: 'TIMESTAMP_TZ', values: ['2024-01-02T08:30:00.000000+05:30', null] }, { type: 'DECIMAL128', values: ['0.001', '-7'], scale: 3 }] });
    const rows = decodeChunk(bytes).rows;
    const { columns } = decodeChunkColumns(bytes);
    expect(columns.map((column) => column.toArray())).toEqual([rows.map((row) => row[0]), rows.map((row) => row[1])]);
    for (const row of [-1, 2, 0.5, Number.NaN]) expect(() => columns[0]!.get(row)).toThrow(RangeError);
  });

  it('decodes a chunk that is a slice of a larger allocation', () => {
    const bytes = encodeChunk({ vectors: [{ type: 'LONG', values: [1n, 2n, 3n] }, { type: 'DOUBLE', values: [0.5, 1.5, 2.5] }] });
    const padded = Buffer.concat([Buffer.alloc(3), bytes, Buffer.alloc(5)]).subarray(3, 3 + bytes.length);
    const { columns } = decodeChunkColumns(padded);
    expect(Array.from(only(columns[0]!, 'LONG').values)).toEqual([1n, 2n, 3n]);
    expect(Array.from(only(columns[1]!, 'DOUBLE').values)).toEqual([0.5, 1.5, 2.5]);
  });
});
