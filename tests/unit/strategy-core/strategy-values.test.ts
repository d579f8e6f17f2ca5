// Strategy values and the package's error type.
import { describeValue, isStrategy, otherStrategy, parseStrategy, STRATEGIES, StrategyCoreError } from '@e6data-ts/strategy-core';
import { TestDataGenerator } from '../../support/data-generator';
import { assertValidStrategy } from '../../support/strategy-assertions';

describe('parseStrategy', () => {
  test.each(TestDataGenerator.validStrategySpellings())('%j -> %s', (raw, expected) => {
    const parsed = parseStrategy(raw);
    assertValidStrategy(parsed);
    expect(parsed).toBe(expected);
  });

  test.each(TestDataGenerator.invalidStrategyValues().map((value) => ({ label: describeValue(value), value })))('refuses $label', ({ value }) => {
    expect(parseStrategy(value)).toBeNull();
  });

  test('refuses over-long input even when it is padding around a valid word', () => {
    expect(parseStrategy(`${' '.repeat(30)}blue${' '.repeat(30)}`)).toBe('blue');
    expect(parseStrategy(`${' '.repeat(100)}blue`)).toBeNull();
  });

  test('refuses boxed strings and look-alikes', () => {
    expect(parseStrategy(new String('blue'))).toBeNull();
    expect(parseStrategy('blue\u0000')).toBeNull();
    expect(parseStrategy('bl ue')).toBeNull();
  });
});

describe('isStrategy / otherStrategy / STRATEGIES', () => {
  test('isStrategy accepts only canonical spellings', () => {
    expect(isStrategy('blue')).toBe(true);
    expect(isStrategy('green')).toBe(true);
    expect(isStrategy('Blue')).toBe(false);
    expect(isStrategy(null)).toBe(false);
  });

  test('otherStrategy flips', () => {
    expect(otherStrategy('blue')).toBe('green');
    expect(otherStrategy('green')).toBe('blue');
  });

  test('STRATEGIES lists blue first (detection order) and is frozen', () => {
    expect(STRATEGIES).toEqual(['blue', 'green']);
    expect(Object.isFrozen(STRATEGIES)).toBe(true);
  });
});

describe('StrategyCoreError', () => {
  test('carries code, name, message and cause', () => {
    const cause = new Error('root');
    const err = new StrategyCoreError('INVALID_ENDPOINT', 'bad endpoint', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('StrategyCoreError');
    expect(err.code).toBe('INVALID_ENDPOINT');
    expect(err.message).toBe('bad endpoint');
    expect(err.cause).toBe(cause);
  });

  test('from() returns a StrategyCoreError unchanged', () => {
    const err = new StrategyCoreError('INVALID_OPTION', 'x');
    expect(StrategyCoreError.from(err)).toBe(err);
  });

  test('from() wraps other errors and non-errors with code UNKNOWN', () => {
    const cause = new TypeError('boom');
    expect(StrategyCoreError.from(cause)).toMatchObject({ code: 'UNKNOWN', message: 'boom', cause });
    const wrapped = StrategyCoreError.from({ odd: true });
    expect(wrapped).toMatchObject({ code: 'UNKNOWN', message: 'unexpected failure in strategy state' });
    expect(wrapped.cause).toEqual({ odd: true });
  });
});
