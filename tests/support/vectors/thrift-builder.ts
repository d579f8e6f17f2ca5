// A deliberately naive Thrift binary writer for tests: builds Chunk bytes field
// by field, independently of the codec under test, so tests can produce any
// layout (every Data variant, odd field orders, unknown fields, broken bytes).

export const T = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11, STRUCT: 12, MAP: 13, SET: 14, LIST: 15, UUID: 16 } as const;

export function i8(v: number): Buffer {
  const b = Buffer.alloc(1);
  b.writeInt8(v);
  return b;
}
export function i16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
}
export function i32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}
export function i64(v: bigint | number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(v));
  return b;
}
export function f64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return b;
}
export function bool(v: boolean): Buffer {
  return Buffer.of(v ? 1 : 0);
}
/** STRING / BINARY: int32 length + bytes. */
export function str(v: string | Uint8Array): Buffer {
  const bytes = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
  return Buffer.concat([i32(bytes.length), bytes]);
}
export function field(type: number, id: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.of(type), i16(id), value]);
}
export function struct(...fields: Buffer[]): Buffer {
  return Buffer.concat([...fields, Buffer.of(T.STOP)]);
}
export function list(elemType: number, items: Buffer[]): Buffer {
  return Buffer.concat([Buffer.of(elemType), i32(items.length), ...items]);
}

/** A 16-byte big-endian two's-complement integer. */
export function int128(v: bigint): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigInt64BE(BigInt.asIntN(64, v >> 64n), 0);
  b.writeBigUInt64BE(BigInt.asUintN(64, v), 8);
  return b;
}

/** Data union field ids. */
export const D = {
  boolData: 1, int32Data: 2, int64Data: 3, dateData: 4, float32Data: 5, float64Data: 6, varcharData: 7,
  boolConstantData: 8, dateConstantData: 9, nullConstantData: 10, numericConstantData: 11,
  numericDecimalConstantData: 12, temporalIntervalConstantData: 13, timeConstantData: 14,
  varcharConstantData: 15, timeData: 16, decimal128Data: 17, numericDecimal128ConstantData: 18,
} as const;

/** `Data` union with one variant whose struct holds `fields`. */
export function data(variant: number, ...fields: Buffer[]): Buffer {
  return struct(field(T.STRUCT, variant, struct(...fields)));
}

export interface VectorSpec {
  size?: number;
  type?: number;
  nulls?: boolean[];
  data?: Buffer;
  constant?: boolean;
  zoneOffset?: string;
  format?: string;
  /** Raw extra fields appended before STOP (unknown fields, duplicates). */
  extra?: Buffer[];
}

export function vector(spec: VectorSpec): Buffer {
  const fields: Buffer[] = [];
  if (spec.size !== undefined) fields.push(field(T.I32, 1, i32(spec.size)));
  if (spec.type !== undefined) fields.push(field(T.I32, 2, i32(spec.type)));
  if (spec.nulls !== undefined) fields.push(field(T.LIST, 3, list(T.BOOL, spec.nulls.map(bool))));
  if (spec.data !== undefined) fields.push(field(T.STRUCT, 4, spec.data));
  if (spec.constant !== undefined) fields.push(field(T.BOOL, 5, bool(spec.constant)));
  if (spec.zoneOffset !== undefined) fields.push(field(T.STRING, 6, str(spec.zoneOffset)));
  if (spec.format !== undefined) fields.push(field(T.STRING, 7, str(spec.format)));
  fields.push(...(spec.extra ?? []));
  return struct(...fields);
}

export function chunk(size: number | undefined, vectors: Buffer[], extra: Buffer[] = []): Buffer {
  const fields: Buffer[] = [];
  if (size !== undefined) fields.push(field(T.I32, 1, i32(size)));
  fields.push(field(T.LIST, 2, list(T.STRUCT, vectors)), ...extra);
  return struct(...fields);
}

/** A one-column chunk: the common case in per-type tests. */
export function oneColumn(spec: VectorSpec & { size: number }): Buffer {
  return chunk(spec.size, [vector(spec)]);
}
