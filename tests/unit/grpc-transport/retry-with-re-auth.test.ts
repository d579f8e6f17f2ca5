// withReAuth: the seed's TestErrorHandling ported, plus the rules the seed only
// implies. Time is fake throughout: the clock moves only when the fake sleep
// is called, so nothing here really waits.
import fc from 'fast-check';
import {
  CallAbortedError,
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_BUDGET_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DELAY_MS,
  RetryExhaustedError,
  TransportError,
  grpc,
  realSleep,
  withReAuth,
  type ReAuthOptions,
  type RetryInfo,
} from '@e6data-ts/grpc-transport';

const { status } = grpc;

function grpcError(code: grpc.status, details: string): Error {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new grpc.Metadata() });
}

const mismatch = (): Error => grpcError(status.UNKNOWN, 'status: 456');
const accessDenied = (): Error => grpcError(status.INTERNAL, 'Access denied');
const suspended = (): Error => grpcError(status.UNAVAILABLE, 'Received HTTP status code 503');
const dropped = (): Error => grpcError(status.UNAVAILABLE, 'Connection dropped');
const refused = (): Error => grpcError(status.UNAVAILABLE, 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1');
const badSql = (): Error => grpcError(status.INVALID_ARGUMENT, 'syntax error');

/** A fake clock and a sleep that only advances it, recording every wait. */
function fakeTime(start = 1_000_000) {
  let now = start;
  const waits: number[] = [];
  return {
    clock: { now: (): number => now },
    sleep: jest.fn((ms: number): Promise<void> => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    }),
    advance(ms: number): void {
      now += ms;
    },
    waits,
  };
}

/** fn that throws the given failures in turn, then returns `result`. */
function failing<T>(failures: (() => Error)[], result: T) {
  return jest.fn((attempt: number): Promise<T> => {
    const failure = failures[attempt - 1];
    return failure ? Promise.reject(failure()) : Promise.resolve(result);
  });
}

/** fn that fails every time with what `make` returns. */
function alwaysFailing(make: () => Error, before: () => void = () => {}) {
  return jest.fn((): Promise<never> => {
    before();
    return Promise.reject(make());
  });
}

function baseOptions(time = fakeTime()): ReAuthOptions & { reAuthenticate: jest.Mock; onStrategyMismatch: jest.Mock } {
  return {
    reAuthenticate: jest.fn(async () => {}),
    onStrategyMismatch: jest.fn(async () => {}),
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
  };
}

describe('withReAuth: the seed TestErrorHandling', () => {
  it('test_456_error_handling: a 456 then success returns the result, calls fn twice and re-detects once', async () => {
    const options = baseOptions();
    const fn = failing([mismatch], 'success');
    await expect(withReAuth(fn, options)).resolves.toBe('success');
    expect(fn).toHaveBeenCalledTimes(2);
    expect(options.onStrategyMismatch).toHaveBeenCalledTimes(1);
    expect(options.reAuthenticate).not.toHaveBeenCalled();
  });

  it('test_authentication_error_handling: Access denied then success returns the result, calls fn twice and logs in again once', async () => {
    const options = baseOptions();
    const fn = failing([accessDenied], 'success');
    await expect(withReAuth(fn, options)).resolves.toBe('success');
    expect(fn).toHaveBeenCalledTimes(2);
    expect(options.reAuthenticate).toHaveBeenCalledTimes(1);
    expect(options.onStrategyMismatch).not.toHaveBeenCalled();
  });
});

