import { type ByteReader } from './byte-reader';
import { DecodeError } from './codec-error';
import { TType, readBinary, readListHeader, skipValue, typeName } from './thrift-binary';

// First pass over a Thrift `Chunk` (docs/wire.md 6.2): walk the structure, check
// every type code, count and length, and note where each vector's parts sit.
// No cell value is converted here; values are read by the column decoders
// once a vector's type, size and data are all known, whatever field order
// the writer used.

/** Data union variants (field ids of `union Data`). */
export const Variant = {
  boolData: 1,
  int32Data: 2,
  int64Data: 3,
  dateData: 4,
  float32Data: 5,
  float64Data: 6,
  varcharData: 7,
  boolConstantData: 8,
  dateConstantData: 9,
  nullConstantData: 10,
  numericConstantData: 11,
  numericDecimalConstantData: 12,
  temporalIntervalConstantData: 13,
  timeConstantData: 14,
  varcharConstantData: 15,
  timeData: 16,
  decimal128Data: 17,
  numericDecimal128ConstantData: 18,
} as const;

export const VARIANT_NAMES: readonly string[] = ['', ...Object.keys(Variant)];

interface VariantShape {
  /** Type of the variant's field 1. */
  type: number;
  /** Element type when field 1 is a list. */
  elem?: number;
}

const SHAPES: readonly (VariantShape | undefined)[] = [
  undefined,
  { type: TType.LIST, elem: TType.BOOL },
  { type: TType.LIST, elem: TType.I32 },
  { type: TType.LIST, elem: TType.I64 },
  { type: TType.LIST, elem: TType.I64 },
  { type: TType.LIST, elem: TType.DOUBLE },
  { type: TType.LIST, elem: TType.DOUBLE },
  { type: TType.LIST, elem: TType.STRING },
  { type: TType.BOOL },
  { type: TType.I64 },
  { type: TType.BYTE },
  { type: TType.I64 },
  { type: TType.DOUBLE },
  { type: TType.BYTE },
  { type: TType.I64 },
  { type: TType.STRING },
  { type: TType.LIST, elem: TType.I64 },
  { type: TType.LIST, elem: TType.STRING },
  { type: TType.STRING },
];

const WIDTH: Partial<Record<number, number>> = { [TType.BOOL]: 1, [TType.BYTE]: 1, [TType.I32]: 4, [TType.I64]: 8, [TType.DOUBLE]: 8 };

/** True for variants that hold one value rather than a list. */
export function isScalarVariant(variant: number): boolean {
  return SHAPES[variant]?.type !== TType.LIST;
}

/** Where one vector's parts sit in the input. */
export interface VectorLayout {
  /** Offset of the vector struct, for error messages. */
  at: number;
  /** Undefined when absent. */
  size: number | undefined;
  /** VectorType number; undefined when absent. */
  type: number | undefined;
  isConstant: boolean;
  /** Offset of the first null flag; -1 when `nullSet` is absent. */
  nullAt: number;
  nullCount: number;
  /** Data union field id; 0 when `data` is absent. */
  variant: number;
  /** Offset of the Data union, for error messages. */
  dataAt: number;
  /** Values present: the list's count, or 1/0 for a scalar variant with/without its value. */
  count: number;
  /** Fixed-width values: offset of the first. */
  elemAt: number;
  /** Variable-width values (string, binary): payload bounds of each. */
  starts: Int32Array | undefined;
  ends: Int32Array | undefined;
  /** DECIMAL128 scale (variant field 2). */
  scale: number;
  /** TIMESTAMP_TZ zones (variant field 2): payload bounds of each; undefined when absent. */
  zoneStarts: Int32Array | undefined;
  zoneEnds: Int32Array | undefined;
}

/** A vector whose size and type are known and checked against the chunk. */
export type CheckedVector = VectorLayout & { size: number; type: number };

export interface ChunkLayout {
  /** Undefined when absent. */
  size: number | undefined;
  vectors: VectorLayout[];
}

/** Walks a whole `Chunk` struct starting at `r.pos`. */
export function readChunkLayout(r: ByteReader): ChunkLayout {
  const layout: ChunkLayout = { size: undefined, vectors: [] };
  for (;;) {
    const at = r.pos;
    const t = r.u8('the chunk');
    if (t === TType.STOP) return layout;
    const id = r.i16('a field header');
    if (id === 1) {
      expectType(t, TType.I32, 'Chunk.size', at);
      layout.size = r.i32('Chunk.size');
    } else if (id === 2) {
      expectType(t, TType.LIST, 'Chunk.vectors', at);
      const n = readListHeader(r, TType.STRUCT, 'Chunk.vectors');
      const vectors: VectorLayout[] = [];
      for (let i = 0; i < n; i++) vectors.push(readVector(r, 2));
      layout.vectors = vectors;
    } else {
      skipValue(r, t, 1);
    }
  }
}

