// Errors raised by the result codec. Messages describe the problem and where
// it sits (byte offset, column, row); they never echo cell values, which may
// hold user data.

/** Why a metadata blob or result batch could not be decoded. */
export type DecodeErrorCode =
  | 'TRUNCATED'
  | 'BAD_TYPE'
  | 'BAD_LENGTH'
  | 'BAD_SIZE'
  | 'SHORT_DATA'
  | 'BAD_UNION'
  | 'TOO_DEEP'
  | 'TOO_MANY_ROWS'
  | 'MISSING_FIELD'
  | 'UNSUPPORTED_TYPE'
  | 'TYPE_MISMATCH'
  | 'BAD_VALUE'
  | 'BAD_ZONE';

/** Why a value could not be encoded. */
export type EncodeErrorCode = 'BAD_VALUE' | 'BAD_SIZE' | 'UNSUPPORTED_TYPE' | 'OUT_OF_RANGE' | 'BAD_ZONE';

/** Base class of every codec error. */
export class CodecError extends Error {
  override name = 'CodecError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Malformed input: raised for every defect the decoders detect, never a hang or another error type. */
export class DecodeError extends CodecError {
  override name = 'DecodeError';
  declare readonly code: DecodeErrorCode;
  /** Byte offset in the input where the defect was found. */
  readonly offset: number;

  constructor(code: DecodeErrorCode, message: string, offset: number, options?: { cause?: unknown }) {
    super(code, `${message} (at byte ${offset})`, options);
    this.offset = offset;
  }
}

/** A value that cannot travel in the requested column type. */
export class EncodeError extends CodecError {
  override name = 'EncodeError';
  declare readonly code: EncodeErrorCode;
  /** Column index in the chunk, when the error concerns one. */
  readonly column: number | undefined;
  /** Row index in the column, when the error concerns one. */
  readonly row: number | undefined;

  constructor(code: EncodeErrorCode, message: string, where: { column?: number; row?: number } = {}, options?: { cause?: unknown }) {
    super(code, `${message}${describeWhere(where)}`, options);
    this.column = where.column;
    this.row = where.row;
  }
}

function describeWhere(where: { column?: number; row?: number }): string {
  if (where.column === undefined) return '';
  return where.row === undefined ? ` (column ${where.column})` : ` (column ${where.column}, row ${where.row})`;
}
