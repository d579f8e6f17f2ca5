// The shared test helpers are code too: the assertions must fail when they
// should, and the generator must be deterministic for a given seed.
import { StrategyStore, parseStrategy } from '@e6data-ts/strategy-core';
import { TestDataGenerator } from '../../support/data-generator';
import {
  assertQueryStrategyConsistency,
  assertStrategyTransition,
  assertValidStrategy,
  StrategyTestAssertions,
} from '../../support/strategy-assertions';
import { RecordingLogger } from './fakes';

describe('StrategyTestAssertions', () => {
  test('assert_valid_strategy passes for blue and green', () => {
    expect(() => StrategyTestAssertions.assertValidStrategy('blue')).not.toThrow();
    expect(() => assertValidStrategy('green')).not.toThrow();
  });

  test.each<[unknown, string]>([
    ['Blue', 'Invalid strategy: "Blue"'],
    [null, 'Invalid strategy: null'],
    [undefined, 'Invalid strategy: undefined'],
    [1, 'Invalid strategy: 1'],
    [Symbol.for('x'), 'Invalid strategy: Symbol(x)'],
  ])('assert_valid_strategy fails for %p', (value, message) => {
    expect(() => StrategyTestAssertions.assertValidStrategy(value)).toThrow(message);
  });

  test('assert_strategy_transition passes for a real change', () => {
    expect(() => StrategyTestAssertions.assertStrategyTransition('blue', 'green')).not.toThrow();
    expect(() => assertStrategyTransition('green', 'blue')).not.toThrow();
  });

  test('assert_strategy_transition fails when nothing changes or a side is invalid', () => {
    expect(() => assertStrategyTransition('blue', 'blue')).toThrow('Strategy should change, but stayed "blue"');
    expect(() => assertStrategyTransition('red', 'blue')).toThrow('Invalid old strategy: "red"');
    expect(() => assertStrategyTransition('blue', null)).toThrow('Invalid new strategy: null');
  });

  test('assert_query_strategy_consistency compares with the store', () => {
    const store = new StrategyStore({ logger: new RecordingLogger() });
    store.registerQuery('q1', 'green');
    expect(() => StrategyTestAssertions.assertQueryStrategyConsistency(store, 'q1', 'green')).not.toThrow();
    expect(() => assertQueryStrategyConsistency(store, 'q1', 'blue')).toThrow('Query q1 strategy mismatch: expected "blue", got "green"');
    expect(() => assertQueryStrategyConsistency(store, 'q2', 'blue')).toThrow('Query q2 strategy mismatch: expected "blue", got null');
  });
});

describe('TestDataGenerator', () => {
  test('generate_query_scenarios returns the seed scenarios as fresh copies', () => {
    const scenarios = TestDataGenerator.generateQueryScenarios();
    expect(scenarios).toEqual([
      { query: 'SELECT 1', expectedRows: 1 },
      { query: 'SELECT 1, 2, 3', expectedRows: 1 },
      { query: 'SELECT * FROM mock_table LIMIT 10', expectedRows: 10 },
      { query: 'SELECT COUNT(*) FROM mock_table', expectedRows: 1 },
    ]);
    (scenarios[0] as { expectedRows: number }).expectedRows = 99;
    expect(TestDataGenerator.generateQueryScenarios()[0]!.expectedRows).toBe(1);
  });

  test('generate_error_scenarios returns the seed scenarios', () => {
    expect(TestDataGenerator.generateErrorScenarios().map((s) => s.errorType)).toEqual(['456', 'auth', 'timeout', 'network']);
    expect(TestDataGenerator.generateErrorScenarios()[0]).toEqual({ errorType: '456', description: 'Strategy mismatch' });
  });

  test('the same seed yields the same data; another seed yields other data', () => {
    const run = (seed: number): unknown => {
      const g = new TestDataGenerator(seed);
      return [g.queryIds(5), g.strategySequence(20), g.int(1, 6), Array.from({ length: 10 }, () => g.strategyInput())];
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
    expect(new TestDataGenerator().seed).toBe(1);
  });

  test('query ids are unique and engine-shaped', () => {
    const ids = new TestDataGenerator(5).queryIds(1_000);
    expect(new Set(ids).size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(/^test_query_\d+_\d{6}$/);
  });

  test('numbers stay in range and cover it', () => {
    const g = new TestDataGenerator(9);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const x = g.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const n = g.int(1, 6);
      expect(Number.isInteger(n) && n >= 1 && n <= 6).toBe(true);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('strategy sequences are valid and honour the switch probability', () => {
    const g = new TestDataGenerator(3);
    const steady = g.strategySequence(50, 0);
    for (const s of steady) assertValidStrategy(s);
    expect(new Set(steady).size).toBe(1);
    const flipping = g.strategySequence(50, 1);
    for (let i = 1; i < flipping.length; i++) assertStrategyTransition(flipping[i - 1], flipping[i]);
    expect(g.strategySequence(0)).toEqual([]);
  });

  test('strategy inputs come with what the parser must make of them', () => {
    const g = new TestDataGenerator(17);
    let valid = 0;
    for (let i = 0; i < 200; i++) {
      const { input, expected } = g.strategyInput();
      expect(parseStrategy(input)).toBe(expected);
      if (expected !== null) valid++;
    }
    expect(valid).toBeGreaterThan(100);
    expect(valid).toBeLessThan(180);
  });

  test('pick refuses an empty list', () => {
    expect(() => new TestDataGenerator().pick([])).toThrow(RangeError);
  });
});
