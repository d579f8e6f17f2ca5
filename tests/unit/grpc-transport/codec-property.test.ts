import fc from 'fast-check';
import { DecodeError, decodeChunk, encodeChunk, type EncodeVector, type VectorTypeName } from '@e6data-ts/grpc-transport';

// Properties over random chunks: encode -> decode gives back the decoded forms
// for every type, and random or mutated bytes only ever raise DecodeError.

const p2 = (n: number): string => String(n).padStart(2, '0');
const year = (y: number): string => (y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : y > 9999 ? `+${y}` : `-${String(-y).padStart(6, '0')}`);
const daysIn = (y: number, m: number): number => (m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

/** A valid calendar date in the years int64 microseconds can reach, in our text form. */
const dateText = fc
  .record({ y: fc.integer({ min: -290_000, max: 290_000 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .map(({ y, m, d }) => `${year(y)}-${p2(m)}-${p2(Math.min(d, daysIn(y, m)))}`);
const clock = fc
  .record({ h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }), us: fc.integer({ min: 0, max: 999_999 }) })
  .map(({ h, mi, s, us }) => `${p2(h)}:${p2(mi)}:${p2(s)}.${String(us).padStart(6, '0')}`);
const offsetText = fc
  .record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 17 }), m: fc.integer({ min: 0, max: 59 }), withSeconds: fc.boolean(), s: fc.integer({ min: 1, max: 59 }) })
  .map(({ sign, h, m, withSeconds, s }) => {
    const text = `${h === 0 && m === 0 && !withSeconds ? '+' : sign}${p2(h)}:${p2(m)}`;
    return withSeconds ? `${text}:${p2(s)}` : text;
  });
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }), fc.string({ maxLength: 300 }));
const int128 = fc.bigInt({ min: -(2n ** 127n), max: 2n ** 127n - 1n });

/** Values in their decoded form (DESIGN.md value table), per type. */
const valueOf: Record<VectorTypeName, fc.Arbitrary<unknown>> = {
  BINARY: fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b)),
  BOOLEAN: fc.boolean(),
  DOUBLE: fc.double(),
  FLOAT: fc.double(),
  INT96: fc.record({ d: dateText.filter((d) => !d.startsWith('+') && !d.startsWith('-')), c: clock }).map(({ d, c }) => `${d}T${c}Z`),
  INTEGER: fc.integer(),
  LONG: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  STRING: text,
  DATE: dateText,
  DATETIME: fc.record({ d: dateText, c: clock }).map(({ d, c }) => `${d}T${c}Z`),
  TIMESTAMP: fc.record({ d: dateText, c: clock }).map(({ d, c }) => `${d}T${c}Z`),
  STRUCT: text,
  MAP: text,
  ARRAY: text,
  NULL: fc.constant(null),
  TIMESTAMP_TZ: fc.record({ d: dateText.filter((d) => !/^[+-]29/.test(d)), c: clock, o: offsetText }).map(({ d, c, o }) => `${d}T${c}${o}`),
  DECIMAL128: int128.map((u) => {
    const digits = (u < 0n ? -u : u).toString().padStart(7, '0');
    return `${u < 0n ? '-' : ''}${digits.slice(0, -6)}.${digits.slice(-6)}`;
  }),
};
const types = Object.keys(valueOf) as VectorTypeName[];

const randomChunk = fc.integer({ min: 0, max: 12 }).chain((rows) =>
  fc.array(
    fc.constantFrom(...types).chain((type) =>
      fc.boolean().chain((constant) =>
        fc
          .array(fc.option(valueOf[type], { freq: 4 }), { minLength: constant ? 1 : rows, maxLength: constant ? 1 : rows })
          .map((values): EncodeVector => ({ type, values, ...(constant ? { constant } : {}), ...(type === 'DECIMAL128' ? { scale: 6 } : {}) })),
      ),
    ),
    { maxLength: 6 },
  ).map((vectors) => ({ rows, vectors })),
);