function readVector(r: ByteReader, depth: number): VectorLayout {
  const v: VectorLayout = {
    at: r.pos, size: undefined, type: undefined, isConstant: false, nullAt: -1, nullCount: 0, variant: 0, dataAt: -1,
    count: 0, elemAt: -1, starts: undefined, ends: undefined, scale: 0, zoneStarts: undefined, zoneEnds: undefined,
  };
  for (;;) {
    const at = r.pos;
    const t = r.u8('a vector');
    if (t === TType.STOP) return v;
    const id = r.i16('a field header');
    switch (id) {
      case 1:
        expectType(t, TType.I32, 'Vector.size', at);
        v.size = r.i32('Vector.size');
        break;
      case 2:
        expectType(t, TType.I32, 'Vector.vectorType', at);
        v.type = r.i32('Vector.vectorType');
        break;
      case 3: {
        expectType(t, TType.LIST, 'Vector.nullSet', at);
        const n = readListHeader(r, TType.BOOL, 'Vector.nullSet');
        v.nullAt = r.take(n, 'Vector.nullSet');
        v.nullCount = n;
        break;
      }
      case 4:
        expectType(t, TType.STRUCT, 'Vector.data', at);
        readData(r, v, depth + 1);
        break;
      case 5:
        expectType(t, TType.BOOL, 'Vector.isConstantVector', at);
        v.isConstant = r.u8('Vector.isConstantVector') !== 0;
        break;
      case 6:
      case 7:
        expectType(t, TType.STRING, id === 6 ? 'Vector.zoneOffset' : 'Vector.format', at);
        readBinary(r, id === 6 ? 'Vector.zoneOffset' : 'Vector.format');
        break;
      default:
        skipValue(r, t, depth + 1);
    }
  }
}

function readData(r: ByteReader, v: VectorLayout, depth: number): void {
  v.dataAt = r.pos;
  let set = 0;
  for (;;) {
    const at = r.pos;
    const t = r.u8('the Data union');
    if (t === TType.STOP) break;
    const id = r.i16('a field header');
    if (id >= 1 && id < SHAPES.length) {
      expectType(t, TType.STRUCT, `Data.${VARIANT_NAMES[id]!}`, at);
      set++;
      v.variant = id;
      readVariant(r, v, id, depth + 1);
    } else {
      skipValue(r, t, depth + 1);
    }
  }
  if (set !== 1) {
    throw new DecodeError('BAD_UNION', `the Data union must have exactly one field set, found ${set}`, v.dataAt);
  }
}

function readVariant(r: ByteReader, v: VectorLayout, variant: number, depth: number): void {
  const shape = SHAPES[variant]!;
  const name = VARIANT_NAMES[variant]!;
  // A repeated variant replaces the earlier one, as Thrift's "last field wins".
  v.count = 0;
  v.starts = v.ends = v.zoneStarts = v.zoneEnds = undefined;
  v.scale = 0;
  for (;;) {
    const at = r.pos;
    const t = r.u8(name);
    if (t === TType.STOP) return;
    const id = r.i16('a field header');
    if (id === 1) {
      expectType(t, shape.type, `${name}.data`, at);
      if (shape.elem === undefined) readScalar(r, v, shape.type, name);
      else readList(r, v, shape.elem, name);
    } else if (id === 2 && (variant === Variant.decimal128Data || variant === Variant.numericDecimal128ConstantData)) {
      expectType(t, TType.I32, `${name}.scale`, at);
      v.scale = r.i32(`${name}.scale`);
    } else if (id === 2 && variant === Variant.timeConstantData) {
      expectType(t, TType.STRING, `${name}.zoneData`, at);
      const { at: zoneAt, length } = readBinary(r, `${name}.zoneData`);
      v.zoneStarts = Int32Array.of(zoneAt);
      v.zoneEnds = Int32Array.of(zoneAt + length);
    } else if (id === 2 && variant === Variant.timeData) {
      expectType(t, TType.LIST, `${name}.zoneData`, at);
      const n = readListHeader(r, TType.STRING, `${name}.zoneData`);
      v.zoneStarts = new Int32Array(n);
      v.zoneEnds = new Int32Array(n);
      readStrings(r, n, v.zoneStarts, v.zoneEnds, `${name}.zoneData`);
    } else {
      skipValue(r, t, depth + 1);
    }
  }
}

function readScalar(r: ByteReader, v: VectorLayout, type: number, name: string): void {
  v.count = 1;
  if (type === TType.STRING) {
    const { at, length } = readBinary(r, `${name}.data`);
    v.starts = Int32Array.of(at);
    v.ends = Int32Array.of(at + length);
  } else {
    v.elemAt = r.take(WIDTH[type]!, `${name}.data`);
  }
}

function readList(r: ByteReader, v: VectorLayout, elem: number, name: string): void {
  const n = readListHeader(r, elem, `${name}.data`);
  v.count = n;
  if (elem === TType.STRING) {
    v.starts = new Int32Array(n);
    v.ends = new Int32Array(n);
    readStrings(r, n, v.starts, v.ends, `${name}.data`);
  } else {
    v.elemAt = r.take(n * WIDTH[elem]!, `${name}.data`);
  }
}

/** Walks `n` length-prefixed strings, recording each payload's bounds. The hot path for text columns. */
function readStrings(r: ByteReader, n: number, starts: Int32Array, ends: Int32Array, what: string): void {
  const view = r.view;
  const end = r.end;
  let p = r.pos;
  for (let i = 0; i < n; i++) {
    if (end - p < 4) {
      r.pos = p;
      r.take(4, what);
    }
    const length = view.getInt32(p);
    if (length < 0 || length > end - p - 4) {
      throw new DecodeError('BAD_LENGTH', `${what} element ${i} declares length ${length} with ${end - p - 4} bytes left`, p);
    }
    p += 4;
    starts[i] = p;
    p += length;
    ends[i] = p;
  }
  r.pos = p;
}

function expectType(actual: number, expected: number, field: string, at: number): void {
  if (actual !== expected) {
    throw new DecodeError('BAD_TYPE', `${field} arrived as ${typeName(actual)}, expected ${typeName(expected)}`, at);
  }
}

