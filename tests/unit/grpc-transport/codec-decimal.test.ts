import fc from 'fast-check';
import { EncodeError, decodeChunk, encodeChunk, VectorType as VT } from '@e6data-ts/grpc-transport';
import { D, T, data, field, i32, int128, list, oneColumn, str } from '../../support/vectors/thrift-builder';
import { plainDecimal } from '../../support/decimal-text';

// DECIMAL128: a big-endian two's-complement unscaled integer and the vector's
// scale, handed out as an exact plain-notation string.

const INT128_MIN = -(2n ** 127n);
const INT128_MAX = 2n ** 127n - 1n;

const plain = plainDecimal;

function decodeDecimals(raw: Buffer[], scale: number | undefined, nulls?: boolean[]): unknown[] {
  const scaleField = scale === undefined ? [] : [field(T.I32, 2, i32(scale))];
  const bytes = oneColumn({ size: raw.length, type: VT.DECIMAL128, nulls, data: data(D.decimal128Data, field(T.LIST, 1, list(T.STRING, raw.map(str))), ...scaleField) });
  return decodeChunk(bytes).rows.map((r) => r[0]);
}

describe('DECIMAL128 decoding', () => {
  const samples = [0n, 1n, -1n, 7n, -98765_4321n, 2n ** 53n, -(2n ** 53n), 2n ** 62n, -(2n ** 62n), 10n ** 38n - 1n, -(10n ** 38n - 1n), INT128_MAX, INT128_MIN, 2n ** 64n, -(2n ** 63n) - 1n];

  it.each(Array.from({ length: 39 }, (_, s) => s))('scale %i: exact strings for signed values up to 38 digits', (scale) => {
    expect(decodeDecimals(samples.map(int128), scale)).toEqual(samples.map((u) => plain(u, scale)));
  });

  it.each([
    [-98765_4321n, 4, '-98765.4321'],
    [1n, 3, '0.001'],
    [-1n, 3, '-0.001'],
    [150n, 2, '1.50'],
    [0n, 2, '0.00'],
    [123n, -2, '12300'],
    [-123n, -2, '-12300'],
    [0n, -2, '0'],
    [5n, 0, '5'],
  ])('%p at scale %i is %s', (unscaled, scale, text) => {
    expect(decodeDecimals([int128(unscaled)], scale)).toEqual([text]);
  });

  it('a missing scale is 0', () => {
    expect(decodeDecimals([int128(42n)], undefined)).toEqual(['42']);
  });

  it('reads shorter two\'s-complement forms (1 to 16 bytes), as minimal Java writers send', () => {
    expect(decodeDecimals([Buffer.of(0xff), Buffer.of(0x7f), Buffer.of(0x00, 0x80), Buffer.of(0x80, 0x00), Buffer.of(0xfe, 0xd4)], 1)).toEqual(['-0.1', '12.7', '12.8', '-3276.8', '-30.0']);
  });

  it('nulls skip their placeholder whatever its length', () => {
    expect(decodeDecimals([Buffer.alloc(0), int128(5n)], 0, [true, false])).toEqual([null, '5']);
  });

  it('the constant variant', () => {
    const bytes = oneColumn({ size: 2, type: VT.DECIMAL128, constant: true, nulls: [false], data: data(D.numericDecimal128ConstantData, field(T.STRING, 1, str(int128(-12345n))), field(T.I32, 2, i32(2))) });
    expect(decodeChunk(bytes).rows).toEqual([['-123.45'], ['-123.45']]);
  });

  it('any 16 bytes at any scale 0..38 (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT128_MIN, max: INT128_MAX }), fc.integer({ min: 0, max: 38 }), (u, scale) => {
        expect(decodeDecimals([int128(u)], scale)).toEqual([plain(u, scale)]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('DECIMAL128 encoding', () => {
  const encodeThenDecode = (values: unknown[], scale?: number, constant?: boolean): unknown[] =>
    decodeChunk(encodeChunk({ rowCount: 2, vectors: [{ type: 'DECIMAL128', values, ...(scale === undefined ? {} : { scale }), ...(constant ? { constant } : {}) }] })).rows.map((r) => r[0]);

  it('derives the scale from the strings when none is given', () => {
    expect(encodeThenDecode(['1.5', '-0.001'])).toEqual(['1.500', '-0.001']);
  });

  it('rescales strings to a given scale, and takes bigints as unscaled values at it', () => {
    expect(encodeThenDecode(['1.5', 12345n], 3)).toEqual(['1.500', '12.345']);
    expect(encodeThenDecode(['12300', null], -2)).toEqual(['12300', null]);
  });

  it('writes 16-byte values and the scale field', () => {
    const bytes = encodeChunk({ vectors: [{ type: 'DECIMAL128', values: ['-98765.4321'] }] });
    expect(bytes.includes(Buffer.concat([Buffer.of(0, 0, 0, 16), int128(-987654321n)]))).toBe(true);
    expect(bytes.includes(Buffer.concat([Buffer.of(T.I32, 0, 2), i32(4)]))).toBe(true);
  });

  it('accepts signs and bare fractions', () => {
    expect(encodeThenDecode(['+2', '.25'])).toEqual(['2.00', '0.25']);
  });

  it('a constant decimal', () => {
    expect(encodeThenDecode(['9.99'], undefined, true)).toEqual(['9.99', '9.99']);
  });

  it.each([
    ['not a number', ['abc', '1'], undefined, 'BAD_VALUE'],
    ['not a number at a given scale', ['1', 'abc'], 2, 'BAD_VALUE'],
    ['exponent notation', ['1e5', '1'], undefined, 'BAD_VALUE'],
    ['a bare dot', ['.', '1'], undefined, 'BAD_VALUE'],
    ['a number value', [1.5, '1'], undefined, 'BAD_VALUE'],
    ['more fraction digits than the scale', ['1.25', '1'], 1, 'OUT_OF_RANGE'],
    ['a value past 128 bits', [(2n ** 127n).toString(), '1'], 0, 'OUT_OF_RANGE'],
    ['a fractional scale', ['1', '1'], 1.5, 'OUT_OF_RANGE'],
    ['a scale beyond the limit', ['1', '1'], 5000, 'OUT_OF_RANGE'],
  ])('refuses %s', (_name, values, scale, code) => {
    let caught: unknown;
    try {
      encodeChunk({ vectors: [{ type: 'DECIMAL128', values, ...(scale === undefined ? {} : { scale }) }] });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EncodeError);
    expect((caught as EncodeError).code).toBe(code);
  });

  it('round trips any value at any scale -38..38 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.bigInt({ min: INT128_MIN, max: INT128_MAX })), { minLength: 1, maxLength: 8 }), fc.integer({ min: -38, max: 38 }), (unscaled, scale) => {
        const text = unscaled.map((u) => (u === null ? null : plain(u, scale)));
        const decoded = decodeChunk(encodeChunk({ vectors: [{ type: 'DECIMAL128', values: text, scale }] })).rows.map((r) => r[0]);
        expect(decoded).toEqual(text);
      }),
      { numRuns: 500 },
    );
  });
});
