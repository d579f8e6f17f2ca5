// The result codec's public shapes (docs/wire.md section 6, docs/wire.md section 7, the value table).

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
/** The name of a vector type as the wire spells it (`LONG`, `STRING`, ...). */
export type VectorTypeName = keyof typeof VectorType;

/** One column of result metadata (docs/wire.md 6.1). `type` is the type name as sent, e.g. `LONG`. */
export interface ColumnMetadata {
  name: string;
  type: string;
  zone: string;
  format: string;
}
/** A result's metadata: row count and columns. */
export interface ResultMetadata {
  rowCount: number;
  columns: ColumnMetadata[];
}

/** How LONG values are handed out: `bigint` (default), `number` (RangeError past 2^53) or `string`. */
export type Int64Mode = 'bigint' | 'number' | 'string';
/** How decodeChunk represents 64-bit integers, and the limits it enforces on untrusted input. */
export interface DecodeOptions {
  int64?: Int64Mode;
  /**
   * Most rows a chunk may claim (default 1,048,576). Guards against a chunk of
   * constant vectors that claims billions of rows in a few bytes.
   */
  maxRows?: number;
}

/**
 * A decoded JS value, per the value table (docs/wire.md section 7):
 * - LONG: bigint (or number / string, per `DecodeOptions.int64`). INTEGER, DOUBLE, FLOAT: number.
 * - BOOLEAN: boolean. STRING, ARRAY, MAP, STRUCT: string. BINARY: Buffer (a copy, one per row).
 * - DATE: 'YYYY-MM-DD'; years past 9999 as '+YYYYY-MM-DD', years before 0 as '-YYYYYY-MM-DD'.
 * - DATETIME, TIMESTAMP, INT96: 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (UTC, microseconds).
 * - TIMESTAMP_TZ: 'YYYY-MM-DDTHH:MM:SS.ffffff+HH:MM' in the row's zone; UTC is '+00:00'
 *   (never 'Z'); an offset with seconds (historical local mean time) is '+HH:MM:SS'.
 * - DECIMAL128: exact plain-notation string keeping the scale's digits ('-98765.4321', '1.50').
 * - NULL, or a set null flag: null.
 */
export type CellValue = bigint | number | string | boolean | Buffer | null;

/** One result batch decoded to rows. */
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
 * - DATETIME, TIMESTAMP, INT96: ISO 8601 string (an offset is applied, none means UTC;
 *   fractions past microseconds are truncated), a Date, or bigint microseconds since the epoch.
 *   INT96 also takes its 12 wire bytes (int32 Julian day, int64 nanoseconds of the day).
 * - TIMESTAMP_TZ: the same forms. The row's zone is `zones[r]` when given, else the
 *   string's own offset, else UTC.
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
/** What encodeChunk writes: the vectors of one batch. */
export interface EncodeChunkInput {
  /** Row count; defaults to the longest non-constant vector (or 1 for all-constant). */
  rowCount?: number;
  vectors: readonly EncodeVector[];
}

/** What every column of `decodeChunkColumns` has. */
export interface ColumnCommon {
  /** Rows in the column: the chunk's row count. */
  readonly length: number;
  /** One byte per row: 1 where the row is NULL, 0 elsewhere (a byte per row, not a bitmap). */
  readonly nulls: Uint8Array;
  /** Rows whose `nulls` byte is 1. */
  readonly nullCount: number;
  /**
   * Row `row`'s value exactly as `decodeChunk` hands it out (the value table
   * in CellValue's comment, the chunk's int64 mode included), formatted on
   * each call for the types handed out as text; null for a NULL row.
   * RangeError for a row outside 0..length-1.
   */
  get(row: number): CellValue;
  /** Every row's value, as `decodeChunk` hands out this column. */
  toArray(): CellValue[];
}

/** LONG: the values as sent. NULL rows hold 0. `get` follows `DecodeOptions.int64`. */
export interface LongColumn extends ColumnCommon {
  readonly type: 'LONG';
  readonly values: BigInt64Array;
}
/** INTEGER. NULL rows hold 0. */
export interface IntegerColumn extends ColumnCommon {
  readonly type: 'INTEGER';
  readonly values: Int32Array;
}
/** DOUBLE and FLOAT (a FLOAT widened exactly to a double). NULL rows hold 0. */
export interface FloatColumn extends ColumnCommon {
  readonly type: 'DOUBLE' | 'FLOAT';
  readonly values: Float64Array;
}
/** BOOLEAN: 1 for true, 0 for false and for NULL rows. */
export interface BooleanColumn extends ColumnCommon {
  readonly type: 'BOOLEAN';
  readonly values: Uint8Array;
}
/** DATE: days since 1970-01-01 (a time of day the engine sent is dropped, as `get`'s text drops it). NULL rows hold 0. */
export interface DateColumn extends ColumnCommon {
  readonly type: 'DATE';
  readonly values: Int32Array;
}
/** DATETIME and TIMESTAMP: microseconds since 1970-01-01T00:00:00Z. NULL rows hold 0. */
export interface TimestampColumn extends ColumnCommon {
  readonly type: 'DATETIME' | 'TIMESTAMP';
  readonly values: BigInt64Array;
}
/**
 * TIMESTAMP_TZ: microseconds since 1970-01-01T00:00:00Z, and each row's zone:
 * `zones[zoneIndex[row]]`, a region id or fixed offset as the engine sent it
 * ('UTC' when it sent none). NULL rows hold 0 and zone index -1.
 */
export interface ZonedTimestampColumn extends ColumnCommon {
  readonly type: 'TIMESTAMP_TZ';
  readonly values: BigInt64Array;
  readonly zoneIndex: Int32Array;
  readonly zones: readonly string[];
}
/**
 * DECIMAL128: each row's unscaled value as 16 bytes of little-endian two's
 * complement (row r at `values[16 r, 16 r + 16)`, Arrow's Decimal128
 * layout); the value is unscaled / 10^scale. NULL rows hold 0.
 */
export interface DecimalColumn extends ColumnCommon {
  readonly type: 'DECIMAL128';
  readonly values: Uint8Array;
  readonly scale: number;
}
/** STRING, STRUCT, MAP, ARRAY, and INT96 (as its formatted text): one string per row, null for NULL rows. */
export interface TextColumn extends ColumnCommon {
  readonly type: 'STRING' | 'STRUCT' | 'MAP' | 'ARRAY' | 'INT96';
  readonly values: (string | null)[];
}
/** BINARY: a Buffer per row (each a copy of its own), null for NULL rows. */
export interface BinaryColumn extends ColumnCommon {
  readonly type: 'BINARY';
  readonly values: (Buffer | null)[];
}
/** NULL: every row is NULL. */
export interface NullColumn extends ColumnCommon {
  readonly type: 'NULL';
  readonly values: null;
}
/** One column of a decoded chunk; `type` tells which. */
export type ChunkColumn =
  | LongColumn
  | IntegerColumn
  | FloatColumn
  | BooleanColumn
  | DateColumn
  | TimestampColumn
  | ZonedTimestampColumn
  | DecimalColumn
  | TextColumn
  | BinaryColumn
  | NullColumn;

/** A result batch column by column. Column names are in the result metadata, not the chunk. */
export interface DecodedColumns {
  rowCount: number;
  columns: ChunkColumn[];
}
