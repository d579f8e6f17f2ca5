import fc from 'fast-check';
import {
  DecodeError,
  decodeChunk,
  decodeChunkColumns,
  encodeChunk,
  type ChunkColumn,
  type DecodeOptions,
  type EncodeVector,
  type Int64Mode,
  type VectorTypeName,
} from '@e6data-ts/grpc-transport';

// Properties over random chunks: encode -> decode gives back the decoded forms
// for every type, random or mutated bytes only ever raise DecodeError, and
// the columnar reading (decodeChunkColumns) agrees with the rows cell for cell.

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

/** Values in their decoded form (docs/wire.md section 7, the value table), per type. */
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

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('int32' as const), at: fc.nat(), value: fc.constantFrom(-1, 0x7fffffff, -0x80000000, 0x10000, 255) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

/** Applies byte-level mutations (set, flip, insert, delete, truncate, overwrite an int32) to a copy of `input`. */
function mutate(input: Buffer, mutations: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(input);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === 'set' && bytes.length > 0) bytes[at] = m.byte;
    else if (m.kind === 'flip' && bytes.length > 0) bytes[at]! ^= 1 << m.bit;
    else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.of(m.byte), bytes.subarray(at)]);
    else if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.count)]);
    else if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
    else if (m.kind === 'int32' && bytes.length >= 4) bytes.writeInt32BE(m.value, Math.min(at, bytes.length - 4));
  }
  return bytes;
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
    fc.assert(
      fc.property(randomChunk, fc.array(mutation, { minLength: 1, maxLength: 4 }), ({ rows, vectors }, mutations) => {
        const bytes = mutate(encodeChunk({ rowCount: rows, vectors }), mutations);
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

/** What a decoder did with some bytes: its result, or the error it raised (class, code, message). */
function outcome<T>(decode: () => T): { ok: T } | { error: { name: string; code: unknown; message: string } } {
  try {
    return { ok: decode() };
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    return { error: { name: err.name, code: (err as Partial<DecodeError>).code, message: err.message } };
  }
}

const TYPED: Partial<Record<VectorTypeName, new (n: number) => ArrayLike<unknown>>> = {
  LONG: BigInt64Array, INTEGER: Int32Array, DOUBLE: Float64Array, FLOAT: Float64Array, BOOLEAN: Uint8Array,
  DATE: Int32Array, DATETIME: BigInt64Array, TIMESTAMP: BigInt64Array, TIMESTAMP_TZ: BigInt64Array, DECIMAL128: Uint8Array,
};

/** The unscaled value of row `r` of a DECIMAL128 column (16 little-endian bytes). */
function unscaledAt(values: Uint8Array, r: number): bigint {
  let x = 0n;
  for (let j = 15; j >= 0; j--) x = (x << 8n) | BigInt(values[16 * r + j]!);
  return BigInt.asIntN(128, x);
}

/** Checks one column against the rows' column `c`: flags, counts, typed storage and every cell. */
function expectColumnAgrees(column: ChunkColumn, type: VectorTypeName, rows: unknown[][], c: number): void {
  expect(column.type).toBe(type);
  expect(column.length).toBe(rows.length);
  expect(column.nulls).toHaveLength(rows.length);
  let nulls = 0;
  rows.forEach((row, r) => {
    const cell = row[c];
    expect(column.nulls[r]).toBe(cell === null ? 1 : 0);
    if (cell === null) nulls++;
    expect(column.get(r)).toEqual(cell);
  });
  expect(column.nullCount).toBe(nulls);
  expect(column.toArray()).toEqual(rows.map((row) => row[c]));
  const typed = TYPED[type];
  if (typed === undefined) return;
  expect(column.values).toBeInstanceOf(typed);
  const width = type === 'DECIMAL128' ? 16 : 1;
  expect((column.values as ArrayLike<unknown>).length).toBe(rows.length * width);
  rows.forEach((row, r) => {
    // NULL rows hold zeros, whatever placeholder the writer sent.
    if (row[c] === null && width === 1) expect(Number((column.values as ArrayLike<number | bigint>)[r])).toBe(0);
    if (column.type === 'DECIMAL128' && row[c] !== null) {
      // The text's digits are the unscaled value, times 10^-scale when the scale is negative ("-10" for -1 at scale -1).
      expect(unscaledAt(column.values, r) * 10n ** BigInt(Math.max(0, -column.scale))).toBe(BigInt((row[c] as string).replace('.', '')));
    }
    if (column.type === 'TIMESTAMP_TZ') {
      const index = column.zoneIndex[r]!;
      if (row[c] === null) expect(index).toBe(-1);
      else expect(column.zones[index]).toEqual(expect.any(String));
    }
  });
}

describe('the columnar reading', () => {
  const modes = fc.constantFrom<Int64Mode>('bigint', 'number', 'string');

  it('agrees with decodeChunk value for value, for random chunks of every type and every int64 mode', () => {
    fc.assert(
      fc.property(randomChunk, modes, ({ rows, vectors }, int64) => {
        const bytes = encodeChunk({ rowCount: rows, vectors });
        const options: DecodeOptions = { int64 };
        const asRows = outcome(() => decodeChunk(bytes, options));
        const asColumns = outcome(() => decodeChunkColumns(bytes, options));
        if ('error' in asRows) {
          // Only int64: 'number' refuses valid chunks (a LONG past 2^53), and both refuse alike.
          expect(asRows.error.name).toBe('RangeError');
          expect(asColumns).toEqual(asRows);
          return;
        }
        if (!('ok' in asColumns)) throw new Error(`decodeChunkColumns refused what decodeChunk read: ${asColumns.error.message}`);
        expect(asColumns.ok.rowCount).toBe(asRows.ok.rowCount);
        expect(asColumns.ok.columns).toHaveLength(vectors.length);
        asColumns.ok.columns.forEach((column, c) => expectColumnAgrees(column, asRows.ok.columnTypes[c]!, asRows.ok.rows, c));
      }),
      { numRuns: 400 },
    );
  });

  it('raises what decodeChunk raises for mutated chunks, and reads the same values when both accept them', () => {
    fc.assert(
      fc.property(randomChunk, fc.array(mutation, { minLength: 1, maxLength: 4 }), modes, ({ rows, vectors }, mutations, int64) => {
        const bytes = mutate(encodeChunk({ rowCount: rows, vectors }), mutations);
        const asRows = outcome(() => decodeChunk(bytes, { int64 }));
        const asColumns = outcome(() => decodeChunkColumns(bytes, { int64 }));
        if ('error' in asRows) {
          expect(asColumns).toEqual(asRows);
          return;
        }
        if (!('ok' in asColumns)) throw new Error(`decodeChunkColumns refused what decodeChunk read: ${asColumns.error.message}`);
        asColumns.ok.columns.forEach((column, c) => expectColumnAgrees(column, asRows.ok.columnTypes[c]!, asRows.ok.rows, c));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the unscaled value of a DECIMAL128 column with a negative scale, as the rows write it in full', () => {
    // Found by the mutated-chunk property (seed 2006959015): a scale overwritten with -1.
    const bytes = encodeChunk({ rowCount: 2, vectors: [{ type: 'DECIMAL128', values: ['-0.000001', null], scale: 6 }] });
    const scaleAt = bytes.indexOf(Buffer.from('08000200000006', 'hex')) + 3;
    bytes.writeInt32BE(-1, scaleAt);
    const rows = decodeChunk(bytes).rows;
    const [column] = decodeChunkColumns(bytes).columns;
    expect(rows).toEqual([['-10'], [null]]);
    if (column?.type !== 'DECIMAL128') throw new Error(`expected a DECIMAL128 column, got ${column?.type}`);
    expect(column.scale).toBe(-1);
    expect(unscaledAt(column.values, 0)).toBe(-1n);
    expect(column.get(0)).toBe('-10');
  });

  it('reads the empty buffer that ends a result as no rows and no columns', () => {
    expect(decodeChunkColumns(Buffer.alloc(0))).toEqual({ rowCount: 0, columns: [] });
  });
});
