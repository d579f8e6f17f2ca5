// The retry rules as pure functions: which failures are retried, and how long to wait.
import fc from 'fast-check';
import { ERROR_KINDS, isRetryable, nextDelayMs, type ErrorKind } from '@e6data-ts/grpc-transport';

describe('isRetryable', () => {
  const contexts = [
    { idempotent: true, ambiguous: true },
    { idempotent: true, ambiguous: false },
    { idempotent: false, ambiguous: true },
    { idempotent: false, ambiguous: false },
  ];

  it.each<ErrorKind>(['strategy-mismatch', 'access-denied', 'cluster-suspended'])('%s is retried whatever the call (it never reached an engine)', (kind) => {
    for (const context of contexts) expect(isRetryable(kind, context)).toBe(true);
  });

  it('fatal is never retried', () => {
    for (const context of contexts) expect(isRetryable('fatal', context)).toBe(false);
  });

  it.each([
    [{ idempotent: true, ambiguous: true }, true],
    [{ idempotent: true, ambiguous: false }, true],
    [{ idempotent: false, ambiguous: false }, true],
    // execute after a dropped connection: it may have run; never send it twice.
    [{ idempotent: false, ambiguous: true }, false],
  ])('transient in %p -> %p', (context, expected) => {
    expect(isRetryable('transient', context)).toBe(expected);
  });

  it('answers for every kind', () => {
    for (const kind of ERROR_KINDS) expect(typeof isRetryable(kind, contexts[0]!)).toBe('boolean');
  });
});

describe('nextDelayMs', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 5_000 };

  it('doubles the cap with each attempt up to the maximum (random just below 1 shows the cap)', () => {
    const almostOne = (): number => 0.999_999;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => nextDelayMs(attempt, almostOne, options))).toEqual([99, 199, 399, 799, 1599, 3199, 4999, 4999]);
  });

  it('waits nothing when random is 0 (full jitter reaches down to zero)', () => {
    expect(nextDelayMs(4, () => 0, options)).toBe(0);
  });

  it('stays below the cap even for a random() that returns 1 or more', () => {
    expect(nextDelayMs(1, () => 1, options)).toBeLessThan(100);
    expect(nextDelayMs(1, () => 7, options)).toBeLessThan(100);
    expect(nextDelayMs(1, () => -3, options)).toBe(0);
  });

  it('does not overflow for huge attempt numbers', () => {
    expect(nextDelayMs(10_000, () => 0.5, options)).toBe(2_500);
    expect(nextDelayMs(10_000, () => 0.5, { baseDelayMs: 0, maxDelayMs: 5_000 })).toBe(0);
  });

  it('a zero cap means no wait', () => {
    expect(nextDelayMs(3, () => 0.9, { baseDelayMs: 100, maxDelayMs: 0 })).toBe(0);
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])('refuses attempt %p', (attempt) => {
    expect(() => nextDelayMs(attempt, () => 0.5, options)).toThrow(RangeError);
  });

  it('refuses negative or NaN delays', () => {
    expect(() => nextDelayMs(1, () => 0.5, { baseDelayMs: -1, maxDelayMs: 10 })).toThrow(RangeError);
    expect(() => nextDelayMs(1, () => 0.5, { baseDelayMs: 1, maxDelayMs: Number.NaN })).toThrow(RangeError);
  });

  it('property: every delay is an integer in [0, min(max, base * 2^(attempt-1)))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        (attempt, r, baseDelayMs, maxDelayMs) => {
          const delay = nextDelayMs(attempt, () => r, { baseDelayMs, maxDelayMs });
          const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          return Number.isInteger(delay) && delay >= 0 && delay < cap;
        },
      ),
    );
  });

  it('property: the delay grows with random() (a fixed attempt maps random monotonically)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          return nextDelayMs(attempt, () => lo, options) <= nextDelayMs(attempt, () => hi, options);
        },
      ),
    );
  });

  it('with Math.random the delays spread across the whole window (full jitter, not equal jitter)', () => {
    const delays = Array.from({ length: 2_000 }, () => nextDelayMs(3, Math.random, options));
    expect(Math.min(...delays)).toBeLessThan(40);
    expect(Math.max(...delays)).toBeGreaterThan(360);
    expect(Math.max(...delays)).toBeLessThan(400);
  });
});
