// Transition events (for logs and metrics) and the debugging snapshot.
import { StrategyStore, type StrategyTransition } from '@e6data-ts/strategy-core';
import { assertStrategyTransition } from '../../support/strategy-assertions';
import { FakeClock, RecordingLogger } from './fakes';

describe('StrategyStore transitions', () => {
  let clock: FakeClock;
  let logger: RecordingLogger;
  let store: StrategyStore;
  let seen: StrategyTransition[];

  beforeEach(() => {
    clock = new FakeClock(5_000);
    logger = new RecordingLogger();
    store = new StrategyStore({ clock, logger });
    seen = [];
    store.onTransition((t) => seen.push(t));
  });

  test('each kind of change is reported once, with before/after state and time', () => {
    store.setActive('blue');
    clock.advance(10);
    store.setActive('blue'); // re-confirmation: no change, no event
    store.setPending('green');
    clock.advance(10);
    store.applyPending();
    store.setActive('blue');
    clock.advance(10);
    store.clear();
    store.clear(); // nothing left to clear: no event

    expect(seen).toEqual([
      { reason: 'set', from: null, to: 'blue', pending: null, at: 5_000 },
      { reason: 'pending-set', from: 'blue', to: 'blue', pending: 'green', at: 5_010 },
      { reason: 'pending-applied', from: 'blue', to: 'green', pending: null, at: 5_020 },
      { reason: 'set', from: 'green', to: 'blue', pending: null, at: 5_020 },
      { reason: 'cleared', from: 'blue', to: null, pending: null, at: 5_030 },
    ]);
    for (const t of seen.filter((x) => x.from !== null && x.to !== null && x.from !== x.to)) assertStrategyTransition(t.from, t.to);
    expect(Object.isFrozen(seen[0])).toBe(true);
  });

  test('expiry is reported when a read finds the active strategy too old', () => {
    const ttlStore = new StrategyStore({ clock, logger, ttlMs: 100 });
    const events: StrategyTransition[] = [];
    ttlStore.onTransition((t) => events.push(t));
    ttlStore.setActive('green');
    clock.advance(100);
    expect(ttlStore.getActive()).toBeNull();
    expect(ttlStore.getActive()).toBeNull();
    expect(events.map((e) => [e.reason, e.from, e.to, e.at])).toEqual([
      ['set', null, 'green', 5_000],
      ['expired', 'green', null, 5_100],
    ]);
  });

  test('clearing only a pending strategy is reported but does not move lastTransitionAt', () => {
    store.setPending('green');
    clock.advance(50);
    store.clear();
    expect(seen.map((t) => t.reason)).toEqual(['pending-set', 'cleared']);
    expect(store.snapshot().lastTransitionAt).toBeNull();
  });

  test('refused values produce no event', () => {
    store.setActive('nope');
    store.setPending(undefined);
    store.registerQuery('q', 'purple');
    expect(seen).toHaveLength(0);
  });

  test('unsubscribe stops delivery, is idempotent, and leaves other subscriptions alone', () => {
    const a: string[] = [];
    const listener = (t: StrategyTransition): void => {
      a.push(t.reason);
    };
    const first = store.onTransition(listener);
    const second = store.onTransition(listener);
    store.setActive('blue');
    first();
    first();
    store.setActive('green');
    second();
    store.setActive('blue');
    expect(a).toEqual(['set', 'set', 'set']);
    expect(seen).toHaveLength(3);
  });

  test('a throwing listener is reported through the logger and does not stop state changes or other listeners', () => {
    const after: string[] = [];
    store.onTransition(() => {
      throw new Error('metrics sink down');
    });
    store.onTransition(() => {
      // Non-Error throwables are described, not serialised.
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a non-Error throwable is the case under test
      throw 'plain string';
    });
    store.onTransition((t) => after.push(t.reason));
    expect(store.setActive('green')).toBe(true);
    expect(store.getActive()).toBe('green');
    expect(after).toEqual(['set']);
    expect(logger.entries).toEqual([
      { message: "transition listener threw on 'set'", fields: { reason: 'set', error: 'metrics sink down' } },
      { message: "transition listener threw on 'set'", fields: { reason: 'set', error: '"plain string"' } },
    ]);
  });

  test('a listener may change the store re-entrantly and sees consistent state', () => {
    const reasons: string[] = [];
    store.onTransition((t) => {
      reasons.push(t.reason);
      if (t.reason === 'pending-set') expect(store.getPending()).toBe(t.pending);
    });
    store.setActive('blue');
    store.setPending('green');
    expect(reasons).toEqual(['set', 'pending-set']);
  });
});

describe('StrategyStore.snapshot', () => {
  test('an empty store', () => {
    const store = new StrategyStore({ clock: new FakeClock(), logger: new RecordingLogger() });
    expect(store.snapshot()).toEqual({
      active: null,
      pending: null,
      lastCheckAt: null,
      lastTransitionAt: null,
      ttlMs: null,
      expiresAt: null,
      queries: { blue: 0, green: 0 },
    });
  });

  test('tracks check and transition times, pins, and the TTL deadline', () => {
    const clock = new FakeClock(1_000);
    const store = new StrategyStore({ clock, logger: new RecordingLogger(), ttlMs: 60_000 });
    store.setActive('blue');
    clock.advance(500);
    store.setActive('blue');
    store.registerQuery('a', 'blue');
    store.registerQuery('b', 'blue');
    store.setPending('green');
    store.registerQuery('c', 'green');

    const snap = store.snapshot();
    expect(snap).toEqual({
      active: 'blue',
      pending: 'green',
      lastCheckAt: 1_500,
      lastTransitionAt: 1_000,
      ttlMs: 60_000,
      expiresAt: 61_500,
      queries: { blue: 2, green: 1 },
    });
    expect(Object.isFrozen(snap)).toBe(true);
    expect(Object.isFrozen(snap.queries)).toBe(true);

    // A snapshot is a copy: later changes do not show up in it.
    store.cleanupQuery('a');
    expect(snap.queries.blue).toBe(2);

    clock.set(61_500);
    expect(store.snapshot()).toMatchObject({ active: null, expiresAt: null, pending: 'green', lastTransitionAt: 61_500 });
  });
});
