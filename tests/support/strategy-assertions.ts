// The seed's StrategyTestAssertions as jest-friendly helpers: each throws an
// Error whose message names what was wrong, so a failing test reads clearly.
import { type Strategy, type StrategyStore } from '@e6data-ts/strategy-core';

function show(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return value.toString();
    case 'function':
      return 'function';
    case 'bigint':
      return `${value}n`;
    default:
      try {
        return JSON.stringify(value);
      } catch {
        return 'unserialisable value';
      }
  }
}

/** Throws unless `strategy` is exactly 'blue' or 'green'. */
export function assertValidStrategy(strategy: unknown): asserts strategy is Strategy {
  if (strategy !== 'blue' && strategy !== 'green') {
    throw new Error(`Invalid strategy: ${show(strategy)} (expected 'blue' or 'green')`);
  }
}

/** Throws unless both are valid strategies and they differ. */
export function assertStrategyTransition(oldStrategy: unknown, newStrategy: unknown): void {
  if (oldStrategy !== 'blue' && oldStrategy !== 'green') throw new Error(`Invalid old strategy: ${show(oldStrategy)}`);
  if (newStrategy !== 'blue' && newStrategy !== 'green') throw new Error(`Invalid new strategy: ${show(newStrategy)}`);
  if (oldStrategy === newStrategy) throw new Error(`Strategy should change, but stayed ${show(oldStrategy)}`);
}

/** Throws unless `store.getQueryStrategy(queryId)` is `expected`. */
export function assertQueryStrategyConsistency(store: StrategyStore, queryId: string, expected: Strategy | null): void {
  const actual = store.getQueryStrategy(queryId);
  if (actual !== expected) {
    throw new Error(`Query ${queryId} strategy mismatch: expected ${show(expected)}, got ${show(actual)}`);
  }
}

/** The seed's class, for tests written against its names. */
export class StrategyTestAssertions {
  static assertValidStrategy(strategy: unknown): asserts strategy is Strategy {
    assertValidStrategy(strategy);
  }

  static assertStrategyTransition(oldStrategy: unknown, newStrategy: unknown): void {
    assertStrategyTransition(oldStrategy, newStrategy);
  }

  static assertQueryStrategyConsistency(store: StrategyStore, queryId: string, expected: Strategy | null): void {
    assertQueryStrategyConsistency(store, queryId, expected);
  }
}
