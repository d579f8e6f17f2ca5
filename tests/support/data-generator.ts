// Test data for the whole pyramid: the seed's query and error scenarios, plus
// seeded random query ids, strategy sequences and strategy-like inputs. Every
// random output is a pure function of the seed number, so a failing run can be
// replayed exactly by reusing the seed it prints.
import type { Strategy } from '@e6data-ts/strategy-core';

export interface QueryScenario {
  readonly query: string;
  readonly expectedRows: number;
}

export type ErrorScenarioType = '456' | 'auth' | 'timeout' | 'network';

export interface ErrorScenario {
  readonly errorType: ErrorScenarioType;
  readonly description: string;
}

const QUERY_SCENARIOS: readonly QueryScenario[] = Object.freeze([
  { query: 'SELECT 1', expectedRows: 1 },
  { query: 'SELECT 1, 2, 3', expectedRows: 1 },
  { query: 'SELECT * FROM mock_table LIMIT 10', expectedRows: 10 },
  { query: 'SELECT COUNT(*) FROM mock_table', expectedRows: 1 },
]);

const ERROR_SCENARIOS: readonly ErrorScenario[] = Object.freeze([
  { errorType: '456', description: 'Strategy mismatch' },
  { errorType: 'auth', description: 'Authentication failure' },
  { errorType: 'timeout', description: 'Connection timeout' },
  { errorType: 'network', description: 'Network error' },
]);

/** Values a strategy field must refuse: wrong words, wrong types, and a long token-like string. */
const INVALID_STRATEGY_VALUES: readonly unknown[] = Object.freeze([
  'invalid',
  '',
  '   ',
  'blu',
  'greenish',
  'blue-green',
  null,
  undefined,
  0,
  42,
  true,
  {},
  ['blue'],
  `e6-secret-token-${'x'.repeat(200)}`,
]);

/** Spellings a strategy field must accept, each with what it means. */
const VALID_STRATEGY_SPELLINGS: readonly (readonly [string, Strategy])[] = Object.freeze([
  ['blue', 'blue'],
  ['green', 'green'],
  ['BLUE', 'blue'],
  ['GREEN', 'green'],
  ['Blue', 'blue'],
  ['gReEn', 'green'],
  [' blue ', 'blue'],
  ['\tgreen\n', 'green'],
]);

export class TestDataGenerator {
  private state: number;
  private issued = 0;

  /** The same seed always yields the same sequence of outputs. */
  constructor(readonly seed: number = 1) {
    this.state = seed >>> 0;
  }

  /** The seed's query scenarios: SQL the mock cluster answers, with the row count it returns. */
  static generateQueryScenarios(): QueryScenario[] {
    return QUERY_SCENARIOS.map((s) => ({ ...s }));
  }

  /** The seed's error scenarios. */
  static generateErrorScenarios(): ErrorScenario[] {
    return ERROR_SCENARIOS.map((s) => ({ ...s }));
  }

  static invalidStrategyValues(): unknown[] {
    return [...INVALID_STRATEGY_VALUES];
  }

  static validStrategySpellings(): [string, Strategy][] {
    return VALID_STRATEGY_SPELLINGS.map(([raw, s]) => [raw, s]);
  }

  /** A float in [0, 1) (mulberry32: small, fast, good enough for test data). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick needs at least one item');
    return items[this.int(0, items.length - 1)] as T;
  }

  strategy(): Strategy {
    return this.next() < 0.5 ? 'blue' : 'green';
  }

  /** `length` strategies, where each differs from the previous with probability `switchProbability`. */
  strategySequence(length: number, switchProbability = 0.5): Strategy[] {
    const out: Strategy[] = [];
    let current = this.strategy();
    for (let i = 0; i < length; i++) {
      if (i > 0 && this.next() < switchProbability) current = current === 'blue' ? 'green' : 'blue';
      out.push(current);
    }
    return out;
  }

  /** A query id shaped like the engine's (`test_query_<digits>`), unique within this generator. */
  queryId(): string {
    this.issued++;
    return `test_query_${this.issued}_${this.int(100_000, 999_999)}`;
  }

  queryIds(count: number): string[] {
    return Array.from({ length: count }, () => this.queryId());
  }

  /** A valid spelling (mixed case, padded) or an invalid value, with what a parser must return for it. */
  strategyInput(validProbability = 0.7): { input: unknown; expected: Strategy | null } {
    if (this.next() < validProbability) {
      const [input, expected] = this.pick(VALID_STRATEGY_SPELLINGS);
      return { input, expected };
    }
    return { input: this.pick(INVALID_STRATEGY_VALUES), expected: null };
  }
}
