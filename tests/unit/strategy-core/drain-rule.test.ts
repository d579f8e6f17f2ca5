// docs/zero-downtime.md rule 3: pending becomes active when the last query pinned to the old
// strategy ends; queries on the new strategy never hold promotion back, and
// nothing waits for the whole process to go idle.
import { StrategyStore, type StrategyTransition } from '@e6data-ts/strategy-core';
import { TestDataGenerator } from '../../support/data-generator';
import { assertQueryStrategyConsistency, assertStrategyTransition } from '../../support/strategy-assertions';
import { FakeClock, RecordingLogger } from './fakes';

describe('Drain rule (docs/zero-downtime.md rule 3)', () => {
  let clock: FakeClock;
  let store: StrategyStore;
  let transitions: StrategyTransition[];

  beforeEach(() => {
    clock = new FakeClock();
    store = new StrategyStore({ clock, logger: new RecordingLogger() });
    transitions = [];
    store.onTransition((t) => transitions.push(t));
  });

  test('the last old-pinned query finishing promotes pending', () => {
    store.setActive('blue');
    store.registerQuery('old-1', 'blue');
    store.registerQuery('old-2', 'blue');
    store.setPending('green');

    store.cleanupQuery('old-1');
    expect(store.getActive()).toBe('blue');
    expect(store.getPending()).toBe('green');

    clock.advance(25);
    store.cleanupQuery('old-2');
    expect(store.getActive()).toBe('green');
    expect(store.getPending()).toBeNull();
    const last = transitions.at(-1)!;
    expect(last).toEqual({ reason: 'drained', from: 'blue', to: 'green', pending: null, at: clock.now() });
    assertStrategyTransition(last.from, last.to);
  });

  test('queries pinned to the new strategy do not block promotion', () => {
    store.setActive('blue');
    store.registerQuery('old', 'blue');
    store.setPending('green');
    const gen = new TestDataGenerator(3);
    const fresh = gen.queryIds(5);
    for (const id of fresh) store.registerQuery(id, store.strategyForNewQuery());

    store.cleanupQuery('old');
    expect(store.getActive()).toBe('green');
    for (const id of fresh) assertQueryStrategyConsistency(store, id, 'green');
  });

  test('a query on the new strategy finishing first does not promote while old ones run', () => {
    store.setActive('blue');
    store.registerQuery('old', 'blue');
    store.setPending('green');
    store.registerQuery('new', 'green');
    store.cleanupQuery('new');
    expect(store.getActive()).toBe('blue');
    expect(store.getPending()).toBe('green');
  });

  test('pending announced with no old query running waits for applyPending (the seed expects active to stay)', () => {
    store.setActive('blue');
    store.setPending('green');
    store.registerQuery('new', 'green');
    store.cleanupQuery('new');
    expect(store.getActive()).toBe('blue');
    expect(store.applyPending()).toBe('green');
  });

  test('applyPendingIfDrained promotes only when no query is pinned to the old strategy', () => {
    expect(store.applyPendingIfDrained()).toBeNull();
    store.setActive('blue');
    store.registerQuery('old', 'blue');
    store.setPending('green');
    expect(store.applyPendingIfDrained()).toBeNull();
    expect(store.getActive()).toBe('blue');

    const fresh = new StrategyStore({ clock, logger: new RecordingLogger() });
    fresh.setActive('blue');
    fresh.setPending('green');
    fresh.registerQuery('new', 'green');
    expect(fresh.applyPendingIfDrained()).toBe('green');
    expect(fresh.getActive()).toBe('green');
    expect(fresh.getPending()).toBeNull();
  });

  test('re-registering the last old query onto the new strategy drains the old one', () => {
    store.setActive('blue');
    store.registerQuery('q', 'blue');
    store.setPending('green');
    store.registerQuery('q', 'green');
    expect(store.getActive()).toBe('green');
    assertQueryStrategyConsistency(store, 'q', 'green');
  });

  test('queries stay pinned across clear()', () => {
    store.setActive('blue');
    store.registerQuery('b', 'blue');
    store.registerQuery('g', 'green');
    store.setPending('green');
    store.clear();
    assertQueryStrategyConsistency(store, 'b', 'blue');
    assertQueryStrategyConsistency(store, 'g', 'green');
    expect(store.snapshot().queries).toEqual({ blue: 1, green: 1 });
    // Nothing pending after clear, so the old query ending promotes nothing.
    store.cleanupQuery('b');
    expect(store.getActive()).toBeNull();
  });

  test('after clear, a re-announced pending still drains the old deployment', () => {
    store.setActive('blue');
    store.registerQuery('b', 'blue');
    store.clear();
    store.setPending('green');
    store.cleanupQuery('b');
    expect(store.getActive()).toBe('green');
    expect(transitions.map((t) => t.reason)).toEqual(['set', 'cleared', 'pending-set', 'drained']);
  });

  test('a full rolling cutover: blue -> green -> blue without waiting for idle', () => {
    const gen = new TestDataGenerator(11);
    store.setActive('blue');
    const wave1 = gen.queryIds(3);
    for (const id of wave1) store.registerQuery(id, store.strategyForNewQuery());
    store.setPending('green');
    const wave2 = gen.queryIds(3);
    for (const id of wave2) store.registerQuery(id, store.strategyForNewQuery());
    for (const id of wave1) store.cleanupQuery(id);
    expect(store.getActive()).toBe('green');

    store.setPending('blue');
    const wave3 = gen.queryIds(2);
    for (const id of wave3) store.registerQuery(id, store.strategyForNewQuery());
    for (const id of wave2) store.cleanupQuery(id);
    expect(store.getActive()).toBe('blue');
    // wave3 never stopped running: promotion did not wait for idle.
    for (const id of wave3) assertQueryStrategyConsistency(store, id, 'blue');
    expect(transitions.filter((t) => t.reason === 'drained').map((t) => t.to)).toEqual(['green', 'blue']);
  });
});
