// The result codec's public shapes (WIRE.md section 6, DESIGN.md value table).

/** e6data column types, as they travel in the Thrift `VectorType` enum (i32). */
export const VectorType = {
  BINARY: 0,
  BOOLEAN: 1,
  DOUBLE: 2,
  FLOAT: 3,
  INT96: 4,
  INTEGER: 5,
  LONG: 6,
  STRING: 7,
  DATE: 8,
  DATETIME: 9,
  TIMESTAMP: 10,
  STRUCT: 11,
  MAP: 12,
  ARRAY: 13,
  NULL: 14,
  TIMESTAMP_TZ: 15,
  DECIMAL128: 16,
} as const;
export type VectorTypeName = keyof typeof VectorType;

/** One column of result metadata (WIRE.md 6.1). `type` is the type name as sent, e.g. `LONG`. */
export interface ColumnMetadata {
  name: string;
  type: string;
  zone: string;
  format: string;
}
export interface ResultMetadata {
  rowCount: number;
  columns: ColumnMetadata[];
}

/** How LONG values are handed out: `bigint` (default), `number` (RangeError past 2^53) or `string`. */
export type Int64Mode = 'bigint' | 'number' | 'string';
export interface DecodeOptions {
  int64?: Int64Mode;
}

/** A decoded JS value, per DESIGN.md's value table. */
export type CellValue = bigint | number | string | boolean | Buffer | null;

export interface DecodedChunk {
  rowCount: number;
  /** Row-major: rows[r][c]. */
  rows: CellValue[][];
  /** The VectorType name of each column, as the chunk declared it. */
  columnTypes: VectorTypeName[];
}

/**
 * One column to encode. `values` holds one entry per row (or exactly one when
 * `constant`), `null` for NULL. Accepted value forms, per type:
 * - LONG: bigint, safe-integer number, or decimal string. INTEGER: number.
 * - DOUBLE, FLOAT: number. BOOLEAN: boolean.
 * - STRING, ARRAY, MAP, STRUCT: string. BINARY: Buffer/Uint8Array (or string, as UTF-8).
 * - DATE: 'YYYY-MM-DD' (or '+YYYYY-MM-DD'), a Date, or bigint microseconds since the epoch.
 * - DATETIME, TIMESTAMP: ISO 8601 string, a Date, or bigint microseconds since the epoch.
 * - TIMESTAMP_TZ: ISO 8601 string with offset (the offset becomes the row's zone),
 *   or bigint microseconds (UTC) with the row's zone taken from `zones[r]`.
 * - DECIMAL128: decimal string (plain notation) or bigint unscaled value; `scale` applies to the vector.
 * - NULL: anything; every row is NULL.
 */
export interface EncodeVector {
  type: VectorTypeName;
  values: readonly unknown[];
  constant?: boolean;
  /** DECIMAL128 scale; when absent it is derived from the string values. */
  scale?: number;
  /** TIMESTAMP_TZ: per-row zone (`+05:30` or a region id), used with bigint values. */
  zones?: readonly (string | null)[];
  zoneOffset?: string;
  format?: string;
}
export interface EncodeChunkInput {
  /** Row count; defaults to the longest non-constant vector (or 1 for all-constant). */
  rowCount?: number;
  vectors: readonly EncodeVector[];
}
