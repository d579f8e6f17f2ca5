// Re-cutting DuckDB's 2,048-row chunks into batches of the configured size,
// reading only as far as needed.
import fc from 'fast-check';
import { BatchReader, duckdb, type ChunkLike, type ChunkSource } from '@e6data-ts/mock-engine/internal';

/** A source of chunks of the given sizes, one column holding the row number; counts fetches. */
function chunks(sizes: number[], endWith: 'null' | 'empty' = 'null'): ChunkSource & { fetches: number } {
  let next = 0;
  let row = 0;
  const source = {
    fetches: 0,
    fetchChunk(): Promise<ChunkLike | null> {
      source.fetches += 1;
      const size = sizes[next];
      next += 1;
      if (size === undefined) return Promise.resolve(endWith === 'null' ? null : { rowCount: 0, getColumns: () => [[]] });
      const start = row;
      row += size;
      return Promise.resolve({ rowCount: size, getColumns: () => [Array.from({ length: size }, (_, i) => start + i)] });
    },
  };
  return source;
}

async function drain(reader: BatchReader): Promise<number[][]> {
  const batches: number[][] = [];
  for (let batch = await reader.next(); batch; batch = await reader.next()) batches.push(batch.columns[0] as number[]);
  return batches;
}

describe('BatchReader', () => {
  test('cuts chunks into full batches and one short last batch, rows in order', async () => {
    const reader = new BatchReader(chunks([2048, 2048, 100]), 1, 1000);
    const batches = await drain(reader);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 1000, 1000, 196]);
    expect(batches.flat()).toEqual(Array.from({ length: 4196 }, (_, i) => i));
    expect(reader.rowsDelivered).toBe(4196);
    expect(await reader.next()).toBeNull();
  });

  test('joins small chunks into one batch', async () => {
    const batches = await drain(new BatchReader(chunks([3, 4, 5]), 1, 10));
    expect(batches.map((b) => b.length)).toEqual([10, 2]);
  });

  test('an empty chunk ends the result just like null', async () => {
    expect((await drain(new BatchReader(chunks([5], 'empty'), 1, 2))).map((b) => b.length)).toEqual([2, 2, 1]);
    expect(await new BatchReader(chunks([], 'empty'), 1, 2).next()).toBeNull();
  });

  test('pulls no further than the batch needs', async () => {
    const source = chunks([2048, 2048, 2048]);
    const reader = new BatchReader(source, 1, 1000);
    await reader.next();
    expect(source.fetches).toBe(1);
    await reader.next();
    await reader.next();
    expect(source.fetches).toBe(2);
  });

  test('peek buffers the next batch; totalRows is known only once the source ended', async () => {
    const small = new BatchReader(chunks([3]), 1, 10);
    expect((await small.peek())?.rowCount).toBe(3);
    expect(small.complete).toBe(true);
    expect(small.totalRows).toBe(3);
    expect((await small.next())?.rowCount).toBe(3);
    expect(small.totalRows).toBe(3);

    const large = new BatchReader(chunks([2048]), 1, 10);
    await large.peek();
    expect(large.complete).toBe(false);
    expect(large.totalRows).toBeNull();
  });

  test('refuses a batch size that is not a positive integer', () => {
    expect(() => new BatchReader(chunks([]), 1, 0)).toThrow(RangeError);
    expect(() => new BatchReader(chunks([]), 1, 1.5)).toThrow(RangeError);
  });

  test('for any chunking and batch size: every row once, in order, batches full but the last', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 12 }), fc.integer({ min: 1, max: 40 }), async (sizes, batchRows) => {
        const batches = await drain(new BatchReader(chunks(sizes), 1, batchRows));
        const total = sizes.reduce((a, b) => a + b, 0);
        expect(batches.flat()).toEqual(Array.from({ length: total }, (_, i) => i));
        expect(batches.slice(0, -1).every((b) => b.length === batchRows)).toBe(true);
        expect(batches.every((b) => b.length > 0 && b.length <= batchRows)).toBe(true);
      }),
    );
  });

  test('streams a DuckDB result: the first batch of a huge series arrives without reading the rest', async () => {
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const result = await connection.stream('SELECT i, i * 2 AS j FROM range(100000000) AS t(i)');
      const reader = new BatchReader(result, 2, 1000);
      const first = await reader.next();
      expect(first?.rowCount).toBe(1000);
      expect(first?.columns[1]?.slice(0, 3)).toEqual([0n, 2n, 4n]);
      expect(reader.complete).toBe(false);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
