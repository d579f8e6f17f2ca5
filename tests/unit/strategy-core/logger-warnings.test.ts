// Refused values are reported through the injected logger, briefly and without
// echoing secrets; the default logger is console.warn.
import {
  consoleStrategyLogger,
  describeValue,
  silentStrategyLogger,
  StrategyStore,
} from '@e6data-ts/strategy-core';
import { TestDataGenerator } from '../../support/data-generator';
import { RecordingLogger } from './fakes';

describe('StrategyStore warnings', () => {
  test('a refused value is named in a short warning with the operation as a field', () => {
    const logger = new RecordingLogger();
    const store = new StrategyStore({ logger });
    store.setActive('purple');
    expect(logger.entries).toEqual([
      { message: `setActive ignored invalid strategy "purple": expected 'blue' or 'green'`, fields: { operation: 'setActive' } },
    ]);
  });

  test('a token-like long input is truncated in the warning and never echoed in full', () => {
    const logger = new RecordingLogger();
    const store = new StrategyStore({ logger });
    const token = `e6tok_${'A1b2C3d4'.repeat(64)}`;
    store.setPending(token);
    store.setActive(token);
    store.registerQuery('q', token);
    expect(logger.entries).toHaveLength(3);
    for (const { message, fields } of logger.entries) {
      expect(message).toContain(`"e6tok_A1…" (${token.length} chars)`);
      expect(message).not.toContain(token.slice(0, 12));
      expect(message.length).toBeLessThan(120);
      expect(JSON.stringify(fields)).not.toContain('A1b2C3d4');
    }
  });

  test('warnings about every generated invalid value stay short', () => {
    const logger = new RecordingLogger();
    const store = new StrategyStore({ logger });
    for (const value of TestDataGenerator.invalidStrategyValues()) store.setActive(value);
    expect(logger.entries).toHaveLength(TestDataGenerator.invalidStrategyValues().length);
    for (const message of logger.messages) expect(message.length).toBeLessThan(120);
  });

  test('valid values never warn', () => {
    const logger = new RecordingLogger();
    const store = new StrategyStore({ logger });
    for (const [raw] of TestDataGenerator.validStrategySpellings()) store.setActive(raw);
    expect(logger.entries).toHaveLength(0);
  });

  test('the default logger writes to console.warn with a prefix', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      new StrategyStore().setActive('invalid');
      consoleStrategyLogger.warn('plain message');
      expect(warn).toHaveBeenNthCalledWith(1, expect.stringMatching(/^\[e6data strategy\] setActive ignored invalid strategy "invalid"/), {
        operation: 'setActive',
      });
      expect(warn).toHaveBeenNthCalledWith(2, '[e6data strategy] plain message');
    } finally {
      warn.mockRestore();
    }
  });

  test('the silent logger swallows warnings', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      new StrategyStore({ logger: silentStrategyLogger }).setActive('invalid');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('describeValue', () => {
  test.each<[unknown, string]>([
    ['blue', '"blue"'],
    ['', '""'],
    ['exactly16chars!!', '"exactly16chars!!"'],
    ['seventeen chars!!', '"seventee…" (17 chars)'],
    ['line\nbreak', '"line\\nbreak"'],
    [42, 'number 42'],
    [Number.NaN, 'number NaN'],
    [true, 'boolean true'],
    [10n ** 40n, 'bigint'],
    [undefined, 'undefined'],
    [null, 'null'],
    [Symbol('s'), 'symbol'],
    [() => 'blue', 'function'],
    [['blue', 'green'], 'array(2)'],
    [{ password: 'hunter2' }, 'object'],
  ])('%p -> %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });
});
