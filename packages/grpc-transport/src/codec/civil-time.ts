// Integer calendar arithmetic for the codec's temporal values. Microseconds do
// not fit a Date (millisecond precision, ±275,760 years) nor, past about year
// 2255, a double, so int64 microseconds arrive as two 32-bit halves and are
// split into seconds and microseconds with exact small-integer steps.
// Calendar conversion follows the proleptic Gregorian days-from-civil
// algorithm (H. Hinnant), valid over the whole int64 range. The text forms
// are written by temporal-decode.ts.

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Year, month and day of a day count since the epoch, packed as
 * `year * 512 + month * 32 + day` (an int32 over the whole int64 microsecond
 * range), so callers get three values without an allocation.
 */
export function civilFromDays(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const day = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 512 + month * 32 + day;
}

/** Days reachable from int64 microseconds lie within ±this; their packed civil dates are int32. */
const MAX_INT64_MICROS_DAYS = 106_751_992;

/**
 * Remembers the civil date of recently seen days. Rows of a batch cluster in
 * time, and the civil conversion costs a dozen divisions, so it runs once
 * per distinct day (per slot) instead of once per row. Direct-mapped on the
 * day's low bits: a scattered batch only misses more. Days beyond the int64
 * microsecond range (only INT96 reaches them) are converted every time.
 */
export class CivilDays {
  /** No cached day equals this. */
  private static readonly EMPTY = 0x7fffffff;
  private readonly keys: Int32Array;
  private readonly packed: Int32Array;
  private readonly mask: number;

  /** `slots` is rounded up to a power of two. */
  constructor(slots: number) {
    let size = 16;
    while (size < slots) size *= 2;
    this.keys = new Int32Array(size).fill(CivilDays.EMPTY);
    this.packed = new Int32Array(size);
    this.mask = size - 1;
  }

  /** `civilFromDays(days)`. */
  packedOf(days: number): number {
    if (days > MAX_INT64_MICROS_DAYS || days < -MAX_INT64_MICROS_DAYS) return civilFromDays(days);
    const slot = days & this.mask;
    if (this.keys[slot] === days) return this.packed[slot]!;
    const packed = civilFromDays(days);
    this.keys[slot] = days;
    this.packed[slot] = packed;
    return packed;
  }
}

// 2^32 = 4294 * 10^6 + 967296, so an int64 `hi * 2^32 + lo` of microseconds is
// 10^6 * (hi * 4294) + t where t = hi * 967296 + lo is exact in a double. The
// remainder is floored: before 1970, -1 µs is 1969-12-31T23:59:59.999999.

/** Epoch seconds (floored) of the int64 microsecond value `hi * 2^32 + lo` (hi signed, lo unsigned). */
export function secondsOfMicros(hi: number, lo: number): number {
  const t = hi * 967296 + lo;
  let us = t % 1_000_000;
  if (us < 0) us += 1_000_000;
  return hi * 4294 + (t - us) / 1_000_000;
}

/** Microseconds (0..999999, floored) within the second of the int64 microsecond value `hi * 2^32 + lo`. */
export function microsOfSecond(hi: number, lo: number): number {
  const us = (hi * 967296 + lo) % 1_000_000;
  return us < 0 ? us + 1_000_000 : us;
}

const DATE_RE = /^([+-]\d{4,9}|\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE =
  /^([+-]\d{4,9}|\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?))?$/;

/** Days since the epoch of `YYYY-MM-DD` (or an expanded `±YYYYYY-MM-DD`), or undefined when it is not a valid date. */
export function parseIsoDate(s: string): number | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  return validDays(Number(m[1]), Number(m[2]), Number(m[3]));
}

function validDays(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export interface ParsedTimestamp {
  /** Microseconds since the epoch, UTC. */
  micros: bigint;
  /** The offset as written (`Z`, `+05:30`, ...), or undefined when the string had none. */
  offset: string | undefined;
}

/**
 * Parses an ISO 8601 date-time (`T` or space separator, up to nanosecond
 * fraction, truncated to microseconds, optional `Z` or offset). A string with
 * no offset is read as UTC. Returns undefined when it is not a valid date-time.
 */
export function parseIsoTimestamp(s: string): ParsedTimestamp | undefined {
  const m = TIMESTAMP_RE.exec(s);
  if (!m) return undefined;
  const days = validDays(Number(m[1]), Number(m[2]), Number(m[3]));
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  if (days === undefined || h > 23 || mi > 59 || sec > 59) return undefined;
  const frac = m[7] === undefined ? 0 : Number(m[7].padEnd(6, '0').slice(0, 6));
  const offset = m[8];
  let offsetSeconds = 0;
  if (offset !== undefined && offset !== 'Z' && offset !== 'z') {
    const digits = offset.slice(1).replace(/:/g, '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2, 4) || '0');
    const os = Number(digits.slice(4, 6) || '0');
    if (oh > 18 || om > 59 || os > 59) return undefined;
    offsetSeconds = (offset[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60 + os);
  }
  const seconds = days * 86400 + h * 3600 + mi * 60 + sec - offsetSeconds;
  return { micros: BigInt(seconds) * 1_000_000n + BigInt(frac), offset };
}
