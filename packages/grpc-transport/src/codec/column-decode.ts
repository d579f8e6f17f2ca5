import { DecodeError } from './codec-error';
import { Variant, VARIANT_NAMES, isScalarVariant, type CheckedVector } from './chunk-layout';
import { type ColumnContext } from './column-context';
import { decodeDecimals } from './decimal-decode';
import { decodeTexts } from './text-decode';
import { decodeDates, decodeInt96s, decodeTimestamps, decodeZonedTimestamps } from './temporal-decode';
import { type CellValue, type Int64Mode, VectorType, type VectorTypeName } from './types';

// Second pass: turn one vector's bytes into its column of JS values (the value table,
// docs/wire.md section 7). Each type has its own tight loop over the raw bytes, so the
// per-cell work is a read and a conversion, with no per-cell closure or
// dispatch. The types handed out as formatted text have modules of their
// own: temporal-decode.ts and decimal-decode.ts.

/** VectorType names by number. */
export const TYPE_NAMES: readonly VectorTypeName[] = (() => {
  const names: VectorTypeName[] = [];
  for (const [name, value] of Object.entries(VectorType)) names[value] = name as VectorTypeName;
  return names;
})();

const V = Variant;
const TEXT = [V.varcharData, V.varcharConstantData];
const TIME = [V.timeData, V.timeConstantData];
/** The Data variants each VectorType may arrive in (nullConstantData goes with every type). */
const ACCEPTS: readonly (readonly number[])[] = [
  TEXT, // BINARY
  [V.boolData, V.boolConstantData], // BOOLEAN
  [V.float64Data, V.float32Data, V.numericDecimalConstantData], // DOUBLE
  [V.float32Data, V.float64Data, V.numericDecimalConstantData], // FLOAT
  TEXT, // INT96
  [V.int32Data, V.numericConstantData, V.temporalIntervalConstantData], // INTEGER
  [V.int64Data, V.int32Data, V.numericConstantData, V.temporalIntervalConstantData], // LONG
  TEXT, // STRING
  [V.dateData, V.dateConstantData], // DATE
  TIME, // DATETIME
  TIME, // TIMESTAMP
  TEXT, // STRUCT
  TEXT, // MAP
  TEXT, // ARRAY
  [], // NULL: any variant, values ignored
  TIME, // TIMESTAMP_TZ
  [V.decimal128Data, V.numericDecimal128ConstantData], // DECIMAL128
];

/**
 * How a vector's rows map to its values, once every structural check has
 * passed: no row has a value, one value stands for every row (a constant
 * vector or a scalar Data variant), or each row has its own. `nullAt` >= 0
 * points at per-row null flags.
 */
export type ColumnPlan = { kind: 'null' } | { kind: 'single'; nullAt: number } | { kind: 'values'; nullAt: number };

const ALL_NULL: ColumnPlan = { kind: 'null' };

/** Checks a vector (whose size the caller has checked) against its type and says how its rows map to its values. */
export function planColumn(v: CheckedVector, ctx: ColumnContext): ColumnPlan {
  const n = v.size;
  const c = ctx.column;
  if (v.type === VectorType.NULL || v.variant === V.nullConstantData) return ALL_NULL;
  const typeName = TYPE_NAMES[v.type]!;
  if (v.variant === 0) throw new DecodeError('MISSING_FIELD', `column ${c} (${typeName}) has no data`, v.at);
  if (!ACCEPTS[v.type]!.includes(v.variant)) {
    throw new DecodeError('TYPE_MISMATCH', `column ${c} (${typeName}) cannot hold Data.${VARIANT_NAMES[v.variant]!}`, v.dataAt);
  }
  if (v.isConstant || isScalarVariant(v.variant)) {
    if (n === 0) return ALL_NULL;
    let nullAt = -1;
    if (v.isConstant) {
      if (v.nullAt >= 0 && v.nullCount === 0) {
        throw new DecodeError('SHORT_DATA', `constant column ${c} has no null flag`, v.at);
      }
      if (v.nullCount > 0 && ctx.buf[v.nullAt] !== 0) return ALL_NULL;
    } else {
      nullAt = rowNulls(v, ctx, n);
    }
    if (v.count < 1) {
      const code = isScalarVariant(v.variant) ? 'MISSING_FIELD' : 'SHORT_DATA';
      throw new DecodeError(code, `column ${c} has no value for its rows`, v.dataAt);
    }
    return { kind: 'single', nullAt };
  }
  if (v.count < n) {
    throw new DecodeError('SHORT_DATA', `column ${c} has ${v.count} values for ${n} rows`, v.dataAt);
  }
  return { kind: 'values', nullAt: rowNulls(v, ctx, n) };
}

