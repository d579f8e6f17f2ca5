import { AsciiWriter } from './ascii-writer';
import { DecodeError } from './codec-error';
import { type CheckedVector } from './chunk-layout';
import { type ColumnContext, columnWriter } from './column-context';
import { MAX_SCALE } from './decimal128';
import { type CellValue } from './types';

// DECIMAL128 columns into exact plain-notation strings (the value table,
// docs/wire.md section 7). A value is 1 to 16 bytes of big-endian two's complement; its
// magnitude's decimal digits are produced without BigInt: with double
// arithmetic when it is below 2^53 (exact there), else by long division of
// its four 32-bit words by 10^6, each step exact in a double. Either way the
// digits land in a scratch array, and are then laid out around the scale's
// decimal point; values within ±2^53 at scales 0..15 are written straight.
//
// Every floored division here is exact: the dividend is an integer below
// 2^53 (10^6 * 2^32 in the long division), so the quotient's rounding error
// is less than 1/divisor, the least distance between a non-integral quotient
// and an integer.

const TWO_32 = 4294967296;
const ZERO = 0x30;
const MINUS = 0x2d;
const DOT = 0x2e;
/** Room for the 39 digits of 2^127 plus slack. */
const DIGITS = 48;
/** 10^0 .. 10^15, each exact in a double: the scales written straight from a double. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
// Per-row code and its tables live in this module: under some CommonJS
// transpilers every use of an imported binding is an accessor call.
/** ASCII tens and ones digit of 0..99: two digits per table read instead of a division each. */
const TENS = Uint8Array.from({ length: 100 }, (_, i) => ZERO + Math.floor(i / 10));
const ONES = Uint8Array.from({ length: 100 }, (_, i) => ZERO + (i % 10));

/**
 * Writes the decimal digits of the int32 `x` (0 <= x < 2^31) backwards, the
 * last one at `d[end - 1]`, zero-padded to at least `width` digits; returns
 * the index of the first.
 */
function putDigitsBefore(d: Uint8Array, end: number, x: number, width: number): number {
  let p = end;
  let rest = x;
  while (rest >= 100) {
    const q = (rest / 100) | 0;
    const pair = rest - q * 100;
    d[--p] = ONES[pair]!;
    d[--p] = TENS[pair]!;
    rest = q;
  }
  if (rest >= 10) {
    d[--p] = ONES[rest]!;
    d[--p] = TENS[rest]!;
  } else {
    d[--p] = ZERO + rest;
  }
  const first = end - width;
  while (p > first) d[--p] = ZERO;
  return p;
}

/** Decimal digits of one value's magnitude, right-aligned in `digits`. */
class Magnitude {
  readonly digits = new Uint8Array(DIGITS);
  /** Index of the first digit; the digits are `digits[first, DIGITS)`. */
  first = DIGITS;
  negative = false;
  private readonly scratch = Buffer.alloc(16);
  private readonly scratchView = new DataView(this.scratch.buffer, this.scratch.byteOffset, 16);

  /** Reads the value at `buf[at, at + length)` (length 1..16) and produces its digits. */
  read(buf: Buffer, view: DataView, at: number, length: number): void {
    let src = view;
    let o = at;
    if (length !== 16) {
      // Shorter forms (minimal Java writers): sign-extend to 16 bytes first.
      this.scratch.fill(buf[at]! >= 0x80 ? 0xff : 0x00, 0, 16 - length);
      buf.copy(this.scratch, 16 - length, at, at + length);
      src = this.scratchView;
      o = 0;
    }
    const top = src.getInt32(o);
    const w1 = src.getInt32(o + 4);
    const w2 = src.getInt32(o + 8);
    const w3 = src.getUint32(o + 12);
    // Within ±2^53 (the top 75 bits all copies of the sign): the common case, one double.
    if (w2 >= 0 ? top === 0 && w1 === 0 && w2 < 0x200000 : top === -1 && w1 === -1 && w2 >= -0x200000) {
      const x = w2 * TWO_32 + w3;
      this.negative = x < 0;
      this.fromNumber(x < 0 ? -x : x);
      return;
    }
    this.negative = top < 0;
    let u0 = top >>> 0;
    let u1 = w1 >>> 0;
    let u2 = w2 >>> 0;
    let u3 = w3;
    if (this.negative) {
      // Two's complement: invert and add one, carrying up the words.
      u0 = ~u0 >>> 0;
      u1 = ~u1 >>> 0;
      u2 = ~u2 >>> 0;
      u3 = (~u3 >>> 0) + 1;
      if (u3 === TWO_32) {
        u3 = 0;
        u2 += 1;
        if (u2 === TWO_32) {
          u2 = 0;
          u1 += 1;
          if (u1 === TWO_32) {
            u1 = 0;
            u0 += 1;
          }
        }
      }
    }
    this.fromWords(u0, u1, u2, u3);
  }

