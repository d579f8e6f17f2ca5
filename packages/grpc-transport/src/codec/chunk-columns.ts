import { checkChunk } from './chunk-decode';
import { Variant as V, type CheckedVector } from './chunk-layout';
import { DecodeError } from './codec-error';
import { type ColumnContext } from './column-context';
import { type ColumnPlan, decodeColumn, integerRangeError, planColumn, unsafeLongError } from './column-decode';
import { MAX_SCALE } from './decimal128';
import { ArrayValues, BooleanValues, DateValues, DecimalValues, LongValues, NullValues, NumberValues, TimestampValues, ZonedValues } from './column-views';
import { daysOfMicros } from './temporal-decode';
import {
  type BinaryColumn,
  type ChunkColumn,
  type DecimalColumn,
  type DecodedColumns,
  type DecodeOptions,
  type FloatColumn,
  type IntegerColumn,
  type TextColumn,
  VectorType,
  type VectorTypeName,
  type ZonedTimestampColumn,
} from './types';
import { ZoneByBytes } from './zone-by-bytes';
import { type ZoneRule } from './zone-rule';

// The columnar reading of a result batch: the same checks and the same
// values as decodeChunk, but each column's values land in one typed array
// (copied from the wire and byte-swapped in bulk where the layout allows)
// instead of one JS value per cell. Types handed out as text keep their
// numbers (days, microseconds, unscaled decimals) and format a row only
// when `get` reads it.

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const TWO_32 = 4294967296;

/**
 * Decodes one result batch (a Thrift binary `Chunk`, docs/wire.md 6.2) column by
 * column: per column its VectorType name, per-row NULL flags and its values
 * in a typed array where the type allows (see ChunkColumn). Every column's
 * `get(row)` gives what `decodeChunk` gives for that cell. Malformed input
 * raises the DecodeError decodeChunk raises; `int64: 'number'` raises its
 * RangeError for a LONG beyond ±(2^53 - 1). Column names travel in the
 * result metadata, not in the chunk: pair them by position.
 */
export function decodeChunkColumns(buf: Buffer, options: DecodeOptions = {}): DecodedColumns {
  const chunk = checkChunk(buf, options);
  if (chunk === undefined) return { rowCount: 0, columns: [] };
  const { size, vectors, ctx } = chunk;
  const columns: ChunkColumn[] = [];
  for (let c = 0; c < vectors.length; c++) {
    ctx.column = c;
    columns.push(readColumn(vectors[c]!, ctx, chunk.columnTypes[c]!));
  }
  return { rowCount: size, columns };
}

function readColumn(v: CheckedVector, ctx: ColumnContext, type: VectorTypeName): ChunkColumn {
  const n = v.size;
  const plan = planColumn(v, ctx);
  const nulls = new Uint8Array(n);
  const nullCount = readNulls(plan, ctx.buf, nulls);
  // Values to read: one per row, the one that stands for every row, or none.
  const count = plan.kind === 'values' ? n : plan.kind === 'single' ? 1 : 0;
  switch (v.type) {
    case VectorType.LONG: {
      const values = new BigInt64Array(n);
      readLongs(v, ctx, count, values);
      spread8(values, count, n);
      clearNullRows(new Int32Array(values.buffer, values.byteOffset, 2 * n), nulls, nullCount, 2);
      if (ctx.int64 === 'number') checkSafe(values, nulls, plan, ctx);
      return new LongValues(n, nulls, nullCount, values, ctx.int64);
    }
    case VectorType.INTEGER: {
      const values = new Int32Array(n);
      readIntegers(v, ctx, count, values);
      if (count === 1) values.fill(values[0]!);
      clearNullRows(values, nulls, nullCount, 1);
      const column: IntegerColumn = new NumberValues('INTEGER', n, nulls, nullCount, values);
      return column;
    }
    case VectorType.DOUBLE:
    case VectorType.FLOAT: {
      const values = new Float64Array(n);
      // float64Data, float32Data (doubles too, on the wire) or numericDecimalConstantData's one double.
      copy8(ctx.buf, v.elemAt, count, values);
      if (count === 1) values.fill(values[0]!);
      clearNullRows(values, nulls, nullCount, 1);
      const column: FloatColumn = new NumberValues(type as 'DOUBLE' | 'FLOAT', n, nulls, nullCount, values);
      return column;
    }
    case VectorType.BOOLEAN: {
      const values = new Uint8Array(n);
      const buf = ctx.buf;
      for (let r = 0; r < count; r++) values[r] = buf[v.elemAt + r] !== 0 ? 1 : 0;
      if (count === 1) values.fill(values[0]!);
      clearNullRows(values, nulls, nullCount, 1);
      return new BooleanValues(n, nulls, nullCount, values);
    }
    case VectorType.DATE: {
      const values = new Int32Array(n);
      const view = ctx.view;
      for (let r = 0, o = v.elemAt; r < count; r++, o += 8) values[r] = daysOfMicros(view.getInt32(o), view.getUint32(o + 4));
      if (count === 1) values.fill(values[0]!);
      clearNullRows(values, nulls, nullCount, 1);
      return new DateValues(n, nulls, nullCount, values);
    }
    case VectorType.DATETIME:
    case VectorType.TIMESTAMP: {
      const values = new BigInt64Array(n);
      copy8(ctx.buf, v.elemAt, count, values);
      spread8(values, count, n);
      clearNullRows(new Int32Array(values.buffer, values.byteOffset, 2 * n), nulls, nullCount, 2);
      return new TimestampValues(type as 'DATETIME' | 'TIMESTAMP', n, nulls, nullCount, values);
    }
    case VectorType.TIMESTAMP_TZ:
      return readZonedTimestamps(v, ctx, plan, count, nulls, nullCount);
    case VectorType.DECIMAL128:
      return readDecimals(v, ctx, plan, count, nulls, nullCount);
    case VectorType.NULL:
      return new NullValues(n, nulls, nullCount);
    case VectorType.BINARY: {
      const column: BinaryColumn = new ArrayValues('BINARY', n, nulls, nullCount, decodeColumn(v, ctx) as (Buffer | null)[]);
      return column;
    }
    default: {
      const column: TextColumn = new ArrayValues(type as TextColumn['type'], n, nulls, nullCount, decodeColumn(v, ctx) as (string | null)[]);
      return column;
    }
  }
}

