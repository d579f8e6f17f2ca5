import { AsciiWriter } from './ascii-writer';
import { CivilDays, civilFromDays, microsOfSecond, secondsOfMicros } from './civil-time';
import { DecodeError } from './codec-error';
import { type CheckedVector } from './chunk-layout';
import { type ColumnContext, columnWriter } from './column-context';
import { type CellValue } from './types';
import { ZoneByBytes } from './zone-by-bytes';
import { type ZoneRule } from './zone-rule';

// DATE, DATETIME / TIMESTAMP, TIMESTAMP_TZ and INT96 columns into ISO 8601
// text (docs/wire.md section 7, the value table). Per row the work is integer arithmetic and
// byte stores into one AsciiWriter; what rows repeat (a day's civil date, a
// DATE's whole text, a zone, an offset's suffix) is computed once.
//
// Microseconds within ±2^53 (about years 1685 to 2255, nearly every real
// value) are split with double arithmetic, which is exact there; the rest take
// civil-time's exact 32-bit-halves path.

/** `hi` bounds within which the int64 `hi * 2^32 + lo` lies in [-2^53, 2^53), where a double is exact. */
const SAFE_HI = 0x200000;
const TWO_32 = 4294967296;
const MICROS_PER_DAY = 86_400_000_000;

/** The most bytes a date takes (`-290308-12-21`; INT96's farthest, `-5881580-...`, as many). */
const MAX_DATE_BYTES = 14;
/** The most bytes a date-time takes before its zone suffix. */
const MAX_DATE_TIME_BYTES = MAX_DATE_BYTES + 16;
/** Bound on a column's DATE text cache: enough for years of distinct days, small enough to allocate per column. */
const MAX_DATE_SLOTS = 1024;

const ZERO = 0x30;
const PLUS = 0x2b;
const MINUS = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;

// Per-row code and its tables live in this module: under some CommonJS
// transpilers every use of an imported binding is an accessor call.
/** The two ASCII digits of 0..99 as one big-endian 16-bit value: two digits per table read and store. */
const PAIR = Uint16Array.from({ length: 100 }, (_, i) => ((ZERO + Math.floor(i / 10)) << 8) | (ZERO + (i % 10)));
/** `00`..`99`, and `-MM-DD` by `month * 32 + day`: a DATE's text is then two concatenations. */
const PAIRS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const MONTH_DAYS: readonly string[] = (() => {
  const texts = new Array<string>(13 * 32).fill('');
  for (let m = 1; m <= 12; m++) for (let d = 1; d <= 31; d++) texts[m * 32 + d] = `-${PAIRS[m]!}-${PAIRS[d]!}`;
  return texts;
})();

/** Julian day number of 1970-01-01. */
const UNIX_EPOCH_JULIAN_DAY = 2440588;

/** Epoch seconds (floored) of the int64 microseconds `hi * 2^32 + lo`. */
function secondsOf(hi: number, lo: number): number {
  // Within ±2^53 the quotient is below 2^34, so its rounding error is under
  // 2^-20, less than 10^-6, the least distance between a non-integral
  // quotient and an integer: flooring it is exact. (The same reasoning makes
  // the other floored divisions in this module exact.)
  if (hi >= -SAFE_HI && hi < SAFE_HI) return Math.floor((hi * TWO_32 + lo) / 1e6);
  return secondsOfMicros(hi, lo);
}

/** Microseconds (0..999999) within second `seconds` (as secondsOf returned it) of `hi * 2^32 + lo`. */
function microsWithin(hi: number, lo: number, seconds: number): number {
  if (hi >= -SAFE_HI && hi < SAFE_HI) return hi * TWO_32 + lo - seconds * 1e6;
  return microsOfSecond(hi, lo);
}

/** Days since the epoch (floored) of an integer count of epoch seconds below 2^48 in magnitude (INT96 reaches 2^48, int64 microseconds 2^44). */
function dayOfSeconds(seconds: number): number {
  return Math.floor(seconds / 86400);
}

