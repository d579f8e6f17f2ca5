// DECIMAL128 values: a big-endian two's-complement unscaled integer (16 bytes
// on the wire) and the vector's scale; the value is unscaled / 10^scale,
// handed out as an exact plain-notation decimal string.

/** Scales past ±this are refused both ways: no real decimal has them, and rendering one would allocate its digits. */
export const MAX_SCALE = 1000;

const INT128_MIN = -(1n << 127n);
const INT128_MAX = (1n << 127n) - 1n;

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
