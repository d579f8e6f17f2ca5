// DECIMAL128 values: a big-endian two's-complement unscaled integer (16 bytes
// on the wire) and the vector's scale; the value is unscaled / 10^scale,
// handed out as an exact plain-notation decimal string.

import { type AsciiWriter } from './ascii-writer';

/** Scales past ±this are refused both ways: no real decimal has them, and rendering one would allocate its digits. */
export const MAX_SCALE = 1000;

const INT128_MIN = -(1n << 127n);
const INT128_MAX = (1n << 127n) - 1n;

/**
 * The 16-byte value at `at` as a number when it lies within ±2^53 (where a
 * double holds every integer exactly), else undefined: the common case is
 * then read without BigInt arithmetic.
 */
export function readSmallUnscaled(buf: Buffer, view: DataView, at: number, length: number): number | undefined {
  if (length !== 16) return undefined;
  const fill = buf[at + 8]! >= 0x80 ? 0xff : 0x00;
  for (let i = 0; i < 8; i++) if (buf[at + i] !== fill) return undefined;
  const hi = view.getInt32(at + 8);
  if (hi < -0x200000 || hi >= 0x200000) return undefined;
  return hi * 4294967296 + view.getUint32(at + 12);
}

/** The signed integer in `buf[at, at + length)` (1..16 bytes, big-endian two's complement). */
export function readUnscaled(buf: Buffer, at: number, length: number): bigint {
  let v = 0n;
  for (let i = 0; i < length; i++) v = (v << 8n) | BigInt(buf[at + i]!);
  // The top bit is the sign: subtract 2^(8 * length) to make the value negative.
  if (buf[at]! >= 0x80) v -= 1n << BigInt(8 * length);
  return v;
}

/**
 * Writes `digits / 10^scale` (with a leading `-` when `negative`) in plain
 * notation, keeping the scale's digits (`1.50` at scale 2); a negative scale
 * appends zeros. `digits` is the magnitude's decimal digits.
 */
export function writeDecimal(w: AsciiWriter, negative: boolean, digits: string, scale: number): void {
  w.reserve(digits.length + Math.abs(scale) + 3);
  if (negative) w.char(0x2d);
  if (scale <= 0) {
    w.text(digits);
    if (scale < 0 && digits !== '0') for (let i = 0; i < -scale; i++) w.char(0x30);
    return;
  }
  const intLength = digits.length - scale;
  if (intLength <= 0) {
    w.char(0x30);
    w.char(0x2e);
    for (let i = 0; i < -intLength; i++) w.char(0x30);
    w.text(digits);
    return;
  }
  w.text(digits.slice(0, intLength));
  w.char(0x2e);
  w.text(digits.slice(intLength));
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Parses a plain-notation decimal (`-98765.4321`, `0.001`, `12300`) into its unscaled value and scale. */
export function parseDecimal(s: string): { unscaled: bigint; scale: number } | undefined {
  const m = DECIMAL_RE.exec(s);
  if (!m) return undefined;
  const int = m[2]!;
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  const magnitude = BigInt(`${int}${frac}`);
  return { unscaled: m[1] === '-' ? -magnitude : magnitude, scale: frac.length };
}

/** `unscaled` at scale `from` re-expressed at scale `to`; undefined when that would drop non-zero digits. */
export function rescale(unscaled: bigint, from: number, to: number): bigint | undefined {
  if (to === from) return unscaled;
  if (to > from) return unscaled * pow10(to - from);
  const divisor = pow10(from - to);
  return unscaled % divisor === 0n ? unscaled / divisor : undefined;
}

/** Powers of ten a column's rescaling needs again and again, computed once each. */
const POW10: bigint[] = [1n];
function pow10(k: number): bigint {
  for (let i = POW10.length; i <= k; i++) POW10.push(POW10[i - 1]! * 10n);
  return POW10[k]!;
}

export function fitsInt128(v: bigint): boolean {
  return v >= INT128_MIN && v <= INT128_MAX;
}