/** Days since the epoch (floored) of the int64 microseconds `hi * 2^32 + lo`. */
function dayOfMicros(hi: number, lo: number): number {
  if (hi >= -SAFE_HI && hi < SAFE_HI) return Math.floor((hi * TWO_32 + lo) / MICROS_PER_DAY);
  return dayOfSeconds(secondsOfMicros(hi, lo));
}

/** True when a packed civil date's year is 0..9999, written in four digits (others in the expanded form). */
function isFourDigitYear(packed: number): boolean {
  return packed >= 0 && packed < 10000 * 512;
}

/** Writes `+YYYYY-MM-DD` or `-YYYYYY-MM-DD` of a packed civil date whose year is outside 0..9999 at `w.pos`. */
function writeWideDate(w: AsciiWriter, packed: number): void {
  // Packed dates of INT96's farthest days pass int32, where shifts would wrap.
  const year = Math.floor(packed / 512);
  const monthDay = packed - year * 512;
  if (year > 9999) {
    w.char(PLUS);
    w.digits(year, 5);
  } else {
    w.char(MINUS);
    w.digits(-year, 6);
  }
  const p = w.pos;
  w.buf[p] = MINUS;
  w.view.setUint16(p + 1, PAIR[monthDay >> 5]!);
  w.buf[p + 3] = MINUS;
  w.view.setUint16(p + 4, PAIR[monthDay & 31]!);
  w.pos = p + 6;
}

/** Writes `THH:MM:SS.ffffff` of `sod` seconds into the day and `micros` (0..999999) at `p`, four bytes per store. */
function putClock(view: DataView, p: number, sod: number, micros: number): void {
  // Both are small integers: truncated to int32, the divisions below become multiplications.
  const t = sod | 0;
  const us = micros | 0;
  const h = (t / 3600) | 0;
  const rest = t - h * 3600;
  const m = (rest / 60) | 0;
  const s = PAIR[rest - m * 60]!;
  const u1 = (us / 10000) | 0;
  const u23 = us - u1 * 10000;
  const u2 = (u23 / 100) | 0;
  view.setUint32(p, (LETTER_T << 24) | (PAIR[h]! << 8) | COLON);
  view.setUint32(p + 4, (PAIR[m]! << 16) | (COLON << 8) | (s >> 8));
  view.setUint32(p + 8, ((s & 0xff) << 24) | (DOT << 16) | PAIR[u1]!);
  view.setUint32(p + 12, (PAIR[u2]! << 16) | PAIR[u23 - u2 * 100]!);
}

/**
 * Writes one column's date-times. It remembers the day of the last value,
 * and that day's text as three words: rows cluster in time, so most skip the
 * day arithmetic and the civil date.
 */
class DateTimeWriter {
  /** Epoch seconds (local) of the remembered day's midnight; +Infinity before the first value. */
  private dayStart = Number.POSITIVE_INFINITY;
  private packed = 0;
  /** `YYYY`, `-MM-` and `DD` of the remembered day, when its year has four digits. */
  private yearWord = 0;
  private monthWord = 0;
  private dayPair = 0;

  constructor(
    private readonly w: AsciiWriter,
    private readonly days: CivilDays,
  ) {}

  /**
   * Writes `YYYY-MM-DDTHH:MM:SS.ffffff` of `local` (integer epoch seconds,
   * the offset already applied) and `micros`, after
   * `w.reserve(MAX_DATE_TIME_BYTES)`; the caller appends the zone suffix.
   */
  write(local: number, micros: number): void {
    const w = this.w;
    let sod = local - this.dayStart;
    if (!(sod >= 0 && sod < 86400)) {
      const day = dayOfSeconds(local);
      this.dayStart = day * 86400;
      this.remember(this.days.packedOf(day));
      sod = local - this.dayStart;
    }
    let p = w.pos;
    if (isFourDigitYear(this.packed)) {
      const view = w.view;
      view.setUint32(p, this.yearWord);
      view.setUint32(p + 4, this.monthWord);
      view.setUint16(p + 8, this.dayPair);
      p += 10;
    } else {
      writeWideDate(w, this.packed);
      p = w.pos;
    }
    putClock(w.view, p, sod, micros);
    w.pos = p + 16;
  }

