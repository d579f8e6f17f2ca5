import { type DuckDBValue } from '@duckdb/node-api';

/** What the reader pulls from: a streaming DuckDB result (`DuckDBResult` fits). */
export interface ChunkSource {
  fetchChunk(): Promise<ChunkLike | null>;
}
export interface ChunkLike {
  readonly rowCount: number;
  getColumns(): DuckDBValue[][];
}

/** One batch: `columns[c][r]`, every column `rowCount` long. */
export interface RowBatch {
  readonly rowCount: number;
  readonly columns: readonly (readonly DuckDBValue[])[];
}

/**
 * Re-cuts DuckDB's chunks (2,048 rows each) into batches of exactly
 * `batchRows` rows (the last one may be shorter), pulling from the source only
 * as far as the next batch needs: at most one DuckDB chunk is held in memory
 * besides the batch itself, so a result is never materialised whole.
 */
export class BatchReader {
  private pending: { columns: DuckDBValue[][]; rowCount: number; offset: number } | null = null;
  private buffered: RowBatch | null = null;
  private sourceDone = false;
  private delivered = 0;

  constructor(
    private readonly source: ChunkSource,
    private readonly columnCount: number,
    private readonly batchRows: number,
  ) {
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new RangeError(`batchRows must be a positive integer, got ${batchRows}`);
  }

  /** Rows handed out by `next()` so far. */
  get rowsDelivered(): number {
    return this.delivered;
  }

  /**
   * True once every row has been handed out or buffered by `peek()`, so
   * `totalRows` is known.
   */
  get complete(): boolean {
    return this.sourceDone && this.pending === null;
  }

  /** The total row count when `complete`, else null. */
  get totalRows(): number | null {
    return this.complete ? this.delivered + (this.buffered?.rowCount ?? 0) : null;
  }

  /** Reads the next batch without handing it out; `next()` returns it. Null when the result is exhausted. */
  async peek(): Promise<RowBatch | null> {
    this.buffered ??= await this.read();
    return this.buffered;
  }

  /** The next batch, or null once the result is exhausted (and every call after). */
  async next(): Promise<RowBatch | null> {
    const batch = this.buffered ?? (await this.read());
    this.buffered = null;
    if (batch) this.delivered += batch.rowCount;
    return batch;
  }

  private async read(): Promise<RowBatch | null> {
    const columns: DuckDBValue[][] = Array.from({ length: this.columnCount }, () => []);
    let rowCount = 0;
    while (rowCount < this.batchRows) {
      const pending = this.pending ?? (await this.fetch());
      if (!pending) break;
      const take = Math.min(this.batchRows - rowCount, pending.rowCount - pending.offset);
      for (let c = 0; c < this.columnCount; c += 1) {
        const source = pending.columns[c] ?? [];
        const target = columns[c] as DuckDBValue[];
        for (let r = pending.offset; r < pending.offset + take; r += 1) target.push(source[r] ?? null);
      }
      pending.offset += take;
      rowCount += take;
      this.pending = pending.offset < pending.rowCount ? pending : null;
    }
    return rowCount === 0 ? null : { rowCount, columns };
  }

  private async fetch(): Promise<{ columns: DuckDBValue[][]; rowCount: number; offset: number } | null> {
    if (this.sourceDone) return null;
    // DuckDB signals the end with null or with an empty chunk, depending on the result kind.
    const chunk = await this.source.fetchChunk();
    if (!chunk || chunk.rowCount === 0) {
      this.sourceDone = true;
      return null;
    }
    this.pending = { columns: chunk.getColumns(), rowCount: chunk.rowCount, offset: 0 };
    return this.pending;
  }
}