  /** Digits of an integer 0 <= m <= 2^53. */
  private fromNumber(m: number): void {
    if (m < 1e8) {
      this.first = putDigitsBefore(this.digits, DIGITS, m | 0, 1);
      return;
    }
    // Below 10^8 each half is an int32: int32 arithmetic from here on.
    const high = Math.floor(m / 1e8);
    const low = m - high * 1e8;
    const p = putDigitsBefore(this.digits, DIGITS, low | 0, 8);
    this.first = putDigitsBefore(this.digits, p, high | 0, 1);
  }

  /** Digits of the unsigned 128-bit `u0 * 2^96 + u1 * 2^64 + u2 * 2^32 + u3`, six at a time. */
  private fromWords(u0: number, u1: number, u2: number, u3: number): void {
    let p = DIGITS;
    for (;;) {
      // One step of long division by 10^6: each partial dividend is below 10^6 * 2^32 < 2^53.
      const q0 = Math.floor(u0 / 1e6);
      let t = (u0 - q0 * 1e6) * TWO_32 + u1;
      const q1 = Math.floor(t / 1e6);
      t = (t - q1 * 1e6) * TWO_32 + u2;
      const q2 = Math.floor(t / 1e6);
      t = (t - q2 * 1e6) * TWO_32 + u3;
      const q3 = Math.floor(t / 1e6);
      const r = t - q3 * 1e6;
      if (q0 === 0 && q1 === 0 && q2 === 0 && q3 === 0) {
        this.first = putDigitsBefore(this.digits, p, r | 0, 1);
        return;
      }
      p = putDigitsBefore(this.digits, p, r | 0, 6);
      u0 = q0;
      u1 = q1;
      u2 = q2;
      u3 = q3;
    }
  }
}

/**
 * Writes the magnitude's digits over 10^scale in plain notation, keeping the
 * scale's digits (`1.50` at scale 2); a negative scale appends zeros.
 */
function writePlain(w: AsciiWriter, m: Magnitude, scale: number): void {
  const d = m.digits;
  const first = m.first;
  const count = DIGITS - first;
  w.reserve(count + Math.abs(scale) + 3);
  const b = w.buf;
  let p = w.pos;
  if (m.negative) b[p++] = MINUS;
  if (scale <= 0) {
    for (let i = first; i < DIGITS; i++) b[p++] = d[i]!;
    if (scale < 0 && !(count === 1 && d[first] === ZERO)) for (let i = 0; i < -scale; i++) b[p++] = ZERO;
  } else if (count > scale) {
    const point = DIGITS - scale;
    for (let i = first; i < point; i++) b[p++] = d[i]!;
    b[p++] = DOT;
    for (let i = point; i < DIGITS; i++) b[p++] = d[i]!;
  } else {
    b[p++] = ZERO;
    b[p++] = DOT;
    for (let i = count; i < scale; i++) b[p++] = ZERO;
    for (let i = first; i < DIGITS; i++) b[p++] = d[i]!;
  }
  w.pos = p;
}

/** Decimal digits in the integer 0 <= x < 10^16. */
function digitCount(x: number): number {
  let count = 1;
  while (count < 16 && x >= POW10[count]!) count++;
  return count;
}