  private remember(packed: number): void {
    this.packed = packed;
    if (!isFourDigitYear(packed)) return;
    const year = packed >> 9;
    const century = (year / 100) | 0;
    this.yearWord = (PAIR[century]! << 16) | PAIR[year - century * 100]!;
    this.monthWord = (MINUS << 24) | (PAIR[(packed >> 5) & 15]! << 8) | MINUS;
    this.dayPair = PAIR[packed & 31]!;
  }
}

/** The chunk's civil-date cache, created on first use. */
function civilDays(ctx: ColumnContext, n: number): CivilDays {
  ctx.civilDays ??= new CivilDays(Math.min(n, MAX_DATE_SLOTS));
  return ctx.civilDays;
}

/**
 * DATE texts by day. A DATE column repeats its days over and over, and a
 * string is immutable, so rows of one day share one string: no per-row text
 * to build nor to collect.
 */
export class DateTexts {
  private readonly keys: Int32Array;
  private readonly texts: string[];
  private readonly mask: number;
  private scratch: AsciiWriter | undefined;

  constructor(slots: number) {
    let size = 16;
    while (size < slots) size *= 2;
    // No day reachable from int64 microseconds (|day| < 1.1e8) is int32 max.
    this.keys = new Int32Array(size).fill(0x7fffffff);
    this.texts = new Array<string>(size).fill('');
    this.mask = size - 1;
  }

  of(day: number): string {
    const slot = day & this.mask;
    if (this.keys[slot] === day) return this.texts[slot]!;
    const text = this.format(civilFromDays(day));
    this.keys[slot] = day;
    this.texts[slot] = text;
    return text;
  }

  private format(packed: number): string {
    if (isFourDigitYear(packed)) {
      const year = packed >> 9;
      const century = (year / 100) | 0;
      // Strings this short are built flat: no rope for a caller to flatten later.
      return PAIRS[century]! + PAIRS[year - century * 100]! + MONTH_DAYS[packed & 511]!;
    }
    const w = (this.scratch ??= new AsciiWriter(1, MAX_DATE_BYTES));
    w.pos = 0;
    writeWideDate(w, packed);
    return w.decodeAll();
  }
}

/**
 * Formats single date-times, for columns that keep microseconds and format a
 * row only when it is read; the same text decodeTimestamps and
 * decodeZonedTimestamps write.
 */
