import { ByteWriter } from './byte-writer';
import { Variant } from './chunk-layout';
import { EncodeError } from './codec-error';
import { decimalScale, writeDecimalValues } from './decimal-encode';
import { formatOffset, parseFixedOffset } from './fixed-offset';
import { TType } from './thrift-binary';
import { type EncodeChunkInput, type EncodeVector, VectorType, type VectorTypeName } from './types';
import { badValue, toDateMicros, toInt32, toInt64, toInt96, toTimestampMicros } from './value-encode';
import { ZoneRules } from './zone-offset';

// Writes a Thrift binary `Chunk` (docs/wire.md 6.2) making the same choices as the
// reference Thrift writer, so that its test vectors re-encode byte for byte:
// fields in id order; nullSet always present (one flag for a constant
// vector); isConstantVector always written; zoneOffset and format only when
// given; NULL rows hold a zero / empty placeholder value.

const MAX_ROWS = 0x7fffffff;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

// The per-cell checks live in this module on purpose: calls into another
// module cost an accessor call per cell under some CommonJS transpilers.
function isNullish(x: unknown): x is null | undefined {
  return x === null || x === undefined;
}

/** Writes a result batch as the Thrift binary Chunk an engine sends (the inverse of decodeChunk). */
export function encodeChunk(input: EncodeChunkInput): Buffer {
  const vectors = input.vectors;
  const rowCount = resolveRowCount(input);
  // Room for 8-byte values and short strings; the writer grows when that is not enough.
  const w = new ByteWriter(64 + rowCount * vectors.length * 16);
  field(w, TType.I32, 1);
  w.i32(rowCount);
  field(w, TType.LIST, 2);
  w.u8(TType.STRUCT);
  w.i32(vectors.length);
  const zones = new ZoneRules();
  for (let c = 0; c < vectors.length; c++) encodeVector(w, vectors[c]!, c, rowCount, zones);
  w.u8(TType.STOP);
  return w.finish();
}

function resolveRowCount(input: EncodeChunkInput): number {
  let rows = input.rowCount;
  if (rows !== undefined && (!Number.isInteger(rows) || rows < 0 || rows > MAX_ROWS)) {
    throw new EncodeError('BAD_SIZE', `rowCount must be an integer from 0 to ${MAX_ROWS}`);
  }
  if (rows === undefined) {
    let longest = -1;
    for (const v of input.vectors) if (!isConstant(v)) longest = Math.max(longest, v.values.length);
    rows = longest >= 0 ? longest : input.vectors.length > 0 ? 1 : 0;
  }
  return rows;
}

function isConstant(v: EncodeVector): boolean {
  return v.constant === true;
}

function field(w: ByteWriter, type: number, id: number): void {
  w.u8(type);
  w.i16(id);
}

function encodeVector(w: ByteWriter, v: EncodeVector, c: number, rowCount: number, zones: ZoneRules): void {
  const typeNumber = (VectorType as Record<string, number | undefined>)[v.type];
  if (typeNumber === undefined || !Object.hasOwn(VectorType, v.type)) {
    throw new EncodeError('UNSUPPORTED_TYPE', `unknown vector type '${String(v.type).slice(0, 32)}'`, { column: c });
  }
  const constant = isConstant(v);
  const expected = constant ? 1 : rowCount;
  if (v.values.length !== expected) {
    const what = constant ? 'a constant vector needs exactly 1 value' : `the chunk has ${rowCount} rows`;
    throw new EncodeError('BAD_SIZE', `vector has ${v.values.length} values; ${what}`, { column: c });
  }
  const n = v.type === 'NULL' ? 1 : expected;
  field(w, TType.I32, 1);
  w.i32(rowCount);
  field(w, TType.I32, 2);
  w.i32(typeNumber);
  field(w, TType.LIST, 3);
  w.u8(TType.BOOL);
  w.i32(n);
  if (v.type === 'NULL') w.u8(1);
  else w.nullFlags(v.values, n);
  field(w, TType.STRUCT, 4);
  encodeData(w, v, c, n, constant || v.type === 'NULL', zones);
  w.u8(TType.STOP);
  field(w, TType.BOOL, 5);
  w.u8(constant || v.type === 'NULL' ? 1 : 0);
  if (v.zoneOffset !== undefined) {
    field(w, TType.STRING, 6);
    w.lengthPrefixedUtf8(v.zoneOffset);
  }
  if (v.format !== undefined) {
    field(w, TType.STRING, 7);
    w.lengthPrefixedUtf8(v.format);
  }
  w.u8(TType.STOP);
}

