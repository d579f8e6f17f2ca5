// How DuckDB columns travel as e6data vectors (docs/wire.md section 6).
//
// Decisions worth knowing:
// - 64-bit integers: BIGINT, UBIGINT, UINTEGER, HUGEINT and UHUGEINT columns are
//   LONG. A value that does not fit a signed 64-bit integer fails the batch
//   with VALUE_OUT_OF_RANGE (gRPC OUT_OF_RANGE) instead of silently switching
//   the column to STRING mid-result: the column's type was already announced in
//   the metadata. CAST such a column to VARCHAR to read it.
// - Temporal values travel as microseconds since the epoch (UTC). TIMESTAMP_NS
//   is floored to microseconds. Infinite dates and timestamps, and dates too far
//   out for int64 microseconds, fail with VALUE_OUT_OF_RANGE.
// - TIMESTAMPTZ: DuckDB keeps the instant in UTC, so every row's zone is '+00:00'.
// - Nested values (LIST, ARRAY, STRUCT, MAP) and everything without an e6data
//   counterpart (UUID, INTERVAL, TIME, ENUM, UNION, BIT...) travel as their text
//   form: the SQL-literal form DuckDB's client library renders, e.g.
//   `[1, 2, NULL]`, `{'name': 'a', 'score': 3}`, `{'a': 1}`.
// - Result metadata names every column's zone 'UTC' and leaves the format empty,
//   as the reference engine does.
import {
  DuckDBTypeId,
  type DuckDBBlobValue,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampTZValue,
  type DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { type ColumnMetadata, type EncodeVector, type VectorTypeName } from '@e6data-ts/grpc-transport';
import { EngineError } from './engine-error';

/** The zone result metadata names for every column. */
export const RESULT_ZONE = 'UTC';
/** The zone every TIMESTAMP_TZ row carries: DuckDB stores the UTC instant. */
export const TIMESTAMP_TZ_ROW_ZONE = '+00:00';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MICROS_PER_DAY = 86_400_000_000n;

/** How one DuckDB column is sent: its e6data type and the conversion of each non-NULL value. */
export interface ColumnMapping {
  readonly vectorType: VectorTypeName;
  /** DECIMAL128 only: the column's scale. */
  readonly scale?: number;
  /** Turns one non-NULL DuckDB value into the form `EncodeVector` accepts for `vectorType`. */
  readonly convert: (value: DuckDBValue) => unknown;
}

/** Raised by a conversion; the caller adds the column name. */
class ValueOutOfRange extends Error {}

function checkedInt64(value: bigint, what: string): bigint {
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new ValueOutOfRange(`${what} ${value} does not fit in a 64-bit LONG`);
  }
  return value;
}

function floorDiv(value: bigint, divisor: bigint): bigint {
  const quotient = value / divisor;
  return value % divisor !== 0n && value < 0n ? quotient - 1n : quotient;
}

function finiteOrThrow(value: { isFinite: boolean; toString(): string }, type: string): void {
  if (!value.isFinite) throw new ValueOutOfRange(`${type} '${value.toString()}' has no e6data wire form`);
}

const asIs = (value: DuckDBValue): unknown => value;
const asText = (value: DuckDBValue): unknown => String(value);
const toLong = (value: DuckDBValue): unknown => checkedInt64(BigInt(value as bigint | number), 'value');

const dateMicros = (value: DuckDBValue): unknown => {
  const date = value as DuckDBDateValue;
  finiteOrThrow(date, 'DATE');
  return checkedInt64(BigInt(date.days) * MICROS_PER_DAY, `DATE ${date.toString()} as microseconds`);
};
const timestampMicros = (value: DuckDBValue): unknown => {
  const timestamp = value as DuckDBTimestampValue | DuckDBTimestampTZValue;
  finiteOrThrow(timestamp, 'TIMESTAMP');
  return timestamp.micros;
};
const secondsMicros = (value: DuckDBValue): unknown => {
  const timestamp = value as DuckDBTimestampSecondsValue;
  finiteOrThrow(timestamp, 'TIMESTAMP_S');
  return checkedInt64(timestamp.seconds * 1_000_000n, 'TIMESTAMP_S as microseconds');
};
const millisMicros = (value: DuckDBValue): unknown => {
  const timestamp = value as DuckDBTimestampMillisecondsValue;
  finiteOrThrow(timestamp, 'TIMESTAMP_MS');
  return checkedInt64(timestamp.millis * 1_000n, 'TIMESTAMP_MS as microseconds');
};
const nanosMicros = (value: DuckDBValue): unknown => {
  const timestamp = value as DuckDBTimestampNanosecondsValue;
  finiteOrThrow(timestamp, 'TIMESTAMP_NS');
  return floorDiv(timestamp.nanos, 1_000n);
};
const blobBytes = (value: DuckDBValue): unknown => Buffer.from((value as DuckDBBlobValue).bytes);
const decimalUnscaled = (value: DuckDBValue): unknown => (value as DuckDBDecimalValue).value;