/** Decodes one vector (whose size the caller has checked) into one value per row. */
export function decodeColumn(v: CheckedVector, ctx: ColumnContext): CellValue[] {
  const n = v.size;
  const out = new Array<CellValue>(n);
  const plan = planColumn(v, ctx);
  if (plan.kind === 'null') return out.fill(null);
  if (plan.kind === 'values') {
    decodeValues(v, ctx, n, plan.nullAt, out);
    return out;
  }
  const value = decodeFirst(v, ctx);
  const copy = Buffer.isBuffer(value);
  const nullAt = plan.nullAt;
  for (let r = 0; r < n; r++) {
    // Rows never share a Buffer: a caller changing one row must not change the others.
    out[r] = nullAt >= 0 && ctx.buf[nullAt + r] !== 0 ? null : copy ? Buffer.from(value) : value;
  }
  return out;
}

/** Offset of per-row null flags, or -1 when the vector sent none. */
function rowNulls(v: CheckedVector, ctx: ColumnContext, n: number): number {
  if (v.nullAt < 0) return -1;
  if (v.nullCount < n) {
    throw new DecodeError('SHORT_DATA', `column ${ctx.column} has ${v.nullCount} null flags for ${n} rows`, v.at);
  }
  return v.nullAt;
}

/** The value of row 0 as if it were not NULL: the one value of a 'single' plan. */
export function decodeFirst(v: CheckedVector, ctx: ColumnContext): CellValue {
  const holder: CellValue[] = [null];
  decodeValues(v, ctx, 1, -1, holder);
  return holder[0]!;
}

/** Decodes values 0..n-1 into `out`; `nullAt` >= 0 points at per-row null flags. */
function decodeValues(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[]): void {
  switch (v.type) {
    case VectorType.BOOLEAN:
      return decodeBooleans(v, ctx, n, nullAt, out);
    case VectorType.DOUBLE:
    case VectorType.FLOAT:
      return decodeDoubles(v, ctx, n, nullAt, out);
    case VectorType.INTEGER:
      return decodeIntegers(v, ctx, n, nullAt, out, 'number');
    case VectorType.LONG:
      return decodeIntegers(v, ctx, n, nullAt, out, ctx.int64);
    case VectorType.STRING:
    case VectorType.STRUCT:
    case VectorType.MAP:
    case VectorType.ARRAY:
      return decodeStrings(v, ctx, n, nullAt, out);
    case VectorType.BINARY:
      return decodeBinaries(v, ctx, n, nullAt, out);
    case VectorType.INT96:
      return decodeInt96s(v, ctx, n, nullAt, out);
    case VectorType.DATE:
      return decodeDates(v, ctx, n, nullAt, out);
    case VectorType.DATETIME:
    case VectorType.TIMESTAMP:
      return decodeTimestamps(v, ctx, n, nullAt, out);
    case VectorType.TIMESTAMP_TZ:
      return decodeZonedTimestamps(v, ctx, n, nullAt, out);
    default:
      return decodeDecimals(v, ctx, n, nullAt, out);
  }
}