/** Fills `nulls` (1 = NULL) as the plan says; returns how many rows are NULL. */
function readNulls(plan: ColumnPlan, buf: Buffer, nulls: Uint8Array): number {
  const n = nulls.length;
  if (plan.kind === 'null') {
    nulls.fill(1);
    return n;
  }
  const at = plan.nullAt;
  if (at < 0) return 0;
  let count = 0;
  for (let r = 0; r < n; r++) {
    const flag = buf[at + r] !== 0 ? 1 : 0;
    nulls[r] = flag;
    count += flag;
  }
  return count;
}

/** Zeroes the values of NULL rows, `width` elements of `values` per row. */
function clearNullRows(values: Int32Array | Float64Array | Uint8Array, nulls: Uint8Array, nullCount: number, width: number): void {
  if (nullCount === 0) return;
  const n = nulls.length;
  for (let r = 0; r < n; r++) {
    if (nulls[r] === 0) continue;
    for (let k = r * width, end = k + width; k < end; k++) values[k] = 0;
  }
}

/** Copies `count` big-endian 8-byte values from `buf[at]` into `out` in the machine's byte order. */
function copy8(buf: Buffer, at: number, count: number, out: BigInt64Array | Float64Array): void {
  if (count === 0) return;
  const bytes = Buffer.from(out.buffer, out.byteOffset, count * 8);
  buf.copy(bytes, 0, at, at + count * 8);
  if (LITTLE_ENDIAN) bytes.swap64();
}

/** When one value stands for every row (`count` 1), copies it to all `n`. */
function spread8(values: BigInt64Array, count: number, n: number): void {
  if (count === 1 && n > 1) values.fill(values[0]!);
}

function readLongs(v: CheckedVector, ctx: ColumnContext, count: number, out: BigInt64Array): void {
  const { buf, view } = ctx;
  if (v.variant === V.int64Data || v.variant === V.numericConstantData) {
    copy8(buf, v.elemAt, count, out);
    return;
  }
  // int32Data, or temporalIntervalConstantData's single byte: widen through the 32-bit halves.
  const words = new Int32Array(out.buffer, out.byteOffset, out.length * 2);
  const low = LITTLE_ENDIAN ? 0 : 1;
  const wide = v.variant === V.int32Data;
  for (let r = 0; r < count; r++) {
    const x = wide ? view.getInt32(v.elemAt + r * 4) : view.getInt8(v.elemAt + r);
    words[2 * r + low] = x;
    words[2 * r + 1 - low] = x < 0 ? -1 : 0;
  }
}

/** `int64: 'number'`: the RangeError decodeChunk raises for the first LONG it cannot hand out as a number. */
function checkSafe(values: BigInt64Array, nulls: Uint8Array, plan: ColumnPlan, ctx: ColumnContext): void {
  if (plan.kind === 'null') return;
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const high = LITTLE_ENDIAN ? 1 : 0;
  // decodeChunk converts the one value of a 'single' plan whatever the row flags say.
  const rows = plan.kind === 'single' ? 1 : values.length;
  for (let r = 0; r < rows; r++) {
    if (plan.kind === 'values' && nulls[r] !== 0) continue;
    const hi = words[2 * r + high]!;
    const safe = hi >= -0x200000 && hi < 0x200000 && !(hi === -0x200000 && words[2 * r + 1 - high] === 0);
    if (!safe) throw unsafeLongError(ctx.column, r);
  }
}