/** Writes the Data union's one field (the variant struct, ended by its STOP); the caller ends the union. */
function encodeData(w: ByteWriter, v: EncodeVector, c: number, n: number, constant: boolean, zones: ZoneRules): void {
  const values = v.values;
  const type: VectorTypeName = v.type;
  switch (type) {
    case 'NULL':
      variant(w, Variant.nullConstantData);
      field(w, TType.BYTE, 1);
      w.u8(0);
      break;
    case 'BOOLEAN':
      if (constant) {
        variant(w, Variant.boolConstantData);
        field(w, TType.BOOL, 1);
      } else {
        variant(w, Variant.boolData);
        list(w, TType.BOOL, n);
      }
      for (let r = 0; r < n; r++) {
        const x = values[r];
        if (isNullish(x)) w.u8(0);
        else if (typeof x === 'boolean') w.u8(x ? 1 : 0);
        else throw badValue(type, 'a boolean', x, c, r);
      }
      break;
    case 'INTEGER':
      if (constant) {
        variant(w, Variant.numericConstantData);
        field(w, TType.I64, 1);
        const x = values[0];
        w.i64(isNullish(x) ? 0n : BigInt(toInt32(x, c, 0)));
      } else {
        variant(w, Variant.int32Data);
        list(w, TType.I32, n);
        for (let r = 0; r < n; r++) {
          const x = values[r];
          if (isNullish(x)) w.i32(0);
          else w.i32(typeof x === 'number' && (x | 0) === x ? x : toInt32(x, c, r));
        }
      }
      break;
    case 'LONG':
      if (constant) {
        variant(w, Variant.numericConstantData);
        field(w, TType.I64, 1);
      } else {
        variant(w, Variant.int64Data);
        list(w, TType.I64, n);
      }
      for (let r = 0; r < n; r++) {
        const x = values[r];
        if (isNullish(x)) w.i64Parts(0, 0);
        else if (typeof x === 'bigint' && x >= INT64_MIN && x <= INT64_MAX) w.i64(x);
        else writeInt64(w, toInt64(x, c, r));
      }
      break;
    case 'DOUBLE':
    case 'FLOAT':
      if (constant) {
        variant(w, Variant.numericDecimalConstantData);
        field(w, TType.DOUBLE, 1);
      } else {
        variant(w, type === 'DOUBLE' ? Variant.float64Data : Variant.float32Data);
        list(w, TType.DOUBLE, n);
      }
      for (let r = 0; r < n; r++) {
        const x = values[r];
        if (isNullish(x)) w.f64(0);
        else if (typeof x === 'number') w.f64(x);
        else throw badValue(type, 'a number', x, c, r);
      }
      break;
    case 'STRING':
    case 'STRUCT':
    case 'MAP':
    case 'ARRAY':
      textStart(w, constant, n);
      for (let r = 0; r < n; r++) {
        const x = values[r];
        if (isNullish(x)) w.i32(0);
        else if (typeof x === 'string') w.lengthPrefixedUtf8(x);
        else throw badValue(type, 'a string', x, c, r);
      }
      break;
    case 'BINARY':
      textStart(w, constant, n);
      for (let r = 0; r < n; r++) {
        const x = values[r];
        if (isNullish(x)) w.i32(0);
        else if (x instanceof Uint8Array) w.lengthPrefixedBytes(x);
        else if (typeof x === 'string') w.lengthPrefixedUtf8(x);
        else throw badValue(type, 'a Buffer, a Uint8Array or a string', x, c, r);
      }
      break;
    case 'INT96':
      textStart(w, constant, n);
      for (let r = 0; r < n; r++) {
        const x = values[r];
        if (isNullish(x)) w.i32(0);
        else w.lengthPrefixedBytes(toInt96(x, c, r));
      }
      break;
    case 'DATE':
      if (constant) {
        variant(w, Variant.dateConstantData);
        field(w, TType.I64, 1);
      } else {
        variant(w, Variant.dateData);
        list(w, TType.I64, n);
      }
      for (let r = 0; r < n; r++) {
        const x = values[r];
        w.i64(isNullish(x) ? 0n : toDateMicros(x, c, r));
      }
      break;
    case 'DATETIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_TZ':
      encodeTimes(w, v, c, n, constant, zones);
      return;
    case 'DECIMAL128':
      encodeDecimals(w, v, c, n, constant);
      return;
  }
  w.u8(TType.STOP);
}