describe('withReAuth: rules', () => {
  it('passes 1-based attempt numbers to fn', async () => {
    const fn = failing([mismatch, accessDenied], 'ok');
    await withReAuth(fn, baseOptions());
    expect(fn.mock.calls.map((call) => call[0])).toEqual([1, 2, 3]);
  });

  it('returns at once when the first attempt succeeds, without hooks or waits', async () => {
    const time = fakeTime();
    const options = baseOptions(time);
    await expect(withReAuth(() => Promise.resolve(7), options)).resolves.toBe(7);
    expect(time.sleep).not.toHaveBeenCalled();
    expect(options.onStrategyMismatch).not.toHaveBeenCalled();
  });

  it('hands the hook the classified failure and the signal', async () => {
    const options = baseOptions();
    const controller = new AbortController();
    const raw = mismatch();
    await withReAuth(failing([() => raw], 'ok'), { ...options, signal: controller.signal });
    const [failure, signal] = options.onStrategyMismatch.mock.calls[0] as [TransportError, AbortSignal];
    expect(failure).toBeInstanceOf(TransportError);
    expect(failure.kind).toBe('strategy-mismatch');
    expect(failure.cause).toBe(raw);
    expect(signal).toBe(controller.signal);
  });

  it('exhausted attempts end in a RetryExhaustedError carrying every attempt (error, kind, delay)', async () => {
    const time = fakeTime();
    const errors = [mismatch(), mismatch(), accessDenied(), dropped()];
    const fn = jest.fn((attempt: number): Promise<never> => Promise.reject(errors[attempt - 1] ?? new Error('unexpected attempt')));
    const failure = await withReAuth(fn, { ...baseOptions(time), maxAttempts: 4, idempotent: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RetryExhaustedError);
    const exhausted = failure as RetryExhaustedError;
    expect(exhausted.reason).toBe('attempts');
    expect(fn).toHaveBeenCalledTimes(4);
    // First 456: retried at once after re-detection. Second 456: backoff (attempt 2, cap 200, random 0.5).
    // First access denied: at once. The transient failure on the last attempt gets a planned delay
    // (attempt 4, cap 800) that is never waited for.
    expect(exhausted.attempts.map(({ attempt, kind, delayMs }) => ({ attempt, kind, delayMs }))).toEqual([
      { attempt: 1, kind: 'strategy-mismatch', delayMs: 0 },
      { attempt: 2, kind: 'strategy-mismatch', delayMs: 100 },
      { attempt: 3, kind: 'access-denied', delayMs: 0 },
      { attempt: 4, kind: 'transient', delayMs: 400 },
    ]);
    expect(exhausted.attempts.map((a) => a.error)).toEqual(errors);
    expect(exhausted.lastError).toBe(errors[3]);
    expect(time.waits).toEqual([100]);
    expect(exhausted.elapsedMs).toBe(100);
  });

  it('defaults to 5 attempts', async () => {
    const fn = alwaysFailing(mismatch);
    const failure = await withReAuth(fn, baseOptions()).catch((e: unknown) => e);
    expect(DEFAULT_MAX_ATTEMPTS).toBe(5);
    expect(fn).toHaveBeenCalledTimes(5);
    expect((failure as RetryExhaustedError).attempts).toHaveLength(5);
  });

  it('a fatal failure is thrown at once, exactly as fn threw it, with no hook and no wait', async () => {
    const time = fakeTime();
    const options = baseOptions(time);
    const raw = badSql();
    const fn = failing([() => raw], 'never');
    await expect(withReAuth(fn, options)).rejects.toBe(raw);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(time.sleep).not.toHaveBeenCalled();
    expect(options.onStrategyMismatch).not.toHaveBeenCalled();
    expect(options.reAuthenticate).not.toHaveBeenCalled();
  });

  it('a non-idempotent call is never sent again after an ambiguous transient failure', async () => {
    const raw = dropped();
    const fn = failing([() => raw], 'executed twice');
    await expect(withReAuth(fn, { ...baseOptions(), idempotent: false })).rejects.toBe(raw);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a non-idempotent call is retried after a failure known not to have been sent (connection refused)', async () => {
    const time = fakeTime();
    const fn = failing([refused], 'ok');
    await expect(withReAuth(fn, { ...baseOptions(time), idempotent: false })).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(2);
    expect(time.waits).toEqual([50]);
  });

  it('an idempotent call is retried after an ambiguous transient failure, with backoff from the 100 ms default base', async () => {
    const time = fakeTime();
    const fn = failing([dropped, dropped, dropped], 'ok');
    await expect(withReAuth(fn, { ...baseOptions(time), idempotent: true })).resolves.toBe('ok');
    expect(DEFAULT_BASE_DELAY_MS).toBe(100);
    // random() = 0.5: half of 100, 200, 400.
    expect(time.waits).toEqual([50, 100, 200]);
  });

  it('caps each wait at the 5 s default', async () => {
    const time = fakeTime();
    const fn = failing(Array.from({ length: 9 }, () => dropped), 'ok');
    await withReAuth(fn, { ...baseOptions(time), idempotent: true, maxAttempts: 10, random: () => 0.999_999 });
    expect(DEFAULT_MAX_DELAY_MS).toBe(5_000);
    expect(Math.max(...time.waits)).toBe(4_999);
  });

  it('gives up after the 60 s default budget', async () => {
    const time = fakeTime();
    const fn = alwaysFailing(dropped, () => time.advance(20_000));
    const failure = await withReAuth(fn, { ...baseOptions(time), idempotent: true, maxAttempts: 100 }).catch((e: unknown) => e);
    expect(DEFAULT_BUDGET_MS).toBe(60_000);
    expect(failure).toMatchObject({ name: 'RetryExhaustedError', reason: 'budget' });
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('a deadline exceeded is retried only for idempotent calls', async () => {
    const deadline = (): Error => grpcError(status.DEADLINE_EXCEEDED, 'Deadline exceeded');
    await expect(withReAuth(failing([deadline], 'ok'), { ...baseOptions(), idempotent: true })).resolves.toBe('ok');
    await expect(withReAuth(failing([deadline], 'ok'), baseOptions())).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
  });

  it('cluster suspended: the hook runs, then the call is retried once only', async () => {
    const onClusterSuspended = jest.fn(async () => {});
    const ok = failing([suspended], 'resumed');
    await expect(withReAuth(ok, { ...baseOptions(), onClusterSuspended })).resolves.toBe('resumed');
    expect(onClusterSuspended).toHaveBeenCalledTimes(1);

    onClusterSuspended.mockClear();
    const second = suspended();
    const twice = failing([suspended, () => second], 'never');
    await expect(withReAuth(twice, { ...baseOptions(), onClusterSuspended })).rejects.toBe(second);
    expect(twice).toHaveBeenCalledTimes(2);
    expect(onClusterSuspended).toHaveBeenCalledTimes(1);
  });

  it('cluster suspended without a hook is not retried', async () => {
    const raw = suspended();
    const fn = failing([() => raw], 'never');
    await expect(withReAuth(fn, baseOptions())).rejects.toBe(raw);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a hook that fails ends the run with the hook error', async () => {
    const hookError = new Error('re-detection failed on both strategies');
    const options = { ...baseOptions(), onStrategyMismatch: jest.fn(async () => Promise.reject(hookError)) };
    const fn = failing([mismatch], 'never');
    await expect(withReAuth(fn, options)).rejects.toBe(hookError);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('calls onRetry before every retry with the attempt, kind, delay and elapsed time', async () => {
    const time = fakeTime();
    const infos: RetryInfo[] = [];
    const fn = failing([mismatch, dropped], 'ok');
    await withReAuth(fn, { ...baseOptions(time), idempotent: true, onRetry: (info) => infos.push(info) });
    expect(infos.map(({ attempt, nextAttempt, kind, delayMs, elapsedMs }) => ({ attempt, nextAttempt, kind, delayMs, elapsedMs }))).toEqual([
      { attempt: 1, nextAttempt: 2, kind: 'strategy-mismatch', delayMs: 0, elapsedMs: 0 },
      { attempt: 2, nextAttempt: 3, kind: 'transient', delayMs: 100, elapsedMs: 0 },
    ]);
  });

  it('respects the time budget: no retry whose wait would end past it', async () => {
    const time = fakeTime();
    // Each attempt takes 300 ms.
    const fn = alwaysFailing(dropped, () => time.advance(300));
    const failure = await withReAuth(fn, { ...baseOptions(time), idempotent: true, budgetMs: 1_000, maxAttempts: 100, random: () => 0.999 }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(RetryExhaustedError);
    const exhausted = failure as RetryExhaustedError;
    expect(exhausted.reason).toBe('budget');
    // 300 (+99 wait) -> 699 (+199 wait) -> 1198 > budget before the third wait.
    expect(fn).toHaveBeenCalledTimes(3);
    expect(time.waits).toEqual([99, 199]);
    expect(exhausted.elapsedMs).toBe(1_198);
  });

  it('a zero budget allows only retries that start with no time spent', async () => {
    const fn = failing([mismatch], 'ok');
    await expect(withReAuth(fn, { ...baseOptions(), budgetMs: 0 })).resolves.toBe('ok');
    const slow = fakeTime();
    const slowFn = alwaysFailing(mismatch, () => slow.advance(1));
    await expect(withReAuth(slowFn, { ...baseOptions(slow), budgetMs: 0 })).rejects.toMatchObject({ reason: 'budget' });
    expect(slowFn).toHaveBeenCalledTimes(1);
  });

  it.each([[0], [-1], [2.5]])('refuses maxAttempts %p', async (maxAttempts) => {
    await expect(withReAuth(() => Promise.resolve(1), { ...baseOptions(), maxAttempts })).rejects.toThrow(RangeError);
  });

  it('refuses a negative budget', async () => {
    await expect(withReAuth(() => Promise.resolve(1), { ...baseOptions(), budgetMs: -5 })).rejects.toThrow(RangeError);
  });

  it('property: every planned delay lies within the full-jitter bounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 5_000 }),
        async (randoms, baseDelayMs, maxDelayMs) => {
          const time = fakeTime();
          let i = 0;
          const failure = (await withReAuth(
            () => Promise.reject(dropped()),
            { ...baseOptions(time), idempotent: true, maxAttempts: 6, baseDelayMs, maxDelayMs, budgetMs: Number.POSITIVE_INFINITY, random: () => randoms[i++] ?? 0 },
          ).catch((e: unknown) => e)) as RetryExhaustedError;
          return failure.attempts.every(({ attempt, delayMs }) => delayMs >= 0 && delayMs < Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('withReAuth: abort', () => {
  it('an already-aborted signal never calls fn and rejects with the reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    const fn = jest.fn(() => Promise.resolve('never'));
    const failure = await withReAuth(fn, { ...baseOptions(), signal: controller.signal }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CallAbortedError);
    expect((failure as CallAbortedError).reason).toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('an abort during the backoff wait rejects at once, even with a sleep that ignores the signal', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    // This sleep never ends by itself and never looks at the signal.
    const sleep = jest.fn((): Promise<void> => new Promise<void>(() => {}));
    const fn = failing([dropped], 'never');
    const run = withReAuth(fn, { ...baseOptions(), sleep, idempotent: true, signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sleep).toHaveBeenCalledTimes(1);
    controller.abort(reason);
    const failure = await run.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CallAbortedError);
    expect((failure as CallAbortedError).reason).toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('an abort while a recovery hook runs rejects at once; the hook outcome is dropped', async () => {
    const controller = new AbortController();
    let failHook: (err: Error) => void = () => {};
    const onStrategyMismatch = jest.fn(
      (): Promise<void> =>
        new Promise<void>((_resolve, reject) => {
          failHook = reject;
        }),
    );
    const fn = failing([mismatch], 'never');
    const run = withReAuth(fn, { ...baseOptions(), onStrategyMismatch, signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort('shutting down');
    await expect(run).rejects.toMatchObject({ name: 'CallAbortedError', reason: 'shutting down' });
    // A late hook failure after the abort must not surface as an unhandled rejection.
    failHook(new Error('late'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a sleep that rejects on abort with its own error is reported as the abort', async () => {
    const controller = new AbortController();
    const sleep = jest.fn((): Promise<void> => {
      controller.abort('reason-x');
      return Promise.reject(new Error('sleep interrupted'));
    });
    const run = withReAuth(failing([dropped], 'never'), { ...baseOptions(), sleep, idempotent: true, signal: controller.signal });
    await expect(run).rejects.toMatchObject({ name: 'CallAbortedError', reason: 'reason-x' });
  });

  it('a sleep failure without an abort is passed on', async () => {
    const controller = new AbortController();
    const broken = new Error('timer broken');
    const sleep = jest.fn((): Promise<void> => Promise.reject(broken));
    await expect(withReAuth(failing([dropped], 'never'), { ...baseOptions(), sleep, idempotent: true, signal: controller.signal })).rejects.toBe(broken);
  });

  it('the abort reaching fn (its call rejects with CallAbortedError) is fatal: not retried', async () => {
    const controller = new AbortController();
    const fn = alwaysFailing(
      () => new CallAbortedError('mid-call'),
      () => controller.abort('mid-call'),
    );
    await expect(withReAuth(fn, { ...baseOptions(), idempotent: true, signal: controller.signal })).rejects.toBeInstanceOf(CallAbortedError);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('realSleep', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('resolves after the given time', async () => {
    let done = false;
    const sleeping = realSleep(500).then(() => {
      done = true;
    });
    await jest.advanceTimersByTimeAsync(499);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('rejects at once with a CallAbortedError when the signal aborts, and clears its timer', async () => {
    const controller = new AbortController();
    const sleeping = realSleep(60_000, controller.signal);
    controller.abort('enough');
    await expect(sleeping).rejects.toMatchObject({ name: 'CallAbortedError', reason: 'enough' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects without waiting for an already-aborted signal', async () => {
    await expect(realSleep(60_000, AbortSignal.abort('already'))).rejects.toMatchObject({ reason: 'already' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('removes its abort listener when it completes', async () => {
    const controller = new AbortController();
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const sleeping = realSleep(10, controller.signal);
    await jest.advanceTimersByTimeAsync(10);
    await sleeping;
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  it('withReAuth uses it (and Math.random, and the system clock) by default, and really waits the backoff', async () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      const fn = failing([dropped], 'ok');
      const run = withReAuth(fn, { reAuthenticate: async () => {}, onStrategyMismatch: async () => {}, idempotent: true });
      await jest.advanceTimersByTimeAsync(49);
      expect(fn).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(1);
      await expect(run).resolves.toBe('ok');
      expect(fn).toHaveBeenCalledTimes(2);
      expect(random).toHaveBeenCalled();
    } finally {
      random.mockRestore();
    }
  });

  it('a long-lived signal keeps no listener from finished waits', async () => {
    const controller = new AbortController();
    const add = jest.spyOn(controller.signal, 'addEventListener');
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    const fn = failing([dropped, dropped, dropped], 'ok');
    const run = withReAuth(fn, { reAuthenticate: async () => {}, onStrategyMismatch: async () => {}, idempotent: true, random: () => 0.5, signal: controller.signal });
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(run).resolves.toBe('ok');
    expect(remove.mock.calls.length).toBe(add.mock.calls.length);
  });
});
