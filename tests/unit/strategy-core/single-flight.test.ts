// SingleFlight: concurrent callers for one key share one in-flight call.
import { SingleFlight } from '@e6data-ts/strategy-core';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  test('100 concurrent callers for one key make one call and share its result', async () => {
    const flight = new SingleFlight<string, string>();
    const gate = deferred<string>();
    const fn = jest.fn(() => gate.promise);
    const callers = Array.from({ length: 100 }, () => flight.run('endpoint-a', fn));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(flight.has('endpoint-a')).toBe(true);
    expect(flight.size).toBe(1);
    gate.resolve('green');
    await expect(Promise.all(callers)).resolves.toEqual(Array.from({ length: 100 }, () => 'green'));
    expect(new Set(callers).size).toBe(1);
    expect(flight.has('endpoint-a')).toBe(false);
    expect(flight.size).toBe(0);
  });

  test('a rejection reaches every waiter', async () => {
    const flight = new SingleFlight<string, string>();
    const gate = deferred<string>();
    const fn = jest.fn(() => gate.promise);
    const callers = Array.from({ length: 10 }, () => flight.run('k', fn));
    const failure = new Error('both strategies refused');
    gate.reject(failure);
    const outcomes = await Promise.allSettled(callers);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(outcomes).toEqual(Array.from({ length: 10 }, () => ({ status: 'rejected', reason: failure })));
    expect(flight.has('k')).toBe(false);
  });

  test('a new flight starts once the previous one settled (resolved or rejected)', async () => {
    const flight = new SingleFlight<string, number>();
    let calls = 0;
    const fn = async (): Promise<number> => {
      calls++;
      await Promise.resolve();
      if (calls === 2) throw new Error('second call fails');
      return calls;
    };
    await expect(flight.run('k', fn)).resolves.toBe(1);
    await expect(flight.run('k', fn)).rejects.toThrow('second call fails');
    await expect(flight.run('k', fn)).resolves.toBe(3);
    expect(calls).toBe(3);
  });

  test('a waiter that calls again as soon as it resumes starts a new flight', async () => {
    const flight = new SingleFlight<string, number>();
    let calls = 0;
    const fn = (): Promise<number> => Promise.resolve(++calls);
    const again = flight.run('k', fn).then(() => flight.run('k', fn));
    await expect(again).resolves.toBe(2);
  });

  test('keys are independent', async () => {
    const flight = new SingleFlight<string, string>();
    const a = deferred<string>();
    const b = deferred<string>();
    const pa = flight.run('a', () => a.promise);
    const pb = flight.run('b', () => b.promise);
    expect(pa).not.toBe(pb);
    expect(flight.size).toBe(2);
    b.resolve('from b');
    await expect(pb).resolves.toBe('from b');
    expect(flight.has('a')).toBe(true);
    a.resolve('from a');
    await expect(pa).resolves.toBe('from a');
  });

  test('object keys are compared by identity', async () => {
    const flight = new SingleFlight<object, number>();
    const k1 = {};
    const k2 = {};
    const fn = jest.fn(() => Promise.resolve(1));
    await Promise.all([flight.run(k1, fn), flight.run(k1, fn), flight.run(k2, fn)]);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  test('a synchronous throw rejects the caller and leaves the key free', async () => {
    const flight = new SingleFlight<string, number>();
    const p = flight.run('k', () => {
      throw new Error('sync failure');
    });
    expect(flight.has('k')).toBe(false);
    await expect(p).rejects.toThrow('sync failure');
    await expect(flight.run('k', () => 5)).resolves.toBe(5);
  });

  test('a plain (non-promise) value is delivered asynchronously to every waiter', async () => {
    const flight = new SingleFlight<string, string>();
    const fn = jest.fn(() => 'blue');
    const [x, y] = [flight.run('k', fn), flight.run('k', fn)];
    expect(fn).toHaveBeenCalledTimes(1);
    await expect(Promise.all([x, y])).resolves.toEqual(['blue', 'blue']);
  });
});
