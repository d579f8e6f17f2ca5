import { decodeChunk, encodeChunk, VectorType as VT, type Int64Mode } from '@e6data-ts/grpc-transport';
import { D, T, data, field, i32, i8, list, oneColumn } from '../../support/vectors/thrift-builder';

// LONG values: bigint by default; `int64: 'number'` throws RangeError past
// ±(2^53 - 1); `int64: 'string'` gives exact decimal strings.

const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const longs = (values: (bigint | null)[], constant = false): Buffer =>
  encodeChunk({ rowCount: constant ? 3 : values.length, vectors: [{ type: 'LONG', values, constant }] });
const column = (bytes: Buffer, int64?: Int64Mode): unknown[] => decodeChunk(bytes, int64 === undefined ? {} : { int64 }).rows.map((r) => r[0]);

describe('LONG int64 modes', () => {
  const within = [0n, 1n, -1n, SAFE, -SAFE, 2n ** 32n, -(2n ** 32n), 2n ** 32n - 1n, -(2n ** 31n), null];

  it('bigint (default) is exact over the whole int64 range', () => {
    const values = [...within, SAFE + 1n, -SAFE - 1n, -SAFE - 2n, 2n ** 53n, MAX, MIN, 2n ** 62n + 12345n];
    expect(column(longs(values))).toEqual(values);
    expect(column(longs(values), 'bigint')).toEqual(values);
  });

  it("'number' gives numbers within ±(2^53 - 1)", () => {
    expect(column(longs(within), 'number')).toEqual(within.map((v) => (v === null ? null : Number(v))));
  });

  it.each([SAFE + 1n, -SAFE - 1n, MAX, MIN, 2n ** 53n])("'number' throws RangeError for %p", (v) => {
    const bytes = longs([1n, v]);
    expect(() => decodeChunk(bytes, { int64: 'number' })).toThrow(RangeError);
    expect(() => decodeChunk(bytes, { int64: 'number' })).toThrow(/column 0, row 1 .*int64: 'bigint' or 'string'/);
  });

  it("'string' gives exact decimal strings over the whole range", () => {
    const values = [...within, SAFE + 1n, MAX, MIN];
    expect(column(longs(values), 'string')).toEqual(values.map((v) => (v === null ? null : v.toString())));
  });

  it('a constant LONG follows the mode', () => {
    expect(column(longs([MAX], true), 'string')).toEqual([MAX.toString(), MAX.toString(), MAX.toString()]);
    expect(column(longs([7n], true), 'number')).toEqual([7, 7, 7]);
    expect(() => column(longs([MIN], true), 'number')).toThrow(RangeError);
  });

  it('LONG values sent as int32Data or temporalIntervalConstantData follow the mode too', () => {
    const int32s = oneColumn({ size: 2, type: VT.LONG, data: data(D.int32Data, field(T.LIST, 1, list(T.I32, [i32(-5), i32(2147483647)]))) });
    expect(column(int32s)).toEqual([-5n, 2147483647n]);
    expect(column(int32s, 'number')).toEqual([-5, 2147483647]);
    expect(column(int32s, 'string')).toEqual(['-5', '2147483647']);
    const interval = oneColumn({ size: 1, type: VT.LONG, constant: true, data: data(D.temporalIntervalConstantData, field(T.BYTE, 1, i8(-2))) });
    expect(column(interval, 'string')).toEqual(['-2']);
  });

  it('INTEGER columns are numbers whatever the mode', () => {
    const bytes = encodeChunk({ vectors: [{ type: 'INTEGER', values: [1, -2147483648, null] }] });
    for (const mode of ['bigint', 'number', 'string'] as const) expect(column(bytes, mode)).toEqual([1, -2147483648, null]);
  });
});
