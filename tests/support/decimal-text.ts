/**
 * Plain notation of unscaled / 10^scale, written independently of the codec
 * (string padding, no arithmetic), so decimal tests have their own oracle.
 */
export function plainDecimal(unscaled: bigint, scale: number): string {
  const sign = unscaled < 0n ? '-' : '';
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString();
  if (scale < 0) return unscaled === 0n ? '0' : sign + digits + '0'.repeat(-scale);
  if (scale === 0) return sign + digits;
  const padded = digits.padStart(scale + 1, '0');
  return `${sign}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}
