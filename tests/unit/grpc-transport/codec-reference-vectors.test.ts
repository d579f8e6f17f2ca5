import { decodeChunk, decodeResultMetadata, encodeChunk, encodeResultMetadata, type CellValue, type EncodeVector } from '@e6data-ts/grpc-transport';
import { loadReferenceCases, parseJsonWithBigInts, type ReferenceCell } from '../../support/vectors/reference-vectors';

// Byte-exact batches and metadata written by the reference Thrift library,
// with the rows the reference client decoded (tests/support/vectors/README.md).

const cases = loadReferenceCases();

/** The reference's cell in our value form: LONG as bigint, INTEGER as number (docs/wire.md section 7, the value table). */
function expectedCell(cell: ReferenceCell, typeName: string): CellValue {
  if (typeof cell === 'bigint') return typeName === 'LONG' ? cell : Number(cell);
  return cell;
}

describe('reference test vectors', () => {
  it('loads every case, keeping int64 literals exact', () => {
    expect(cases.map((c) => c.name)).toEqual(['longs_nulls', 'strings_utf8', 'mixed_row', 'constant_long', 'date_micros', 'empty_chunk']);
    expect(cases[0]!.rows![2]![0]).toBe(9007199254740993n);
    expect(parseJsonWithBigInts('[-0.0, 1e3, "a\\"1", -12]')).toEqual([-0, 1000, 'a"1', -12n]);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('metadata decodes to the listed columns and row count', () => {
      const meta = decodeResultMetadata(c.metadata);
      expect(meta.rowCount).toBe(Number(c.rowcount));
      expect(meta.columns.map((col) => [col.name, col.type])).toEqual(c.columns);
      for (const col of meta.columns) {
        expect(col.zone).toBe('UTC');
        expect(col.format).toBe('');
      }
    });

    it('metadata re-encodes to the same bytes', () => {
      expect(encodeResultMetadata(decodeResultMetadata(c.metadata)).equals(c.metadata)).toBe(true);
    });

    it('the chunk decodes to the rows the reference client read', () => {
      const decoded = decodeChunk(c.chunk);
      const types = c.columns.map(([, t]) => t);
      const expected = (c.rows ?? []).map((row) => row.map((cell, i) => expectedCell(cell, types[i]!)));
      expect(decoded.rows).toEqual(expected);
      expect(decoded.rowCount).toBe(expected.length);
      expect(decoded.columnTypes).toEqual(types);
    });
  });

  it('LONG 9007199254740993 survives in every int64 mode that can hold it', () => {
    const c = cases.find((x) => x.name === 'longs_nulls')!;
    expect(decodeChunk(c.chunk).rows[2]).toEqual([9007199254740993n]);
    expect(decodeChunk(c.chunk, { int64: 'string' }).rows.map((r) => r[0])).toEqual(['1', '-2', '9007199254740993', null]);
    expect(() => decodeChunk(c.chunk, { int64: 'number' })).toThrow(RangeError);
  });

  it('an empty chunk decodes to zero rows, not null', () => {
    const c = cases.find((x) => x.name === 'empty_chunk')!;
    expect(c.rows).toBeNull();
    expect(decodeChunk(c.chunk)).toEqual({ rowCount: 0, rows: [], columnTypes: ['LONG'] });
  });
});

describe('re-encoding the reference rows', () => {
  // Our encoder makes the reference writer's choices (field order, nullSet always
  // sent, zero / empty placeholders under NULL rows, isConstantVector always
  // written), so re-encoding gives the same bytes. Two inputs need the wire
  // form rather than the decoded value: the constant vector must be declared
  // constant, and date_micros carries 1700000000000000 µs (22:13:20 that day),
  // which the DATE string '2023-11-14' cannot express, so it is passed as bigint
  // microseconds. Encoding the strings instead gives midnight: different bytes,
  // the same decoded rows.
  const wireForm: Record<string, (v: EncodeVector) => EncodeVector> = {
    constant_long: (v) => ({ ...v, values: v.values.slice(0, 1), constant: true }),
    date_micros: (v) => ({ ...v, values: [0n, 1_700_000_000_000_000n] }),
  };

  it.each(cases.map((c) => [c.name, c] as const))('%s: same bytes, same rows', (name, c) => {
    const decoded = decodeChunk(c.chunk);
    const plain: EncodeVector[] = decoded.columnTypes.map((type, i) => ({ type, values: decoded.rows.map((row) => row[i]) }));
    const shaped = plain.map((v) => (wireForm[name] ?? ((x: EncodeVector) => x))(v));
    const bytes = encodeChunk({ rowCount: decoded.rowCount, vectors: shaped });
    expect(bytes.toString('hex')).toBe(c.chunk.toString('hex'));
    // The plain decoded values round-trip to the same rows, whatever the bytes.
    expect(decodeChunk(encodeChunk({ rowCount: decoded.rowCount, vectors: plain }))).toEqual(decoded);
  });

  it('date_micros re-encoded from its date strings differs in bytes only', () => {
    const c = cases.find((x) => x.name === 'date_micros')!;
    const bytes = encodeChunk({ vectors: [{ type: 'DATE', values: ['1970-01-01', '2023-11-14'] }] });
    expect(bytes.equals(c.chunk)).toBe(false);
    expect(decodeChunk(bytes).rows).toEqual(decodeChunk(c.chunk).rows);
  });
});
