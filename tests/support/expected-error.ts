// The error a call must fail with, typed, in one step. A call that succeeds,
// or fails with another kind of error, fails the test.

/** Any error class, abstract ones included. */
export type ErrorClass<E> = abstract new (...args: never[]) => E;

/** Awaits `promise`, which must reject with an instance of `type`, and returns that error. */
export async function rejectionOf<E>(promise: Promise<unknown>, type: ErrorClass<E>): Promise<E> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return err as E;
  }
  throw new Error(`expected a rejection with ${type.name}, but the promise resolved`);
}

/** Calls `fn`, which must throw an instance of `type`, and returns that error. */
export function thrownBy<E>(fn: () => unknown, type: ErrorClass<E>): E {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return err as E;
  }
  throw new Error(`expected a ${type.name} to be thrown, but the call returned`);
}
