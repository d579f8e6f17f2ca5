import { describeValue, parseStrategy, type Strategy } from '@e6data-ts/strategy-core';
import { silentWarn, type HeaderWarn } from './header-logger';

/** Options of readNewStrategy. */
export interface ReadNewStrategyOptions {
  /** Told about a `new_strategy` value that is neither blue nor green. Silent by default. */
  warn?: HeaderWarn;
}

/**
 * The deployment a response says the cluster is moving to (its `new_strategy`
 * field), or null when it names none. An invalid value is ignored: it must
 * never reach the strategy cache.
 */
export function readNewStrategy(response: unknown, options: ReadNewStrategyOptions = {}): Strategy | null {
  if (typeof response !== 'object' || response === null) return null;
  const value = (response as { new_strategy?: unknown }).new_strategy;
  if (value === undefined || value === null || value === '') return null;
  const strategy = parseStrategy(value);
  if (strategy === null) {
    (options.warn ?? silentWarn)('ignoring an invalid new_strategy in a response', { value: describeValue(value) });
  }
  return strategy;
}
