// The result codec: result metadata (docs/wire.md 6.1) and result batches (Thrift
// binary Chunk, docs/wire.md 6.2), both directions.
export { decodeResultMetadata, encodeResultMetadata } from './result-metadata';
export { decodeChunk, DEFAULT_MAX_ROWS } from './chunk-decode';
export { decodeChunkColumns } from './chunk-columns';
export { encodeChunk } from './chunk-encode';
export { CodecError, DecodeError, EncodeError, type DecodeErrorCode, type EncodeErrorCode } from './codec-error';
export {
  VectorType,
  type VectorTypeName,
  type ColumnMetadata,
  type ResultMetadata,
  type Int64Mode,
  type DecodeOptions,
  type CellValue,
  type DecodedChunk,
  type DecodedColumns,
  type ChunkColumn,
  type ColumnCommon,
  type LongColumn,
  type IntegerColumn,
  type FloatColumn,
  type BooleanColumn,
  type DateColumn,
  type TimestampColumn,
  type ZonedTimestampColumn,
  type DecimalColumn,
  type TextColumn,
  type BinaryColumn,
  type NullColumn,
  type EncodeVector,
  type EncodeChunkInput,
} from './types';
