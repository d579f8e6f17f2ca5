import { ByteReader } from './byte-reader';
import { DecodeError, EncodeError } from './codec-error';
import { decodeModifiedUtf8, modifiedUtf8Length, writeModifiedUtf8 } from './modified-utf8';
import { type ColumnMetadata, type ResultMetadata } from './types';

// docs/wire.md 6.1: Java DataOutputStream layout, big-endian.
//   int64 rowCount, int32 fieldCount, then per field four writeUTF strings:
//   name, typeName, zone, dateFormat.

/** The smallest a field can be: four empty strings, each a uint16 length. */
const MIN_FIELD_BYTES = 8;

/** Reads getResultMetadata's bytes: the row count and each column's name and type. */
export function decodeResultMetadata(buf: Buffer): ResultMetadata {
  const r = new ByteReader(buf);
  const rowCountAt = r.pos;
  const rowCount64 = r.i64('the row count');
  if (rowCount64 < -BigInt(Number.MAX_SAFE_INTEGER) || rowCount64 > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DecodeError('BAD_VALUE', 'result metadata row count is outside the safe integer range', rowCountAt);
  }
  const countAt = r.pos;
  const fieldCount = r.i32('the field count');
  if (fieldCount < 0 || fieldCount * MIN_FIELD_BYTES > r.remaining()) {
    throw new DecodeError('BAD_LENGTH', `result metadata declares ${fieldCount} fields, which ${r.remaining()} bytes cannot hold`, countAt);
  }
  const columns: ColumnMetadata[] = new Array<ColumnMetadata>(fieldCount);
  for (let i = 0; i < fieldCount; i++) {
    const name = readUtf(r, 'a column name');
    const type = readUtf(r, 'a column type name');
    const zone = readUtf(r, 'a column zone');
    const format = readUtf(r, 'a column date format');
    columns[i] = { name, type, zone, format };
  }
  return { rowCount: Number(rowCount64), columns };
}

function readUtf(r: ByteReader, what: string): string {
  const n = r.u16(what);
  const at = r.take(n, what);
  return decodeModifiedUtf8(r.buf, at, at + n);
}

/** Writes result metadata as an engine sends it (the inverse of decodeResultMetadata). */
export function encodeResultMetadata(meta: ResultMetadata): Buffer {
  if (!Number.isSafeInteger(meta.rowCount)) {
    throw new EncodeError('OUT_OF_RANGE', 'result metadata row count must be a safe integer');
  }
  const strings: string[] = [];
  for (let i = 0; i < meta.columns.length; i++) {
    const c = meta.columns[i]!;
    strings.push(c.name, c.type, c.zone, c.format);
  }
  let size = 12;
  const lengths = strings.map((s, k) => {
    const n = modifiedUtf8Length(s);
    if (n > 0xffff) {
      throw new EncodeError('OUT_OF_RANGE', `column ${k >> 2} ${FIELD_PARTS[k & 3]} is ${n} bytes in modified UTF-8; the format allows at most 65535`);
    }
    size += 2 + n;
    return n;
  });
  const out = Buffer.allocUnsafe(size);
  out.writeBigInt64BE(BigInt(meta.rowCount), 0);
  out.writeInt32BE(meta.columns.length, 8);
  let p = 12;
  for (let k = 0; k < strings.length; k++) {
    out.writeUInt16BE(lengths[k]!, p);
    p = writeModifiedUtf8(strings[k]!, out, p + 2);
  }
  return out;
}

const FIELD_PARTS = ['name', 'type name', 'zone', 'date format'] as const;
