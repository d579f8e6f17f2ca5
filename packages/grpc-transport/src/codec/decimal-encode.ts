import { type ByteWriter } from './byte-writer';
import { EncodeError } from './codec-error';
import { MAX_SCALE, fitsInt128, rescale } from './decimal128';
import { badValue } from './value-encode';

// DECIMAL128 values out: decimal strings (or bigint unscaled values) to 16
// bytes of big-endian two's complement. A string whose unscaled value at the
// column's scale is below 2^53 (nearly every real decimal) is read digit by
// digit into a double, exact there, and written as two 64-bit halves; the
// rest take the exact BigInt path.

const EXPECTED = 'a plain-notation decimal string or a bigint';
const TWO_32 = 4294967296;
const ZERO = 0x30;
const NINE = 0x39;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
/** 10^0 .. 10^15, each exact in a double. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
/** Digits accumulate exactly while the value stays below this (then ×10 + 9 is still below 2^53). */
const MAX_EXACT_PREFIX = 9e14;

/** The outcome of scanning one decimal string. */
class DecimalScan {
  /** Digits after the point. */
  fraction = 0;
  /** All digits, point removed, as a number; meaningful when `exact`. */
  digits = 0;
  exact = false;
  negative = false;

  /**
   * Scans `s` against parseDecimal's grammar (an optional sign, digits, an
   * optional point and digits, at least one digit in all); false when `s`
   * does not match it.
   */
  scan(s: string): boolean {
    const n = s.length;
    let i = 0;
    const first = n > 0 ? s.charCodeAt(0) : 0;
    this.negative = first === MINUS;
    if (first === PLUS || first === MINUS) i = 1;
    let count = 0;
    let digits = 0;
    let exact = true;
    let point = -1;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= ZERO && c <= NINE) {
        count++;
        if (digits >= MAX_EXACT_PREFIX) exact = false;
        else digits = digits * 10 + (c - ZERO);
      } else if (c === DOT && point < 0) {
        point = i;
      } else {
        return false;
      }
    }
    if (count === 0) return false;
    this.fraction = point < 0 ? 0 : n - point - 1;
    this.digits = digits;
    this.exact = exact;
    return true;
  }
}

/** The scale a column is written at: `given` when set, else the most fraction digits among its strings; checked against MAX_SCALE. */
export function decimalScale(values: readonly unknown[], n: number, column: number, given: number | undefined): number {
  let scale = given;
  if (scale === undefined) {
    scale = 0;
    const scan = new DecimalScan();
    for (let r = 0; r < n; r++) {
      const x = values[r];
      if (typeof x !== 'string') continue;
      if (!scan.scan(x)) throw badValue('DECIMAL128', EXPECTED, x, column, r);
      scale = Math.max(scale, scan.fraction);
    }
  }
  if (!Number.isInteger(scale) || scale < -MAX_SCALE || scale > MAX_SCALE) {
    throw new EncodeError('OUT_OF_RANGE', `DECIMAL128 scale must be an integer within ±${MAX_SCALE}`, { column });
  }
  return scale;
}

/** Writes each of `values[0, n)` as a Thrift binary of 16 bytes (`i32 16` + the value) at `scale`; NULL rows as zero. */
export function writeDecimalValues(w: ByteWriter, values: readonly unknown[], n: number, scale: number, column: number): void {
  const scan = new DecimalScan();
  for (let r = 0; r < n; r++) {
    const x = values[r];
    if (x === null || x === undefined) {
      writeSmall(w, 0);
      continue;
    }
    let unscaled: bigint;
    if (typeof x === 'string') {
      if (!scan.scan(x)) throw badValue('DECIMAL128', EXPECTED, x, column, r);
      const shift = scale - scan.fraction;
      if (scan.exact && shift >= 0 && shift < POW10.length) {
        // Both factors are exact integers: a product up to 2^53 - 1 is exact too, and a larger one cannot round down to it.
        const small = scan.digits * POW10[shift]!;
        if (small <= Number.MAX_SAFE_INTEGER) {
          writeSmall(w, scan.negative ? -small : small);
          continue;
        }
      }
      // The scan accepted the text: without its point it is a signed integer BigInt reads.
      const rescaled = rescale(BigInt(x.replace('.', '')), scan.fraction, scale);
      if (rescaled === undefined) {
        throw new EncodeError('OUT_OF_RANGE', `DECIMAL128 value has more fraction digits than scale ${scale}`, { column, row: r });
      }
      unscaled = rescaled;
    } else if (typeof x === 'bigint') {
      unscaled = x;
    } else {
      throw badValue('DECIMAL128', EXPECTED, x, column, r);
    }
    if (!fitsInt128(unscaled)) {
      throw new EncodeError('OUT_OF_RANGE', 'DECIMAL128 unscaled value does not fit in 128 bits', { column, row: r });
    }
    writeBig(w, unscaled);
  }
}

/** `i32 16` and the integer `x` (|x| < 2^53) sign-extended to 128 bits. */
function writeSmall(w: ByteWriter, x: number): void {
  w.i32(16);
  const sign = x < 0 ? -1 : 0;
  w.i64Parts(sign, sign >>> 0);
  const hi = Math.floor(x / TWO_32);
  w.i64Parts(hi, x - hi * TWO_32);
}

/** `i32 16` and the 128-bit `unscaled`: its high and low 64-bit halves. */
function writeBig(w: ByteWriter, unscaled: bigint): void {
  w.i32(16);
  w.i64(unscaled >> 64n);
  w.i64(BigInt.asIntN(64, unscaled));
}