/** putDigitsBefore for any integer 0 <= x <= 2^53. */
function putNumberBefore(d: Uint8Array, end: number, x: number, width: number): number {
  if (x < 0x80000000) return putDigitsBefore(d, end, x | 0, width);
  const high = Math.floor(x / 1e8);
  const low = x - high * 1e8;
  return putDigitsBefore(d, putDigitsBefore(d, end, low | 0, 8), high | 0, Math.max(1, width - 8));
}

/**
 * Writes the integer x (|x| <= 2^53) over 10^scale (0..15) in plain
 * notation, straight into the writer: the common case, without the scratch
 * digits. Same text as writePlain.
 */
function writeSmall(w: AsciiWriter, x: number, scale: number): void {
  const negative = x < 0;
  const m = negative ? -x : x;
  let whole = m;
  let fraction = 0;
  if (scale > 0) {
    const unit = POW10[scale]!;
    whole = Math.floor(m / unit);
    fraction = m - whole * unit;
  }
  const length = (negative ? 1 : 0) + digitCount(whole) + (scale > 0 ? scale + 1 : 0);
  w.reserve(length);
  const b = w.buf;
  const start = w.pos;
  let p = start + length;
  if (scale > 0) {
    p = putNumberBefore(b, p, fraction, scale);
    b[--p] = DOT;
  }
  putNumberBefore(b, p, whole, 1);
  if (negative) b[start] = MINUS;
  w.pos = start + length;
}

/** Writes the DECIMAL128 value of `length` (1..16) bytes at `s`, at `scale` (within ±MAX_SCALE). */
function writeDecimal(w: AsciiWriter, m: Magnitude, buf: Buffer, view: DataView, s: number, length: number, scale: number): void {
  if (length === 16 && scale >= 0 && scale < POW10.length) {
    const top = view.getInt32(s);
    const w1 = view.getInt32(s + 4);
    const w2 = view.getInt32(s + 8);
    // Within ±2^53 (the top 75 bits all copies of the sign): one double holds it.
    if (w2 >= 0 ? top === 0 && w1 === 0 && w2 < 0x200000 : top === -1 && w1 === -1 && w2 >= -0x200000) {
      writeSmall(w, w2 * TWO_32 + view.getUint32(s + 12), scale);
      return;
    }
  }
  m.read(buf, view, s, length);
  writePlain(w, m, scale);
}

/** Formats single DECIMAL128 values, for columns that keep unscaled values and format a row only when it is read. */
export class DecimalTexts {
  private readonly w = new AsciiWriter(1, 48);
  private readonly m = new Magnitude();

  /** The plain-notation text of the 16-byte big-endian unscaled value at `buf[at]`, at `scale` (within ±MAX_SCALE). */
  text(buf: Buffer, view: DataView, at: number, scale: number): string {
    this.w.pos = 0;
    writeDecimal(this.w, this.m, buf, view, at, 16, scale);
    return this.w.decodeAll();
  }
}

export function decodeDecimals(v: CheckedVector, ctx: ColumnContext, n: number, nullAt: number, out: CellValue[]): void {
  const { buf, view } = ctx;
  const starts = v.starts!;
  const ends = v.ends!;
  const scale = v.scale;
  if (scale < -MAX_SCALE || scale > MAX_SCALE) {
    throw new DecodeError('BAD_VALUE', `DECIMAL128 column ${ctx.column} has scale ${scale}, beyond ±${MAX_SCALE}`, v.dataAt);
  }
  const w = columnWriter(ctx, n, 24);
  const m = new Magnitude();
  for (let r = 0; r < n; r++) {
    if (nullAt >= 0 && buf[nullAt + r] !== 0) {
      w.endValue(r);
      continue;
    }
    const s = starts[r]!;
    const length = ends[r]! - s;
    if (length < 1 || length > 16) {
      throw new DecodeError('BAD_VALUE', `DECIMAL128 column ${ctx.column}, row ${r} is ${length} bytes, expected 1 to 16`, s);
    }
    writeDecimal(w, m, buf, view, s, length, scale);
    w.endValue(r);
  }
  w.handOut(out, n, buf, nullAt);
}
