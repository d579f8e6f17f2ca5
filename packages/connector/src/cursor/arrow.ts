// Result batches as Apache Arrow record batches. `apache-arrow` is an optional
// dependency, loaded the first time an Arrow method is called; without it those
// methods fail with a clear error and everything else works.
//
// e6data type       Arrow type
// LONG              Int64                  INTEGER        Int32
// DOUBLE, FLOAT     Float64                BOOLEAN        Bool
// DATE              Date32 (days)          DATETIME, TIMESTAMP  Timestamp(µs, 'UTC')
// TIMESTAMP_TZ      Timestamp(µs, zone): the batch's zone when every row has the
//                   same one, else 'UTC' (the instants are exact either way)
// DECIMAL128        Decimal128(38, scale)  BINARY         Binary
// NULL              Null                   STRING, ARRAY, MAP, STRUCT, INT96  Utf8
import type * as Arrow from 'apache-arrow';
import { type ChunkColumn } from '@e6data-ts/grpc-transport';
import { E6DataError } from '../errors';

type ArrowModule = typeof Arrow;
/** An Apache Arrow Table (from the optional `apache-arrow` package). */
export type ArrowTable = Arrow.Table;
/** An Apache Arrow RecordBatch (from the optional `apache-arrow` package). */
export type ArrowRecordBatch = Arrow.RecordBatch;

interface NamedColumn {
  readonly name: string;
  readonly column: ChunkColumn;
}

let loading: Promise<ArrowModule> | undefined;

/** The `apache-arrow` module, loaded once; a clear error when it is not installed. */
export function loadArrow(): Promise<ArrowModule> {
  loading ??= import('apache-arrow').catch((err: unknown) => {
    loading = undefined;
    throw new E6DataError("the Arrow methods need the optional package 'apache-arrow', which is not installed (npm install apache-arrow)", {
      code: 'OPTIONAL_DEPENDENCY_MISSING',
      stage: 'not-sent',
      cause: err,
    });
  });
  return loading;
}

/** The Arrow type of an e6data column; `column` refines decimals (scale) and zoned timestamps (zone). */
export function arrowType(arrow: ArrowModule, typeName: string, column?: ChunkColumn): Arrow.DataType {
  switch (typeName) {
    case 'LONG':
      return new arrow.Int64();
    case 'INTEGER':
      return new arrow.Int32();
    case 'DOUBLE':
    case 'FLOAT':
      return new arrow.Float64();
    case 'BOOLEAN':
      return new arrow.Bool();
    case 'DATE':
      return new arrow.DateDay();
    case 'DATETIME':
    case 'TIMESTAMP':
      return new arrow.Timestamp(arrow.TimeUnit.MICROSECOND, 'UTC');
    case 'TIMESTAMP_TZ': {
      const zones = column?.type === 'TIMESTAMP_TZ' ? column.zones : [];
      return new arrow.Timestamp(arrow.TimeUnit.MICROSECOND, zones.length === 1 ? zones[0]! : 'UTC');
    }
    case 'DECIMAL128':
      return new arrow.Decimal(column?.type === 'DECIMAL128' ? column.scale : 0, 38, 128);
    case 'BINARY':
      return new arrow.Binary();
    case 'NULL':
      return new arrow.Null();
    default:
      return new arrow.Utf8();
  }
}

/** A schema from result metadata (names and type names), for a result with no batch. */
export function arrowSchema(arrow: ArrowModule, description: readonly { name: string; type: string }[], columns: readonly ChunkColumn[]): Arrow.Schema {
  return new arrow.Schema(description.map((d, c) => new arrow.Field(d.name, arrowType(arrow, d.type, columns[c]), true)));
}

/** One columnar batch as an Arrow RecordBatch; typed arrays are handed over without copying where the layouts agree. */
export function toRecordBatch(arrow: ArrowModule, batch: { rowCount: number; columns: readonly (ChunkColumn & { name: string })[] }): Arrow.RecordBatch {
  const named: NamedColumn[] = batch.columns.map((column) => ({ name: column.name, column }));
  const children = named.map(({ column }) => columnData(arrow, column));
  const fields = named.map(({ name }, c) => new arrow.Field(name, children[c]!.type, true));
  const data = arrow.makeData({ type: new arrow.Struct(fields), length: batch.rowCount, nullCount: 0, children });
  return new arrow.RecordBatch(new arrow.Schema(fields), data);
}

function columnData(arrow: ArrowModule, column: ChunkColumn): Arrow.Data {
  const { length, nullCount } = column;
  const nullBitmap = nullCount === 0 ? undefined : validity(column.nulls, length);
  switch (column.type) {
    case 'LONG':
      return arrow.makeData({ type: new arrow.Int64(), length, nullCount, nullBitmap, data: column.values });
    case 'INTEGER':
      return arrow.makeData({ type: new arrow.Int32(), length, nullCount, nullBitmap, data: column.values });
    case 'DOUBLE':
    case 'FLOAT':
      return arrow.makeData({ type: new arrow.Float64(), length, nullCount, nullBitmap, data: column.values });
    case 'BOOLEAN':
      return arrow.makeData({ type: new arrow.Bool(), length, nullCount, nullBitmap, data: validity(column.values, length, 0) });
    case 'DATE':
      return arrow.makeData({ type: new arrow.DateDay(), length, nullCount, nullBitmap, data: column.values });
    case 'DATETIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_TZ':
      return arrow.makeData({ type: arrowType(arrow, column.type, column) as Arrow.Timestamp, length, nullCount, nullBitmap, data: column.values });
    case 'DECIMAL128': {
      // Arrow wants the 16-byte little-endian values as 32-bit words: copy when the bytes are not 4-aligned.
      const bytes = column.values.byteOffset % 4 === 0 ? column.values : column.values.slice();
      const words = new Uint32Array(bytes.buffer, bytes.byteOffset, length * 4);
      return arrow.makeData({ type: new arrow.Decimal(column.scale, 38, 128), length, nullCount, nullBitmap, data: words });
    }
    case 'BINARY':
      return arrow.vectorFromArray(column.values, new arrow.Binary()).data[0]!;
    case 'NULL':
      return arrow.makeData({ type: new arrow.Null(), length, nullCount: length });
    default:
      return arrow.vectorFromArray(column.values, new arrow.Utf8()).data[0]!;
  }
}

/**
 * Packs one byte per row into Arrow's bitmap (least significant bit first).
 * With `invert` 1 (NULL flags in, validity out) a 0 byte sets the bit; with
 * `invert` 0 (boolean values) a non-zero byte does.
 */
function validity(bytes: Uint8Array, length: number, invert: 0 | 1 = 1): Uint8Array {
  const bitmap = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) {
    const on = invert === 1 ? bytes[i] === 0 : bytes[i] !== 0;
    if (on) bitmap[i >> 3]! |= 1 << (i & 7);
  }
  return bitmap;
}