const mapping = (vectorType: VectorTypeName, convert: ColumnMapping['convert']): ColumnMapping => ({ vectorType, convert });

const BOOLEAN = mapping('BOOLEAN', asIs);
const INTEGER = mapping('INTEGER', asIs);
const LONG = mapping('LONG', toLong);
const FLOAT = mapping('FLOAT', asIs);
const DOUBLE = mapping('DOUBLE', asIs);
const STRING_VALUE = mapping('STRING', asIs);
const STRING_TEXT = mapping('STRING', asText);
const BINARY = mapping('BINARY', blobBytes);
const DATE = mapping('DATE', dateMicros);
const DATETIME = mapping('DATETIME', timestampMicros);
const DATETIME_S = mapping('DATETIME', secondsMicros);
const DATETIME_MS = mapping('DATETIME', millisMicros);
const DATETIME_NS = mapping('DATETIME', nanosMicros);
const TIMESTAMP_TZ = mapping('TIMESTAMP_TZ', timestampMicros);
const ARRAY = mapping('ARRAY', asText);
const STRUCT = mapping('STRUCT', asText);
const MAP = mapping('MAP', asText);
const NULL = mapping('NULL', () => null);

/** The e6data form of a DuckDB column type. Every type has one: what has no counterpart travels as text. */
export function mapColumnType(type: DuckDBType): ColumnMapping {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return BOOLEAN;
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return INTEGER;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return LONG;
    case DuckDBTypeId.FLOAT:
      return FLOAT;
    case DuckDBTypeId.DOUBLE:
      return DOUBLE;
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
      return STRING_VALUE;
    case DuckDBTypeId.BLOB:
      return BINARY;
    case DuckDBTypeId.DATE:
      return DATE;
    case DuckDBTypeId.TIMESTAMP:
      return DATETIME;
    case DuckDBTypeId.TIMESTAMP_S:
      return DATETIME_S;
    case DuckDBTypeId.TIMESTAMP_MS:
      return DATETIME_MS;
    case DuckDBTypeId.TIMESTAMP_NS:
      return DATETIME_NS;
    case DuckDBTypeId.TIMESTAMP_TZ:
      return TIMESTAMP_TZ;
    case DuckDBTypeId.DECIMAL:
      return { vectorType: 'DECIMAL128', scale: type.scale, convert: decimalUnscaled };
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return ARRAY;
    case DuckDBTypeId.STRUCT:
      return STRUCT;
    case DuckDBTypeId.MAP:
      return MAP;
    case DuckDBTypeId.SQLNULL:
      return NULL;
    default:
      return STRING_TEXT;
  }
}

/** The e6data type name of a DuckDB column type, as getColumns reports it. */
export function e6dataTypeName(type: DuckDBType): VectorTypeName {
  return mapColumnType(type).vectorType;
}

/** One column of result metadata (docs/wire.md 6.1). */
export function columnMetadata(name: string, column: ColumnMapping): ColumnMetadata {
  return { name, type: column.vectorType, zone: RESULT_ZONE, format: '' };
}

/**
 * One column's rows as an `EncodeVector`. NULLs stay `null`; a value without a
 * wire form raises VALUE_OUT_OF_RANGE naming the column and the row.
 */
export function toEncodeVector(columnName: string, column: ColumnMapping, values: readonly DuckDBValue[]): EncodeVector {
  const converted = new Array<unknown>(values.length);
  for (let row = 0; row < values.length; row += 1) {
    const value = values[row] ?? null;
    try {
      converted[row] = value === null ? null : column.convert(value);
    } catch (error) {
      if (error instanceof ValueOutOfRange) {
        throw new EngineError('VALUE_OUT_OF_RANGE', `column ${columnName}, row ${row + 1} of the batch: ${error.message}; CAST it to VARCHAR to read it`, { cause: error });
      }
      throw error;
    }
  }
  const vector: EncodeVector = { type: column.vectorType, values: converted };
  if (column.scale !== undefined) vector.scale = column.scale;
  if (column.vectorType === 'TIMESTAMP_TZ') {
    vector.zones = converted.map((value) => (value === null ? null : TIMESTAMP_TZ_ROW_ZONE));
  }
  return vector;
}
