import { parseIsoDate, parseIsoTimestamp } from './civil-time';
import { EncodeError } from './codec-error';

// Conversions from the value forms EncodeVector documents to wire integers.
// Each raises EncodeError naming the column and row; messages give the
// value's JS type, never the value.

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const MICROS_PER_DAY = 86_400_000_000n;
const INT_RE = /^[+-]?\d+$/;

export function describe(value: unknown): string {
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (value instanceof Date) return 'a Date';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function badValue(type: string, expected: string, value: unknown, column: number, row: number): EncodeError {
  return new EncodeError('BAD_VALUE', `${type} expects ${expected}, got ${describe(value)}`, { column, row });
}

export function checkedInt64(v: bigint, type: string, column: number, row: number): bigint {
  if (v < INT64_MIN || v > INT64_MAX) throw new EncodeError('OUT_OF_RANGE', `${type} value is outside the int64 range`, { column, row });
  return v;
}

/** LONG: bigint, safe-integer number, or decimal string. */
export function toInt64(value: unknown, column: number, row: number): bigint | number {
  if (typeof value === 'bigint') return checkedInt64(value, 'LONG', column, row);
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    throw new EncodeError('OUT_OF_RANGE', 'LONG number values must be safe integers (use a bigint or a string beyond 2^53)', { column, row });
  }
  if (typeof value === 'string' && INT_RE.test(value)) return checkedInt64(BigInt(value), 'LONG', column, row);
  throw badValue('LONG', 'a bigint, a safe integer or an integer string', value, column, row);
}

/** INTEGER: a number that is an int32. */
export function toInt32(value: unknown, column: number, row: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff) return value;
  throw badValue('INTEGER', 'an int32 number', value, column, row);
}

/** DATE: `YYYY-MM-DD` (or `±YYYYYY-MM-DD`), a Date (its UTC day), or bigint microseconds. */
export function toDateMicros(value: unknown, column: number, row: number): bigint {
  if (typeof value === 'bigint') return checkedInt64(value, 'DATE', column, row);
  if (typeof value === 'string') {
    const days = parseIsoDate(value);
    if (days !== undefined) return checkedInt64(BigInt(days) * MICROS_PER_DAY, 'DATE', column, row);
  } else if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return BigInt(Math.floor(value.getTime() / 86_400_000)) * MICROS_PER_DAY;
  }
  throw badValue('DATE', "a 'YYYY-MM-DD' string, a valid Date or bigint microseconds", value, column, row);
}

/** DATETIME, TIMESTAMP, INT96, TIMESTAMP_TZ: an ISO 8601 string, a Date, or bigint microseconds (UTC). */
export function toTimestampMicros(type: string, value: unknown, column: number, row: number): { micros: bigint; offset: string | undefined } {
  if (typeof value === 'bigint') return { micros: checkedInt64(value, type, column, row), offset: undefined };
  if (typeof value === 'string') {
    const parsed = parseIsoTimestamp(value);
    if (parsed !== undefined) return { micros: checkedInt64(parsed.micros, type, column, row), offset: parsed.offset };
  } else if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return { micros: BigInt(value.getTime()) * 1000n, offset: undefined };
  }
  throw badValue(type, 'an ISO 8601 string, a valid Date or bigint microseconds', value, column, row);
}

/** Julian day number of 1970-01-01. */
const UNIX_EPOCH_JULIAN_DAY = 2440588n;

/** INT96: 12 bytes, int32 Julian day then int64 nanoseconds of the day (the layout the decoder reads). */
export function toInt96(value: unknown, column: number, row: number): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length === 12) return value;
    throw new EncodeError('BAD_VALUE', `INT96 bytes must be 12 long, got ${value.length}`, { column, row });
  }
  const { micros } = toTimestampMicros('INT96', value, column, row);
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const out = Buffer.allocUnsafe(12);
  out.writeInt32BE(Number(days + UNIX_EPOCH_JULIAN_DAY), 0);
  out.writeBigInt64BE(rest * 1000n, 4);
  return out;
}
