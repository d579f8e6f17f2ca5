/** The two deployments of an e6data cluster. */
export type Strategy = 'blue' | 'green';

/** Every valid strategy, in the order detection tries them. */
export const STRATEGIES: readonly Strategy[] = Object.freeze(['blue', 'green'] as const);

// Longer input cannot be a padded 'blue' or 'green' worth honouring; refusing it
// before trim/lowercase keeps a hostile header from costing a copy of itself.
const MAX_PARSE_LENGTH = 64;

/**
 * Reads a strategy from anything a server, a header or a caller might hand us.
 * Case-insensitive and trimmed; every other value (including non-strings) is null.
 */
export function parseStrategy(value: unknown): Strategy | null {
  if (typeof value !== 'string') return null;
  // Fast path: the canonical spellings are by far the most common input.
  if (value === 'blue' || value === 'green') return value;
  if (value.length > MAX_PARSE_LENGTH) return null;
  const normalised = value.trim().toLowerCase();
  return normalised === 'blue' || normalised === 'green' ? normalised : null;
}

/** True when `value` is already a canonical strategy (no trimming, no case folding). */
export function isStrategy(value: unknown): value is Strategy {
  return value === 'blue' || value === 'green';
}

/** The deployment that is not `strategy`. */
export function otherStrategy(strategy: Strategy): Strategy {
  return strategy === 'blue' ? 'green' : 'blue';
}
