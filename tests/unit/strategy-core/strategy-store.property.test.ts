// Property tests: random operation sequences, with valid and invalid inputs,
// never break the store's invariants.
import fc from 'fast-check';
import { otherStrategy, parseStrategy, StrategyStore, type Strategy } from '@e6data-ts/strategy-core';
import { TestDataGenerator } from '../../support/data-generator';
import { assertQueryStrategyConsistency, assertValidStrategy } from '../../support/strategy-assertions';
import { FakeClock, RecordingLogger } from './fakes';

const strategyInput = fc.oneof(
  fc.constantFrom(...TestDataGenerator.validStrategySpellings().map(([raw]) => raw)),
  fc.constantFrom(...TestDataGenerator.invalidStrategyValues()),
  fc.string({ maxLength: 8 }),
);
const queryId = fc.constantFrom('q1', 'q2', 'q3', 'q4', 'q5', 'q6');

type Op =
  | { kind: 'setActive'; value: unknown }
  | { kind: 'setPending'; value: unknown }
  | { kind: 'applyPending' }
  | { kind: 'applyPendingIfDrained' }
  | { kind: 'registerQuery'; id: string; value: unknown }
  | { kind: 'cleanupQuery'; id: string }
  | { kind: 'clear' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('setActive' as const), value: strategyInput }),
  fc.record({ kind: fc.constant('setPending' as const), value: strategyInput }),
  fc.constant({ kind: 'applyPending' as const }),
  fc.constant({ kind: 'applyPendingIfDrained' as const }),
  // Registration is weighted up so that drains actually happen often.
  { arbitrary: fc.record({ kind: fc.constant('registerQuery' as const), id: queryId, value: strategyInput }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('cleanupQuery' as const), id: queryId }), weight: 3 },
  fc.constant({ kind: 'clear' as const }),
);

function apply(store: StrategyStore, o: Op): unknown {
  switch (o.kind) {
    case 'setActive':
      return store.setActive(o.value);
    case 'setPending':
      return store.setPending(o.value);
    case 'applyPending':
      return store.applyPending();
    case 'applyPendingIfDrained':
      return store.applyPendingIfDrained();
    case 'registerQuery':
      return store.registerQuery(o.id, o.value);
    case 'cleanupQuery':
      store.cleanupQuery(o.id);
      return undefined;
    case 'clear':
      store.clear();
      return undefined;
  }
}

describe('StrategyStore properties', () => {
  test('invariants hold after every operation of a random sequence', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const store = new StrategyStore({ clock: new FakeClock(), logger: new RecordingLogger() });
        // The test's own record of which query is pinned where.
        const pins = new Map<string, Strategy>();

        for (const o of ops) {
          const before = { active: store.getActive(), pending: store.getPending() };
          const pinnedToOld =
            o.kind === 'cleanupQuery' && before.pending !== null
              ? [...pins.values()].filter((s) => s === otherStrategy(before.pending!)).length
              : 0;
          const cleanedWas = o.kind === 'cleanupQuery' ? pins.get(o.id) : undefined;

          const result = apply(store, o);
          const active = store.getActive();
          const pending = store.getPending();

          // Values are always valid or null; pending never equals active.
          if (active !== null) assertValidStrategy(active);
          if (pending !== null) assertValidStrategy(pending);
          if (pending !== null) expect(pending).not.toBe(active);

          switch (o.kind) {
            case 'setActive': {
              const parsed = parseStrategy(o.value);
              expect(result).toBe(parsed !== null);
              expect(active).toBe(parsed ?? before.active);
              break;
            }
            case 'setPending': {
              const parsed = parseStrategy(o.value);
              // setPending never changes active; it returns whether the value is now pending.
              expect(active).toBe(before.active);
              expect(result).toBe(parsed !== null && pending === parsed);
              break;
            }
            case 'registerQuery': {
              const parsed = parseStrategy(o.value);
              expect(result).toBe(parsed !== null);
              if (parsed !== null) pins.set(o.id, parsed);
              break;
            }
            case 'cleanupQuery':
              pins.delete(o.id);
              // Draining the old strategy applies pending.
              if (before.pending !== null && cleanedWas === otherStrategy(before.pending) && pinnedToOld === 1) {
                expect(active).toBe(before.pending);
                expect(pending).toBeNull();
              } else {
                expect({ active, pending }).toEqual(before);
              }
              break;
            case 'clear':
              // clear() empties active and pending.
              expect(active).toBeNull();
              expect(pending).toBeNull();
              break;
            case 'applyPending':
              expect(result).toBe(before.pending);
              if (before.pending !== null) expect(active).toBe(before.pending);
              expect(pending).toBeNull();
              break;
            case 'applyPendingIfDrained': {
              const drained = before.pending !== null && ![...pins.values()].includes(otherStrategy(before.pending));
              expect(result).toBe(drained ? before.pending : null);
              break;
            }
          }

          // A registered query keeps its strategy until cleaned, whatever else happened.
          for (const [id, strategy] of pins) assertQueryStrategyConsistency(store, id, strategy);
          expect(store.snapshot().queries).toEqual({
            blue: [...pins.values()].filter((s) => s === 'blue').length,
            green: [...pins.values()].filter((s) => s === 'green').length,
          });
          // New queries go to pending when there is one, else to active.
          expect(store.strategyForNewQuery()).toBe(pending ?? active);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('parseStrategy accepts exactly the trimmed, case-folded words blue and green', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom('blue', 'GREEN', ' Blue\t', 'green ')), (s) => {
        const folded = s.length <= 64 ? s.trim().toLowerCase() : '';
        const expected = folded === 'blue' || folded === 'green' ? folded : null;
        expect(parseStrategy(s)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  test('parseStrategy returns null for every non-string', () => {
    fc.assert(
      fc.property(fc.anything().filter((v) => typeof v !== 'string'), (v) => {
        expect(parseStrategy(v)).toBeNull();
      }),
    );
  });
});