/** What decoding should give for a vector: its values per row (the constant one repeated), NULL columns all null. */
function expectedColumn(v: EncodeVector, rows: number): unknown[] {
  const values = v.constant ? Array.from({ length: rows }, () => v.values[0]) : [...v.values];
  return values.map((x) => (v.type === 'NULL' || x === undefined ? null : x));
}

describe('codec properties', () => {
  it('decode(encode(chunk)) gives back every value, for random chunks of every type', () => {
    fc.assert(
      fc.property(randomChunk, ({ rows, vectors }) => {
        const decoded = decodeChunk(encodeChunk({ rowCount: rows, vectors }));
        expect(decoded.rowCount).toBe(rows);
        expect(decoded.columnTypes).toEqual(vectors.map((v) => v.type));
        const columns = vectors.map((v) => expectedColumn(v, rows));
        expect(decoded.rows).toEqual(Array.from({ length: rows }, (_, r) => columns.map((c) => c[r])));
      }),
      { numRuns: 400 },
    );
  });

  it('encoding is deterministic and re-encoding decoded rows gives the same bytes', () => {
    fc.assert(
      fc.property(randomChunk, ({ rows, vectors }) => {
        const plain = vectors.map((v) => ({ ...v, constant: false, values: expectedColumn(v, rows) }));
        const bytes = encodeChunk({ rowCount: rows, vectors: plain });
        const decoded = decodeChunk(bytes);
        const again = encodeChunk({ rowCount: rows, vectors: decoded.columnTypes.map((type, c) => ({ type, values: decoded.rows.map((r) => r[c]), ...(type === 'DECIMAL128' ? { scale: 6 } : {}) })) });
        // NULL columns always travel as constant vectors, so compare decoded rows; byte equality holds otherwise.
        if (!vectors.some((v) => v.type === 'NULL')) expect(again.equals(bytes)).toBe(true);
        expect(decodeChunk(again)).toEqual(decoded);
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes only ever raise DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expectOnlyDecodeError(Buffer.from(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('random bytes behind a valid chunk header only ever raise DecodeError', () => {
    const header = Buffer.from('080001000000020f00020c00000001', 'hex');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expectOnlyDecodeError(Buffer.concat([header, Buffer.from(bytes)]));
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid chunks only ever raise DecodeError, and quickly', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('int32' as const), at: fc.nat(), value: fc.constantFrom(-1, 0x7fffffff, -0x80000000, 0x10000, 255) }),
    );
    fc.assert(
      fc.property(randomChunk, fc.array(mutation, { minLength: 1, maxLength: 4 }), ({ rows, vectors }, mutations) => {
        let bytes = Buffer.from(encodeChunk({ rowCount: rows, vectors }));
        for (const m of mutations) {
          const at = bytes.length === 0 ? 0 : m.at % bytes.length;
          if (m.kind === 'set' && bytes.length > 0) bytes[at] = m.byte;
          else if (m.kind === 'flip' && bytes.length > 0) bytes[at]! ^= 1 << m.bit;
          else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.of(m.byte), bytes.subarray(at)]);
          else if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.count)]);
          else if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
          else if (m.kind === 'int32' && bytes.length >= 4) bytes.writeInt32BE(m.value, Math.min(at, bytes.length - 4));
        }
        const started = Date.now();
        expectOnlyDecodeError(bytes);
        expect(Date.now() - started).toBeLessThan(1_000);
      }),
      { numRuns: 3000 },
    );
  });
});

function expectOnlyDecodeError(bytes: Buffer): void {
  try {
    const decoded = decodeChunk(bytes);
    expect(decoded.rows).toHaveLength(decoded.rowCount);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    expect(err.offset).toBeGreaterThanOrEqual(0);
    expect(err.offset).toBeLessThanOrEqual(bytes.length);
  }
}