function readIntegers(v: CheckedVector, ctx: ColumnContext, count: number, out: Int32Array): void {
  const { buf, view } = ctx;
  if (count === 0) return;
  if (v.variant === V.int32Data) {
    const bytes = Buffer.from(out.buffer, out.byteOffset, count * 4);
    buf.copy(bytes, 0, v.elemAt, v.elemAt + count * 4);
    if (LITTLE_ENDIAN) bytes.swap32();
  } else if (v.variant === V.numericConstantData) {
    const x = view.getInt32(v.elemAt) * TWO_32 + view.getUint32(v.elemAt + 4);
    if (x < -0x80000000 || x > 0x7fffffff) throw integerRangeError(ctx.column, v.elemAt);
    out[0] = x;
  } else {
    out[0] = view.getInt8(v.elemAt);
  }
}

function readZonedTimestamps(v: CheckedVector, ctx: ColumnContext, plan: ColumnPlan, count: number, nulls: Uint8Array, nullCount: number): ZonedTimestampColumn {
  const n = nulls.length;
  const { buf, view } = ctx;
  const values = new BigInt64Array(n);
  const zoneIndex = new Int32Array(n);
  const zones: string[] = [];
  const rules: ZoneRule[] = [];
  const zoneStarts = v.zoneStarts;
  const zoneEnds = v.zoneEnds;
  if (count > 0 && zoneStarts !== undefined && zoneStarts.length < count) {
    throw new DecodeError('SHORT_DATA', `column ${ctx.column} has ${zoneStarts.length} zones for ${count} rows`, v.dataAt);
  }
  copy8(buf, v.elemAt, count, values);
  spread8(values, count, n);
  if (count > 0 && zoneStarts === undefined) {
    zones.push('UTC');
    rules.push(ctx.zones.get('')!);
  }
  if (count > 0 && zoneStarts !== undefined) {
    const byBytes = new ZoneByBytes(buf, view, ctx.zones);
    const known = new Map<ZoneRule, number>();
    for (let r = 0; r < count; r++) {
      if (plan.kind === 'values' && nulls[r] !== 0) continue;
      const zs = zoneStarts[r]!;
      const ze = zoneEnds![r]!;
      const rule = byBytes.ruleAt(zs, ze);
      if (rule === undefined) {
        const zone = buf.toString('utf8', zs, ze);
        throw new DecodeError('BAD_ZONE', `column ${ctx.column}, row ${r} names an unknown time zone '${zone.slice(0, 64)}'`, zs);
      }
      let index = known.get(rule);
      if (index === undefined) {
        index = zones.length;
        known.set(rule, index);
        zones.push(buf.toString('utf8', zs, ze));
        rules.push(rule);
      }
      zoneIndex[r] = index;
    }
  }
  if (count === 1) zoneIndex.fill(zoneIndex[0]!);
  clearNullRows(new Int32Array(values.buffer, values.byteOffset, 2 * n), nulls, nullCount, 2);
  for (let r = 0; r < n; r++) if (nulls[r] !== 0) zoneIndex[r] = -1;
  return new ZonedValues(n, nulls, nullCount, values, zoneIndex, zones, rules);
}

function readDecimals(v: CheckedVector, ctx: ColumnContext, plan: ColumnPlan, count: number, nulls: Uint8Array, nullCount: number): DecimalColumn {
  const n = nulls.length;
  const buf = ctx.buf;
  const values = new Uint8Array(16 * n);
  const scale = v.scale;
  if (plan.kind !== 'null' && (scale < -MAX_SCALE || scale > MAX_SCALE)) {
    throw new DecodeError('BAD_VALUE', `DECIMAL128 column ${ctx.column} has scale ${scale}, beyond ±${MAX_SCALE}`, v.dataAt);
  }
  const starts = v.starts!;
  const ends = v.ends!;
  for (let r = 0; r < count; r++) {
    if (plan.kind === 'values' && nulls[r] !== 0) continue;
    const s = starts[r]!;
    const length = ends[r]! - s;
    if (length < 1 || length > 16) {
      throw new DecodeError('BAD_VALUE', `DECIMAL128 column ${ctx.column}, row ${r} is ${length} bytes, expected 1 to 16`, s);
    }
    // Big-endian on the wire, little-endian here; shorter forms are sign-extended.
    const o = 16 * r;
    for (let j = 0; j < length; j++) values[o + length - 1 - j] = buf[s + j]!;
    if (buf[s]! >= 0x80) values.fill(0xff, o + length, o + 16);
  }
  if (count === 1) for (let r = 1; r < n; r++) values.copyWithin(16 * r, 0, 16);
  clearNullRows(values, nulls, nullCount, 16);
  return new DecimalValues(n, nulls, nullCount, values, scale);
}
