import fc from 'fast-check';
import { EncodeError, decodeChunk, encodeChunk, VectorType as VT } from '@e6data-ts/grpc-transport';
import { D, T, data, field, i32, int128, list, oneColumn, str } from '../../support/vectors/thrift-builder';
import { plainDecimal } from '../../support/decimal-text';

// DECIMAL128 shortcuts: decoding formats values within ±2^53 at scales 0..15
// straight from a double, and the rest by long division of 32-bit words;
// encoding reads strings whose unscaled value fits 2^53 without BigInt. Each
// is checked against BigInt arithmetic at the edges where it hands over.

const TWO_53 = 2n ** 53n;
const INT128_MIN = -(2n ** 127n);
const INT128_MAX = 2n ** 127n - 1n;

const plain = plainDecimal;

/** The shortest big-endian two's-complement form of `v` (1..16 bytes), as minimal Java writers send. */
function minimal(v: bigint): Buffer {
  const full = int128(v);
  let start = 0;
  while (start < 15) {
    const fill = full[start] === 0x00 && full[start + 1]! < 0x80;
    const ones = full[start] === 0xff && full[start + 1]! >= 0x80;
    if (!fill && !ones) break;
    start++;
  }
  return full.subarray(start);
}

function decodeRaw(raw: Buffer[], scale: number): unknown[] {
  const bytes = oneColumn({ size: raw.length, type: VT.DECIMAL128, data: data(D.decimal128Data, field(T.LIST, 1, list(T.STRING, raw.map(str))), field(T.I32, 2, i32(scale))) });
  return decodeChunk(bytes).rows.map((r) => r[0]);
}

/** The 16-byte values an encoded DECIMAL128 column carries, in row order. */
function encodedValues(values: unknown[], scale?: number): bigint[] {
  const bytes = encodeChunk({ vectors: [{ type: 'DECIMAL128', values, ...(scale === undefined ? {} : { scale }) }] });
  const out: bigint[] = [];
  const marker = Buffer.of(0, 0, 0, 16);
  // The data list: field 1 of decimal128Data, a list of STRING.
  const header = Buffer.concat([Buffer.of(T.LIST, 0, 1, T.STRING), i32(values.length)]);
  let at = bytes.indexOf(header) + header.length;
  for (let r = 0; r < values.length; r++) {
    expect(bytes.subarray(at, at + 4).equals(marker)).toBe(true);
    out.push(bytes.readBigInt64BE(at + 4) * 2n ** 64n + bytes.readBigUInt64BE(at + 12));
    at += 20;
  }
  return out;
}

describe('DECIMAL128 decoding shortcuts', () => {
  const edges = [
    0n, 1n, -1n, 9n, 10n, 99_999_999n, 100_000_000n, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), 10n ** 15n - 1n, 10n ** 15n, 10n ** 16n - 1n,
    TWO_53 - 1n, TWO_53, TWO_53 + 1n, -(TWO_53 - 1n), -TWO_53, -TWO_53 - 1n,
    2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n, -(2n ** 64n), 10n ** 18n, 10n ** 38n - 1n, INT128_MAX, INT128_MIN,
  ];

  it.each([0, 1, 2, 6, 8, 9, 10, 15, 16, 20, 38, -1, -3])('scale %i: values either side of 2^31, 10^8, 2^53, 2^64 and the 128-bit limits', (scale) => {
    expect(decodeRaw(edges.map(int128), scale)).toEqual(edges.map((u) => plain(u, scale)));
  });

  it('short two\'s-complement forms of the same values', () => {
    for (const scale of [0, 2, 15, 30]) expect(decodeRaw(edges.map(minimal), scale)).toEqual(edges.map((u) => plain(u, scale)));
  });

  it('values within ±2^53 at every scale the shortcut takes, and just beyond it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -TWO_53, max: TWO_53 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: -2, max: 17 }), (values, scale) => {
        expect(decodeRaw(values.map(int128), scale)).toEqual(values.map((u) => plain(u, scale)));
      }),
      { numRuns: 500 },
    );
  });

  it('any value, 16 bytes or its shortest form, any scale -5..40 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: INT128_MIN, max: INT128_MAX }), { minLength: 1, maxLength: 10 }), fc.integer({ min: -5, max: 40 }), fc.boolean(), (values, scale, short) => {
        expect(decodeRaw(values.map(short ? minimal : int128), scale)).toEqual(values.map((u) => plain(u, scale)));
      }),
      { numRuns: 500 },
    );
  });

  it('a large scale pads with zeros after the point', () => {
    expect(decodeRaw([int128(-5n), int128(TWO_53)], 25)).toEqual([`-0.${'0'.repeat(24)}5`, `0.${'0'.repeat(9)}9007199254740992`]);
  });
});

