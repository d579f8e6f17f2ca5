// Jest lifecycle for something a suite starts and must close: started before
// the tests of the enclosing describe block (all of them, or each one), and
// closed after them even when a test failed.

export interface Closable {
  close(): Promise<void>;
}

export interface FixtureOptions {
  /** 'all' (the default): one fixture for every test of the block; 'each': a fresh one per test. */
  per?: 'all' | 'each';
  /** The hooks' time limit, when starting takes longer than jest's default. */
  timeoutMs?: number;
}

/** Registers the start and close hooks; the returned function gives the running fixture. */
export function useFixture<T extends Closable>(start: () => Promise<T>, options: FixtureOptions = {}): () => T {
  let current: T | undefined;
  const setUp = async (): Promise<void> => {
    current = await start();
  };
  const tearDown = async (): Promise<void> => {
    const running = current;
    current = undefined;
    await running?.close();
  };
  if (options.per === 'each') {
    beforeEach(setUp, options.timeoutMs);
    afterEach(tearDown, options.timeoutMs);
  } else {
    beforeAll(setUp, options.timeoutMs);
    afterAll(tearDown, options.timeoutMs);
  }
  return () => {
    if (current === undefined) throw new Error('the fixture is not running: read it inside a test or hook, not while describe blocks are collected');
    return current;
  };
}

/**
 * An object whose `keys` read the running fixture's properties: a suite holds
 * it from describe time, and each read inside a test sees the current fixture.
 */
export function fixtureView<T, K extends keyof T>(running: () => T, keys: readonly K[]): Pick<T, K> {
  const view = {} as Pick<T, K>;
  for (const key of keys) Object.defineProperty(view, key, { enumerable: true, get: () => running()[key] });
  return view;
}
