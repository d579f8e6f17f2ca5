// Integer calendar arithmetic for the codec's temporal values. Microseconds do
// not fit a Date (millisecond precision, ±275,760 years) nor, past about year
// 2255, a double, so int64 microseconds arrive as two 32-bit halves and are
// split into seconds and microseconds with exact small-integer steps.
// Calendar conversion follows the proleptic Gregorian days-from-civil
// algorithm (H. Hinnant), valid over the whole int64 range. Text is written
// into an AsciiWriter rather than concatenated (see ascii-writer.ts).

import { type AsciiWriter } from './ascii-writer';

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The most bytes `writeDate` writes (`-290308-12-21`). */
export const MAX_DATE_BYTES = 14;
/** The most bytes `writeDateTime` writes, before any suffix. */
export const MAX_DATE_TIME_BYTES = MAX_DATE_BYTES + 16;

/**
 * Year, month and day of a day count since the epoch, packed as
 * `year * 512 + month * 32 + day` (an int32 over the whole int64 range), so
 * callers get three values without an allocation.
 */
function civilFromDays(days: number): number {
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

const ZERO = 0x30;

/** `YYYY-MM-DD` of a day count since the epoch (years past 9999 as `+YYYYY`, before 0 as `-YYYYYY`). */
export function writeDate(w: AsciiWriter, days: number): void {
  const packed = civilFromDays(days);
  const year = packed >> 9;
  const month = (packed >> 5) & 15;
  const day = packed & 31;
  if (year >= 0 && year <= 9999) {
    const b = w.buf;
    const p = w.pos;
    const hundreds = (year / 100) | 0;
    const rest = year - hundreds * 100;
    b[p] = ZERO + ((hundreds / 10) | 0);
    b[p + 1] = ZERO + (hundreds % 10);
    b[p + 2] = ZERO + ((rest / 10) | 0);
    b[p + 3] = ZERO + (rest % 10);
    w.pos = p + 4;
  } else if (year > 9999) {
    w.char(PLUS);
    w.digits(year, 5);
  } else {
    w.char(MINUS);
    w.digits(-year, 6);
  }
  const b = w.buf;
  const p = w.pos;
  b[p] = MINUS;
  b[p + 1] = ZERO + ((month / 10) | 0);
  b[p + 2] = ZERO + (month % 10);
  b[p + 3] = MINUS;
  b[p + 4] = ZERO + ((day / 10) | 0);
  b[p + 5] = ZERO + (day % 10);
  w.pos = p + 6;
}

const PLUS = 0x2b;
const MINUS = 0x2d;
const COLON = 0x3a;

/**
 * `YYYY-MM-DDTHH:MM:SS.ffffff` of epoch `seconds` and `micros` (0..999999),
 * shown at `offsetSeconds` from UTC; the caller appends the zone suffix.
 */
export function writeDateTime(w: AsciiWriter, seconds: number, micros: number, offsetSeconds: number): void {
  const local = seconds + offsetSeconds;
  let sod = local % 86400;
  if (sod < 0) sod += 86400;
  writeDate(w, (local - sod) / 86400);
  const h = (sod / 3600) | 0;
  const rest = sod - h * 3600;
  const m = (rest / 60) | 0;
  const s = rest - m * 60;
  const hi = (micros / 1000) | 0;
  const lo = micros - hi * 1000;
  const b = w.buf;
  const p = w.pos;
  b[p] = 0x54; // T
  b[p + 1] = ZERO + ((h / 10) | 0);
  b[p + 2] = ZERO + (h % 10);
  b[p + 3] = COLON;
  b[p + 4] = ZERO + ((m / 10) | 0);
  b[p + 5] = ZERO + (m % 10);
  b[p + 6] = COLON;
  b[p + 7] = ZERO + ((s / 10) | 0);
  b[p + 8] = ZERO + (s % 10);
  b[p + 9] = 0x2e; // .
  b[p + 10] = ZERO + ((hi / 100) | 0);
  b[p + 11] = ZERO + (((hi / 10) | 0) % 10);
  b[p + 12] = ZERO + (hi % 10);
  b[p + 13] = ZERO + ((lo / 100) | 0);
  b[p + 14] = ZERO + (((lo / 10) | 0) % 10);
  b[p + 15] = ZERO + (lo % 10);
  w.pos = p + 16;
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

/** Day count (floored) of the int64 microsecond value `hi * 2^32 + lo`. */
export function daysOfMicros(hi: number, lo: number): number {
  const s = secondsOfMicros(hi, lo);
  let sod = s % 86400;
  if (sod < 0) sod += 86400;
  return (s - sod) / 86400;
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
