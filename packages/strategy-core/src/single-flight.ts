/**
 * Coalesces concurrent work per key: while a call for a key is in flight, other
 * callers for that key get the same promise instead of starting their own (used
 * so that many queries hitting a cold endpoint run one strategy detection).
 * Once the flight settles, resolved or rejected, the next call starts afresh:
 * results are shared, never cached.
 */
export class SingleFlight<K, V> {
  private readonly flights = new Map<K, Promise<V>>();

  /**
   * Runs `fn` for `key` unless a call for `key` is already in flight, in which
   * case that call's promise is returned and `fn` is not called. A synchronous
   * throw from `fn` rejects the flight like an asynchronous failure.
   */
  run(key: K, fn: () => V | PromiseLike<V>): Promise<V> {
    const existing = this.flights.get(key);
    if (existing !== undefined) return existing;
    let settled = false;
    const flight = (async (): Promise<V> => {
      try {
        return await fn();
      } finally {
        settled = true;
        // Only this flight can hold the key now: a new one starts only once the
        // key is free. Removed before waiters resume, so a waiter that calls
        // run() again starts a new flight.
        this.flights.delete(key);
      }
    })();
    // A synchronous throw from fn settles the flight before this line: do not register it.
    if (!settled) this.flights.set(key, flight);
    return flight;
  }

  /** True while a call for `key` is in flight. */
  has(key: K): boolean {
    return this.flights.has(key);
  }

  /** Number of keys with a call in flight. */
  get size(): number {
    return this.flights.size;
  }
}