function decodeBooleans(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[]): void {
  const buf = ctx.buf;
  const at = v.elemAt;
  for (let r = 0; r < n; r++) out[r] = nullAt >= 0 && buf[nullAt + r] !== 0 ? null : buf[at + r] !== 0;
}

function decodeDoubles(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[]): void {
  const { buf, view } = ctx;
  let o = v.elemAt;
  for (let r = 0; r < n; r++, o += 8) out[r] = nullAt >= 0 && buf[nullAt + r] !== 0 ? null : view.getFloat64(o);
}

function decodeIntegers(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[], mode: Int64Mode): void {
  const { buf, view } = ctx;
  const at = v.elemAt;
  if (v.variant === V.int64Data || v.variant === V.numericConstantData) {
    if (mode === 'bigint') return int64AsBigint(buf, view, at, n, nullAt, out);
    return int64AsNumberOrString(ctx, at, n, nullAt, out, mode, v.type === VectorType.INTEGER);
  }
  // int32Data, or temporalIntervalConstantData's single byte.
  const wide = v.variant === V.int32Data;
  for (let r = 0; r < n; r++) {
    if (nullAt >= 0 && buf[nullAt + r] !== 0) {
      out[r] = null;
      continue;
    }
    const x = wide ? view.getInt32(at + r * 4) : view.getInt8(at + r);
    out[r] = mode === 'number' ? x : mode === 'bigint' ? BigInt(x) : String(x);
  }
}

function int64AsBigint(buf: Buffer, view: DataView, at: number, n: number, nullAt: number, out: CellValue[]): void {
  let o = at;
  for (let r = 0; r < n; r++, o += 8) out[r] = nullAt >= 0 && buf[nullAt + r] !== 0 ? null : view.getBigInt64(o);
}

function int64AsNumberOrString(
  ctx: ColumnContext,
  at: number,
  n: number,
  nullAt: number,
  out: CellValue[],
  mode: 'number' | 'string',
  integerColumn: boolean,
): void {
  const { buf, view } = ctx;
  let o = at;
  for (let r = 0; r < n; r++, o += 8) {
    if (nullAt >= 0 && buf[nullAt + r] !== 0) {
      out[r] = null;
      continue;
    }
    const hi = view.getInt32(o);
    const x = hi * 4294967296 + view.getUint32(o + 4);
    if (integerColumn && (x < -0x80000000 || x > 0x7fffffff)) {
      throw integerRangeError(ctx.column, o);
    } else if (hi >= -0x200000 && hi < 0x200000 && x !== -0x20000000000000) {
      out[r] = mode === 'number' ? x : String(x);
    } else if (mode === 'string') {
      out[r] = view.getBigInt64(o).toString();
    } else {
      throw unsafeLongError(ctx.column, r);
    }
  }
}

/** An INTEGER value outside the 32-bit range: the vector is not what its type says. */
export function integerRangeError(column: number, offset: number): DecodeError {
  return new DecodeError('BAD_VALUE', `INTEGER column ${column} holds a value outside the 32-bit range`, offset);
}

/** `int64: 'number'` and a LONG that a number cannot hold exactly. */
export function unsafeLongError(column: number, row: number): RangeError {
  return new RangeError(
    `LONG value in column ${column}, row ${row} is outside ±(2^53 - 1) and cannot be a number without losing precision; decode with int64: 'bigint' or 'string'`,
  );
}

function decodeStrings(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[]): void {
  decodeTexts(ctx.buf, v.starts!, v.ends!, n, nullAt, out);
}

function decodeBinaries(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[]): void {
  const buf = ctx.buf;
  const starts = v.starts!;
  const ends = v.ends!;
  for (let r = 0; r < n; r++) {
    out[r] = nullAt >= 0 && buf[nullAt + r] !== 0 ? null : Buffer.from(buf.subarray(starts[r], ends[r]));
  }
}