function variant(w: ByteWriter, id: number): void {
  field(w, TType.STRUCT, id);
}

function list(w: ByteWriter, elem: number, n: number): void {
  field(w, TType.LIST, 1);
  w.u8(elem);
  w.i32(n);
}

function textStart(w: ByteWriter, constant: boolean, n: number): void {
  if (constant) {
    variant(w, Variant.varcharConstantData);
    field(w, TType.STRING, 1);
  } else {
    variant(w, Variant.varcharData);
    list(w, TType.STRING, n);
  }
}

function writeInt64(w: ByteWriter, x: bigint | number): void {
  if (typeof x === 'bigint') {
    w.i64(x);
    return;
  }
  const hi = Math.floor(x / 4294967296);
  w.i64Parts(hi, x - hi * 4294967296);
}

function encodeTimes(w: ByteWriter, v: EncodeVector, c: number, n: number, constant: boolean, zones: ZoneRules): void {
  const type = v.type;
  const zoned = type === 'TIMESTAMP_TZ';
  const micros: bigint[] = new Array<bigint>(n);
  const rowZones: string[] = zoned ? new Array<string>(n) : [];
  // Rows mostly repeat a zone already checked.
  let checkedZone: string | undefined;
  for (let r = 0; r < n; r++) {
    const x = v.values[r];
    if (isNullish(x)) {
      micros[r] = 0n;
      if (zoned) rowZones[r] = '';
      continue;
    }
    let offset: string | undefined;
    if (typeof x === 'bigint' && x >= INT64_MIN && x <= INT64_MAX) {
      micros[r] = x;
    } else {
      const parsed = toTimestampMicros(type, x, c, r);
      micros[r] = parsed.micros;
      offset = parsed.offset;
    }
    if (zoned) {
      const given = v.zones?.[r] ?? undefined;
      if (given !== undefined && given === checkedZone) {
        rowZones[r] = given;
      } else {
        rowZones[r] = rowZone(given, offset, zones, c, r);
        checkedZone = given;
      }
    }
  }
  if (constant) {
    variant(w, Variant.timeConstantData);
    field(w, TType.I64, 1);
    w.i64(micros[0]!);
    if (zoned) {
      field(w, TType.STRING, 2);
      w.lengthPrefixedUtf8(rowZones[0]!);
    }
  } else {
    variant(w, Variant.timeData);
    list(w, TType.I64, n);
    for (let r = 0; r < n; r++) w.i64(micros[r]!);
    if (zoned) {
      field(w, TType.LIST, 2);
      w.u8(TType.STRING);
      w.i32(n);
      for (let r = 0; r < n; r++) w.lengthPrefixedUtf8(rowZones[r]!);
    }
  }
  w.u8(TType.STOP);
}

/** A TIMESTAMP_TZ row's zone: `zones[r]` when given, else the string's own offset, else UTC. */
function rowZone(given: string | undefined, parsedOffset: string | undefined, zones: ZoneRules, c: number, r: number): string {
  if (given !== undefined) {
    if (zones.get(given) === undefined) {
      throw new EncodeError('BAD_ZONE', `unknown time zone '${given.slice(0, 64)}'`, { column: c, row: r });
    }
    return given;
  }
  if (parsedOffset === undefined || parsedOffset === 'Z' || parsedOffset === 'z') return '+00:00';
  // The parser accepted the offset, so it is a valid fixed offset; write it in the decoder's form.
  return formatOffset(parseFixedOffset(parsedOffset)!);
}

function encodeDecimals(w: ByteWriter, v: EncodeVector, c: number, n: number, constant: boolean): void {
  const scale = decimalScale(v.values, n, c, v.scale);
  if (constant) {
    variant(w, Variant.numericDecimal128ConstantData);
    field(w, TType.STRING, 1);
  } else {
    variant(w, Variant.decimal128Data);
    list(w, TType.STRING, n);
  }
  writeDecimalValues(w, v.values, n, scale, c);
  field(w, TType.I32, 2);
  w.i32(scale);
  w.u8(TType.STOP);
}
