// What every connector integration test must leave behind: nothing. No query
// still pinned in the endpoint's blue/green store, no query still held by an
// engine once the background clears have landed, every connection closed.
import { type Connection } from '@e6data-ts/connector';
import { type MockCluster } from '@e6data-ts/mock-engine';
import { STRATEGIES, type Strategy, type StrategyRegistry } from '@e6data-ts/strategy-core';

export interface LeakCheck {
  readonly cluster: MockCluster;
  readonly registry: StrategyRegistry;
  readonly connections: readonly Connection[];
  /**
   * Queries an engine is expected to still hold: those lost by a hard switch,
   * which no client can reach any more (the engine frees them after its idle time).
   */
  readonly strandedOn?: Partial<Record<Strategy, number>>;
  /** How long the engines get to free cleared queries (default 5 s). */
  readonly settleMs?: number;
}

/** Closes every connection (close is idempotent), then fails the test when anything was left behind. */
export async function expectNoLeaks(check: LeakCheck): Promise<void> {
  await Promise.all(check.connections.map((connection) => connection.close()));
  for (const connection of check.connections) expect(connection.isClosed).toBe(true);

  const endpoint = { host: check.cluster.host, port: check.cluster.port, clusterName: '' };
  expect(check.registry.get(endpoint).snapshot().queries).toEqual({ blue: 0, green: 0 });

  // A clear is sent in the background (close() waits for it to answer), and
  // the engine takes the query out of its live set as it handles the clear:
  // allow a short settle for calls still on the wire.
  const expected = Object.fromEntries(STRATEGIES.map((s) => [s, check.strandedOn?.[s] ?? 0])) as Record<Strategy, number>;
  const held = (): Record<Strategy, number> =>
    Object.fromEntries(STRATEGIES.map((s) => [s, check.cluster.engines[s].activeQueryCount()])) as Record<Strategy, number>;
  const until = Date.now() + (check.settleMs ?? 5_000);
  while (Date.now() < until && STRATEGIES.some((s) => held()[s] !== expected[s])) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(held()).toEqual(expected);
}
