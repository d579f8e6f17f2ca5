// Port of the seed's TestQueryStrategyMapping: each query stays on the strategy it started on.
import { StrategyStore } from '@e6data-ts/strategy-core';
import { TestDataGenerator } from '../../support/data-generator';
import { assertQueryStrategyConsistency, StrategyTestAssertions } from '../../support/strategy-assertions';
import { FakeClock, RecordingLogger } from './fakes';

describe('TestQueryStrategyMapping', () => {
  let logger: RecordingLogger;
  let store: StrategyStore;

  beforeEach(() => {
    logger = new RecordingLogger();
    store = new StrategyStore({ clock: new FakeClock(), logger });
  });

  test('test_query_strategy_registration: a registered query reads back its strategy', () => {
    expect(store.registerQuery('test_query_123', 'blue')).toBe(true);
    StrategyTestAssertions.assertQueryStrategyConsistency(store, 'test_query_123', 'blue');
    expect(store.pinnedCount('blue')).toBe(1);
  });

  test('test_query_strategy_registration: the strategy is parsed case-insensitively', () => {
    expect(store.registerQuery('q', ' GREEN ')).toBe(true);
    assertQueryStrategyConsistency(store, 'q', 'green');
  });

  test('test_query_strategy_registration: a pinned query ignores later changes of active and pending', () => {
    store.setActive('blue');
    store.registerQuery('q', 'blue');
    store.setPending('green');
    assertQueryStrategyConsistency(store, 'q', 'blue');
    store.applyPending();
    assertQueryStrategyConsistency(store, 'q', 'blue');
    store.setActive('green');
    assertQueryStrategyConsistency(store, 'q', 'blue');
  });

  test('test_query_strategy_registration: many generated queries each keep their own strategy', () => {
    const gen = new TestDataGenerator(7);
    const ids = gen.queryIds(50);
    const strategies = gen.strategySequence(50);
    ids.forEach((id, i) => expect(store.registerQuery(id, strategies[i])).toBe(true));
    store.setActive('blue');
    store.setActive('green');
    ids.forEach((id, i) => assertQueryStrategyConsistency(store, id, strategies[i]!));
    expect(store.pinnedCount('blue') + store.pinnedCount('green')).toBe(50);
    expect(store.pinnedCount('blue')).toBe(strategies.filter((s) => s === 'blue').length);
  });

  test.each([['invalid'], [null], [undefined], [7]])('test_query_strategy_registration: strategy %p is refused with a warning', (strategy) => {
    store.setActive('green');
    expect(store.registerQuery('q', strategy)).toBe(false);
    // Not registered: the lookup falls back to the active strategy.
    assertQueryStrategyConsistency(store, 'q', 'green');
    expect(store.pinnedCount('blue') + store.pinnedCount('green')).toBe(0);
    expect(logger.messages).toEqual([expect.stringContaining('registerQuery ignored invalid strategy')]);
  });

  test.each([[''], [42 as unknown as string]])('test_query_strategy_registration: query id %p is refused with a warning', (queryId) => {
    expect(store.registerQuery(queryId, 'blue')).toBe(false);
    expect(store.pinnedCount('blue')).toBe(0);
    expect(logger.messages).toEqual([expect.stringContaining('registerQuery refused query id')]);
  });

  test('test_query_strategy_registration: registering the same query twice on one strategy counts it once', () => {
    store.registerQuery('q', 'blue');
    store.registerQuery('q', 'blue');
    expect(store.pinnedCount('blue')).toBe(1);
    store.cleanupQuery('q');
    expect(store.pinnedCount('blue')).toBe(0);
  });

  test('test_query_strategy_registration: re-registering a query moves its pin', () => {
    store.registerQuery('q', 'blue');
    store.registerQuery('q', 'green');
    assertQueryStrategyConsistency(store, 'q', 'green');
    expect(store.snapshot().queries).toEqual({ blue: 0, green: 1 });
  });

  test('test_query_strategy_cleanup: with no active strategy a cleaned query reads null (the seed case)', () => {
    store.registerQuery('test_query_456', 'green');
    assertQueryStrategyConsistency(store, 'test_query_456', 'green');
    store.cleanupQuery('test_query_456');
    assertQueryStrategyConsistency(store, 'test_query_456', null);
  });

  test('test_query_strategy_cleanup: a cleaned query falls back to the active strategy', () => {
    store.setActive('blue');
    store.registerQuery('test_query_456', 'green');
    store.cleanupQuery('test_query_456');
    assertQueryStrategyConsistency(store, 'test_query_456', 'blue');
    expect(store.pinnedCount('green')).toBe(0);
  });

  test('test_query_strategy_cleanup: cleaning an unknown query, or the same one twice, is a no-op', () => {
    store.setActive('blue');
    store.registerQuery('a', 'blue');
    store.cleanupQuery('never-registered');
    store.cleanupQuery('a');
    store.cleanupQuery('a');
    expect(store.pinnedCount('blue')).toBe(0);
    expect(store.getActive()).toBe('blue');
    expect(logger.entries).toHaveLength(0);
  });

  test('test_query_strategy_fallback: an unregistered query uses the active strategy', () => {
    store.setActive('blue');
    expect(store.getQueryStrategy('nonexistent_query')).toBe('blue');
    store.setPending('green');
    // Pending is for queries that start now, not for lookups of unknown ones.
    expect(store.getQueryStrategy('nonexistent_query')).toBe('blue');
  });

  test('test_query_strategy_fallback: with nothing known an unregistered query gets null', () => {
    expect(store.getQueryStrategy('nonexistent_query')).toBeNull();
  });
});
