// Port of the seed's TestStrategyManagement: the active/pending strategy cache.
import { describeValue, StrategyCoreError, StrategyStore, systemClock } from '@e6data-ts/strategy-core';
import { TestDataGenerator } from '../../support/data-generator';
import { StrategyTestAssertions } from '../../support/strategy-assertions';
import { caught, FakeClock, RecordingLogger } from './fakes';

describe('TestStrategyManagement', () => {
  let logger: RecordingLogger;
  let clock: FakeClock;
  let store: StrategyStore;

  // setUp: the seed clears the process-wide cache; we start from a fresh store.
  beforeEach(() => {
    logger = new RecordingLogger();
    clock = new FakeClock();
    store = new StrategyStore({ clock, logger });
  });

  test('test_set_and_get_active_strategy: set and read back, case-insensitive', () => {
    expect(store.getActive()).toBeNull();
    expect(store.setActive('blue')).toBe(true);
    expect(store.getActive()).toBe('blue');
    StrategyTestAssertions.assertValidStrategy(store.getActive());

    expect(store.setActive('GREEN')).toBe(true);
    expect(store.getActive()).toBe('green');
    expect(logger.entries).toHaveLength(0);
  });

  test.each(TestDataGenerator.validStrategySpellings())('test_set_and_get_active_strategy: %j reads back as %s', (raw, expected) => {
    expect(store.setActive(raw)).toBe(true);
    expect(store.getActive()).toBe(expected);
  });

  test('test_invalid_strategy_values: "invalid" and None are refused on an empty cache', () => {
    expect(store.setActive('invalid')).toBe(false);
    expect(store.getActive()).toBeNull();
    expect(store.setActive(null)).toBe(false);
    expect(store.getActive()).toBeNull();
    expect(logger.entries).toHaveLength(2);
  });

  test.each(TestDataGenerator.invalidStrategyValues().map((value) => ({ label: describeValue(value), value })))(
    'test_invalid_strategy_values: $label is refused, warned about, and never replaces the cached strategy',
    ({ value }) => {
      store.setActive('blue');
      expect(store.setActive(value)).toBe(false);
      expect(store.getActive()).toBe('blue');
      expect(store.setPending(value)).toBe(false);
      expect(store.getPending()).toBeNull();
      expect(logger.messages).toEqual([
        expect.stringContaining('setActive ignored invalid strategy'),
        expect.stringContaining('setPending ignored invalid strategy'),
      ]);
    },
  );

  test('test_pending_strategy_logic: active stays until applyPending', () => {
    store.setActive('blue');
    expect(store.setPending('green')).toBe(true);
    expect(store.getActive()).toBe('blue');
    expect(store.getPending()).toBe('green');

    expect(store.applyPending()).toBe('green');
    expect(store.getActive()).toBe('green');
    expect(store.getPending()).toBeNull();
    StrategyTestAssertions.assertStrategyTransition('blue', store.getActive());
  });

  test('test_pending_strategy_logic: applyPending with nothing pending returns null and changes nothing', () => {
    store.setActive('blue');
    expect(store.applyPending()).toBeNull();
    expect(store.getActive()).toBe('blue');
  });

  test('test_pending_strategy_logic: pending equal to active is a no-op that returns false', () => {
    store.setActive('blue');
    expect(store.setPending('BLUE')).toBe(false);
    expect(store.getPending()).toBeNull();
    expect(logger.entries).toHaveLength(0);
  });

  test('test_pending_strategy_logic: announcing the same pending twice keeps it and returns true', () => {
    store.setActive('blue');
    expect(store.setPending('green')).toBe(true);
    expect(store.setPending(' Green ')).toBe(true);
    expect(store.getPending()).toBe('green');
  });

  test('test_pending_strategy_logic: pending may be announced before any strategy is active', () => {
    expect(store.setPending('green')).toBe(true);
    expect(store.getActive()).toBeNull();
    expect(store.strategyForNewQuery()).toBe('green');
    expect(store.applyPending()).toBe('green');
    expect(store.getActive()).toBe('green');
  });

  test('test_pending_strategy_logic: detection landing on the pending strategy consumes it', () => {
    store.setActive('blue');
    store.setPending('green');
    expect(store.setActive('green')).toBe(true);
    expect(store.getActive()).toBe('green');
    expect(store.getPending()).toBeNull();
  });

  test('test_pending_strategy_logic: detection of a strategy other than pending keeps pending', () => {
    store.setPending('green');
    store.setActive('blue');
    expect(store.getActive()).toBe('blue');
    expect(store.getPending()).toBe('green');
  });

  test('test_pending_strategy_logic: strategyForNewQuery prefers pending, else active', () => {
    expect(store.strategyForNewQuery()).toBeNull();
    store.setActive('blue');
    expect(store.strategyForNewQuery()).toBe('blue');
    store.setPending('green');
    expect(store.strategyForNewQuery()).toBe('green');
  });

  test('test_strategy_cache_expiration: no expiry by default, even 400 s later', () => {
    clock.set(1_000_000);
    store.setActive('blue');
    expect(store.getActive()).toBe('blue');
    clock.set(1_400_000);
    expect(store.getActive()).toBe('blue');
    clock.advance(365 * 24 * 3600 * 1000);
    expect(store.getActive()).toBe('blue');
  });

  test('test_strategy_cache_expiration: with a TTL the active strategy expires exactly at ttlMs', () => {
    const ttlStore = new StrategyStore({ clock, logger, ttlMs: 300_000 });
    clock.set(1_000_000);
    ttlStore.setActive('blue');
    clock.set(1_299_999);
    expect(ttlStore.getActive()).toBe('blue');
    clock.set(1_300_000);
    expect(ttlStore.getActive()).toBeNull();
    // Expiry is remembered: going back in time does not resurrect it.
    clock.set(1_000_000);
    expect(ttlStore.getActive()).toBeNull();
  });

  test('test_strategy_cache_expiration: re-confirming the strategy restarts the TTL', () => {
    const ttlStore = new StrategyStore({ clock, logger, ttlMs: 1_000 });
    ttlStore.setActive('green');
    clock.advance(900);
    ttlStore.setActive('green');
    clock.advance(900);
    expect(ttlStore.getActive()).toBe('green');
    clock.advance(100);
    expect(ttlStore.getActive()).toBeNull();
  });

  test('test_strategy_cache_expiration: an expired active strategy is not used for lookups or new queries', () => {
    const ttlStore = new StrategyStore({ clock, logger, ttlMs: 1_000 });
    ttlStore.setActive('blue');
    clock.advance(1_000);
    expect(ttlStore.getQueryStrategy('unknown')).toBeNull();
    expect(ttlStore.strategyForNewQuery()).toBeNull();
    // With the active strategy gone, pending equal to the old value is accepted.
    expect(ttlStore.setPending('blue')).toBe(true);
  });

  test('test_strategy_cache_expiration: a promoted strategy starts a fresh TTL', () => {
    const ttlStore = new StrategyStore({ clock, logger, ttlMs: 1_000 });
    ttlStore.setActive('blue');
    clock.advance(900);
    ttlStore.setPending('green');
    ttlStore.applyPending();
    clock.advance(900);
    expect(ttlStore.getActive()).toBe('green');
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1000' as unknown as number])(
    'test_strategy_cache_expiration: ttlMs %p is rejected with INVALID_OPTION',
    (ttlMs) => {
      const err = caught(() => new StrategyStore({ ttlMs }));
      expect(err).toBeInstanceOf(StrategyCoreError);
      expect(err).toMatchObject({ code: 'INVALID_OPTION', name: 'StrategyCoreError' });
    },
  );

  test('test_clear_strategy_cache: clear forgets active and pending', () => {
    store.setActive('blue');
    expect(store.getActive()).toBe('blue');
    store.setPending('green');
    store.clear();
    expect(store.getActive()).toBeNull();
    expect(store.getPending()).toBeNull();
    expect(store.strategyForNewQuery()).toBeNull();
  });

  test('test_clear_strategy_cache: clearing an empty store is harmless', () => {
    store.clear();
    expect(store.getActive()).toBeNull();
    expect(store.setActive('green')).toBe(true);
    expect(store.getActive()).toBe('green');
  });

  test('default clock: systemClock reads Date.now', () => {
    const before = Date.now();
    const t = systemClock.now();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });

  test('default clock: a store without an injected clock uses the system time', () => {
    const before = Date.now();
    const real = new StrategyStore({ logger });
    real.setActive('blue');
    const { lastCheckAt } = real.snapshot();
    expect(lastCheckAt).toBeGreaterThanOrEqual(before);
    expect(lastCheckAt).toBeLessThanOrEqual(Date.now());
  });
});
