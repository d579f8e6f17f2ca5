import { decodeChunk, decodeChunkColumns, encodeChunk, type EncodeVector } from '@e6data-ts/grpc-transport';

// Rows of more than eight columns come from a row builder made per width
// (and, past 1,024 columns, from a plain loop): whatever the width, each row
// holds its own cells in column order, NULLs included.

/** `width` columns of `rows` rows cycling through LONG past 2^53, non-ASCII STRING and INTEGER, with NULLs. */
function wideChunk(width: number, rows: number): { vectors: EncodeVector[]; expected: unknown[][] } {
  const vectors: EncodeVector[] = [];
  for (let c = 0; c < width; c++) {
    const nullAt = (r: number): boolean => (r + c) % 7 === 3;
    if (c % 3 === 0) vectors.push({ type: 'LONG', values: Array.from({ length: rows }, (_, r) => (nullAt(r) ? null : 2n ** 53n + BigInt(r * 1_000 + c))) });
    else if (c % 3 === 1) vectors.push({ type: 'STRING', values: Array.from({ length: rows }, (_, r) => (nullAt(r) ? null : `zoë-${r}-${c}-日本`)) });
    else vectors.push({ type: 'INTEGER', values: Array.from({ length: rows }, (_, r) => (nullAt(r) ? null : -(r * 1_000 + c))) });
  }
  const expected = Array.from({ length: rows }, (_, r) => vectors.map((v) => v.values[r]));
  return { vectors, expected };
}

describe('rows of wide results', () => {
  it.each([9, 16, 50, 1_024, 1_025, 2_000])('%d columns: every row holds its own cells, in column order', (width) => {
    const { vectors, expected } = wideChunk(width, 5);
    const bytes = encodeChunk({ rowCount: 5, vectors });
    const { rows, rowCount } = decodeChunk(bytes);
    expect(rowCount).toBe(5);
    expect(rows).toEqual(expected);
    expect(rows.every((row) => row.length === width)).toBe(true);
    // The same cells as the columnar reading.
    const columns = decodeChunkColumns(bytes).columns.map((column) => column.toArray());
    expect(rows).toEqual(expected.map((_, r) => columns.map((column) => column[r])));
    // Rows share nothing: changing one leaves the others as they were.
    rows[0]![0] = 'changed';
    expect(rows[1]![0]).toEqual(expected[1]![0]);
  });

  it('reads correctly across more distinct widths than the builders kept, and with no rows', () => {
    for (let width = 9; width < 9 + 80; width++) {
      const { vectors, expected } = wideChunk(width, width % 4);
      expect(decodeChunk(encodeChunk({ rowCount: width % 4, vectors })).rows).toEqual(expected);
    }
    // Widths seen before the builders were dropped are built again.
    const { vectors, expected } = wideChunk(9, 3);
    expect(decodeChunk(encodeChunk({ rowCount: 3, vectors })).rows).toEqual(expected);
  });
});