export class DateTimeTexts {
  private readonly w = new AsciiWriter(1, MAX_DATE_TIME_BYTES + 16);
  private readonly dateTimes = new DateTimeWriter(this.w, new CivilDays(64));

  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` of the int64 microseconds `hi * 2^32 + lo`. */
  utc(hi: number, lo: number): string {
    const w = this.w;
    w.pos = 0;
    const seconds = secondsOf(hi, lo);
    this.dateTimes.write(seconds, microsWithin(hi, lo, seconds));
    w.char(LETTER_Z);
    return w.decodeAll();
  }

  /** The same instant in `rule`'s zone, with its offset suffix. */
  zoned(hi: number, lo: number, rule: ZoneRule): string {
    const w = this.w;
    w.pos = 0;
    const seconds = secondsOf(hi, lo);
    const offset = rule.offsetAt(seconds);
    this.dateTimes.write(seconds + offset, microsWithin(hi, lo, seconds));
    w.text(rule.suffixAt(offset));
    return w.decodeAll();
  }
}

/** Days since the epoch (floored) of the int64 microseconds `hi * 2^32 + lo`. */
export function daysOfMicros(hi: number, lo: number): number {
  return dayOfMicros(hi, lo);
}

export function decodeDates(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[]): void {
  const { buf, view } = ctx;
  const texts = new DateTexts(Math.min(n, MAX_DATE_SLOTS));
  let o = v.elemAt;
  for (let r = 0; r < n; r++, o += 8) {
    out[r] = nullAt >= 0 && buf[nullAt + r] !== 0 ? null : texts.of(dayOfMicros(view.getInt32(o), view.getUint32(o + 4)));
  }
}

export function decodeTimestamps(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[]): void {
  const { buf, view } = ctx;
  const w = columnWriter(ctx, n, 27);
  const dateTimes = new DateTimeWriter(w, civilDays(ctx, n));
  let o = v.elemAt;
  for (let r = 0; r < n; r++, o += 8) {
    if (nullAt < 0 || buf[nullAt + r] === 0) {
      const hi = view.getInt32(o);
      const lo = view.getUint32(o + 4);
      const seconds = secondsOf(hi, lo);
      w.reserve(MAX_DATE_TIME_BYTES + 1);
      dateTimes.write(seconds, microsWithin(hi, lo, seconds));
      w.char(LETTER_Z);
    }
    w.endValue(r);
  }
  w.handOut(out, n, buf, nullAt);
}

export function decodeZonedTimestamps(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[]): void {
  const { buf, view, zones } = ctx;
  const zoneStarts = v.zoneStarts;
  const zoneEnds = v.zoneEnds;
  if (zoneStarts !== undefined && zoneStarts.length < n) {
    throw new DecodeError('SHORT_DATA', `column ${ctx.column} has ${zoneStarts.length} zones for ${n} rows`, v.dataAt);
  }
  // 33 bytes: a date-time and an `+HH:MM` suffix.
  const w = columnWriter(ctx, n, 33);
  const dateTimes = new DateTimeWriter(w, civilDays(ctx, n));
  const byBytes = zoneStarts === undefined ? undefined : new ZoneByBytes(buf, view, zones);
  // Without zoneData the values are UTC.
  let rule = zones.get('')!;
  let o = v.elemAt;
  for (let r = 0; r < n; r++, o += 8) {
    if (nullAt >= 0 && buf[nullAt + r] !== 0) {
      w.endValue(r);
      continue;
    }
    if (byBytes !== undefined) {
      const zs = zoneStarts![r]!;
      const ze = zoneEnds![r]!;
      const found = byBytes.ruleAt(zs, ze);
      if (found === undefined) {
        const zone = buf.toString('utf8', zs, ze);
        throw new DecodeError('BAD_ZONE', `column ${ctx.column}, row ${r} names an unknown time zone '${zone.slice(0, 64)}'`, zs);
      }
      rule = found;
    }
    const hi = view.getInt32(o);
    const lo = view.getUint32(o + 4);
    const seconds = secondsOf(hi, lo);
    const offset = rule.offsetAt(seconds);
    const suffix = rule.suffixAt(offset);
    w.reserve(MAX_DATE_TIME_BYTES + suffix.length);
    dateTimes.write(seconds + offset, microsWithin(hi, lo, seconds));
    w.text(suffix);
    w.endValue(r);
  }
  w.handOut(out, n, buf, nullAt);
}

/** INT96 (legacy Parquet timestamps): 12 bytes, int32 Julian day then int64 nanoseconds of the day, big-endian as the engine writes them. */
export function decodeInt96s(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[]): void {
  const { buf, view } = ctx;
  const starts = v.starts!;
  const ends = v.ends!;
  const w = columnWriter(ctx, n, 27);
  const dateTimes = new DateTimeWriter(w, civilDays(ctx, n));
  for (let r = 0; r < n; r++) {
    if (nullAt >= 0 && buf[nullAt + r] !== 0) {
      w.endValue(r);
      continue;
    }
    const s = starts[r]!;
    if (ends[r]! - s !== 12) {
      throw new DecodeError('BAD_VALUE', `INT96 column ${ctx.column}, row ${r} is ${ends[r]! - s} bytes, expected 12`, s);
    }
    const hi = view.getInt32(s + 4);
    const nanos = hi * TWO_32 + view.getUint32(s + 8);
    if (hi < -SAFE_HI || hi >= SAFE_HI) {
      throw new DecodeError('BAD_VALUE', `INT96 column ${ctx.column}, row ${r} has an out-of-range nanosecond count`, s);
    }
    let ns = nanos % 1e9;
    if (ns < 0) ns += 1e9;
    const seconds = (view.getInt32(s) - UNIX_EPOCH_JULIAN_DAY) * 86400 + (nanos - ns) / 1e9;
    w.reserve(MAX_DATE_TIME_BYTES + 1);
    dateTimes.write(seconds, Math.floor(ns / 1000));
    w.char(LETTER_Z);
    w.endValue(r);
  }
  w.handOut(out, n, buf, nullAt);
}