describe('DECIMAL128 encoding shortcuts', () => {
  it.each([
    ['9007199254740991', 0, TWO_53 - 1n],
    ['9007199254740992', 0, TWO_53],
    ['9007199254740993', 0, TWO_53 + 1n],
    ['-9007199254740993', 0, -TWO_53 - 1n],
    ['90071992547409.91', 2, TWO_53 - 1n],
    ['90071992547409.93', 2, TWO_53 + 1n],
    ['900719925474099.3', 1, TWO_53 + 1n],
    ['123456789012345678', 0, 123456789012345678n],
    ['0.000000000000001', 15, 1n],
    ['1', 15, 10n ** 15n],
    ['1', 16, 10n ** 16n],
    ['9.9', 16, 99n * 10n ** 15n],
    ['-0.00', 2, 0n],
    ['-0', 0, 0n],
    ['+.5', 3, 500n],
    ['5.', 1, 50n],
    ['000123.4500', 4, 1_234_500n],
    ['1.50', 1, 15n],
    ['12300', -2, 123n],
    [(2n ** 127n - 1n).toString(), 0, INT128_MAX],
    [(-(2n ** 127n)).toString(), 0, INT128_MIN],
  ])('%p at scale %i is unscaled %p', (text, scale, unscaled) => {
    expect(encodedValues([text, null], scale)).toEqual([unscaled, 0n]);
  });

  it('the derived scale counts fraction digits, leading and trailing zeros included', () => {
    expect(decodeChunk(encodeChunk({ vectors: [{ type: 'DECIMAL128', values: ['1.500', '-00.1', '7', null] }] })).rows.map((r) => r[0])).toEqual(['1.500', '-0.100', '7.000', null]);
  });

  it.each([
    ['more fraction digits than the scale', '1.55', 1, 'OUT_OF_RANGE'],
    ['two points', '1.2.3', 2, 'BAD_VALUE'],
    ['a sign alone', '-', 0, 'BAD_VALUE'],
    ['a point alone', '.', 0, 'BAD_VALUE'],
    ['an empty string', '', 0, 'BAD_VALUE'],
    ['a non-ASCII digit', '\u0663', 0, 'BAD_VALUE'],
    ['a space', ' 1', 0, 'BAD_VALUE'],
    ['past 128 bits', (2n ** 127n).toString(), 0, 'OUT_OF_RANGE'],
  ])('refuses %s', (_name, text, scale, code) => {
    let caught: unknown;
    try {
      encodeChunk({ vectors: [{ type: 'DECIMAL128', values: ['1', text], scale }] });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EncodeError);
    expect((caught as EncodeError).code).toBe(code);
    expect((caught as EncodeError).row).toBe(1);
  });

  it('any decimal string at any scale that holds it encodes the exact unscaled value (property)', () => {
    const decimal = fc
      .record({
        sign: fc.constantFrom('', '-', '+'),
        whole: fc.stringMatching(/^\d{0,20}$/),
        fraction: fc.option(fc.stringMatching(/^\d{0,12}$/)),
      })
      .filter(({ whole, fraction }) => whole.length + (fraction ?? '').length > 0);
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 6 }), (parts, extra) => {
        const scale = Math.max(...parts.map((p) => (p.fraction ?? '').length)) + extra;
        const texts = parts.map((p) => `${p.sign}${p.whole}${p.fraction === null ? '' : `.${p.fraction}`}`);
        const expected = parts.map((p) => {
          const magnitude = BigInt(`${p.whole}${p.fraction ?? ''}` || '0') * 10n ** BigInt(scale - (p.fraction ?? '').length);
          return p.sign === '-' ? -magnitude : magnitude;
        });
        expect(encodedValues(texts, scale)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
