// ns/op of the strategy store's hot path: the lookups every gRPC call makes
// (goal: under 200 ns/op) and the transitions a cutover makes.
import {
  StrategyRegistry,
  StrategyStore,
  parseStrategy,
  silentStrategyLogger,
  type StrategyTransition,
} from '@e6data-ts/strategy-core';
import { type BenchResult, type BenchSuite, consume, measureSync, printTable } from '../harness';

const QUERIES = 10_000;

function populatedStore(options: { ttlMs?: number } = {}): { store: StrategyStore; ids: string[] } {
  const store = new StrategyStore({ logger: silentStrategyLogger, ...options });
  store.setActive('blue');
  const ids = Array.from({ length: QUERIES }, (_, i) => `query-${i.toString(36)}-${(i * 7919).toString(16)}`);
  ids.forEach((id, i) => store.registerQuery(id, i % 2 === 0 ? 'blue' : 'green'));
  return { store, ids };
}

const suite: BenchSuite = {
  title: 'strategy-core: StrategyStore lookups and transitions',
  run(): Promise<void> {
    const results: BenchResult[] = [];
    const { store, ids } = populatedStore();
    const { store: ttlStore } = populatedStore({ ttlMs: 3_600_000 });
    let i = 0;

    results.push(measureSync('getActive', () => store.getActive()));
    results.push(measureSync('getActive (TTL on)', () => ttlStore.getActive()));
    results.push(
      measureSync(`getQueryStrategy hit (${QUERIES.toLocaleString('en-US')} pinned)`, () => {
        i = (i + 1) % QUERIES;
        return store.getQueryStrategy(ids[i]!);
      }),
    );
    const missIds = ids.map((id) => `${id}-gone`);
    results.push(
      measureSync('getQueryStrategy miss (falls back to active)', () => {
        i = (i + 1) % QUERIES;
        return store.getQueryStrategy(missIds[i]!);
      }),
    );
    results.push(measureSync('strategyForNewQuery (no pending)', () => store.strategyForNewQuery()));
    const pendingStore = new StrategyStore({ logger: silentStrategyLogger });
    pendingStore.setActive('blue');
    pendingStore.setPending('green');
    results.push(measureSync('strategyForNewQuery (pending)', () => pendingStore.strategyForNewQuery()));
    results.push(measureSync('parseStrategy("GREEN")', () => parseStrategy('GREEN')));

    const cycle = new StrategyStore({ logger: silentStrategyLogger });
    cycle.setActive('blue');
    let next: 'blue' | 'green' = 'green';
    results.push(
      measureSync('setPending -> applyPending cycle', () => {
        cycle.setPending(next);
        const applied = cycle.applyPending();
        next = next === 'blue' ? 'green' : 'blue';
        return applied;
      }),
    );
    const observed = new StrategyStore({ logger: silentStrategyLogger });
    observed.setActive('blue');
    let events = 0;
    observed.onTransition((t: StrategyTransition) => {
      events += t.at > 0 ? 1 : 0;
    });
    results.push(
      measureSync('setPending -> applyPending cycle (1 listener)', () => {
        observed.setPending(next);
        const applied = observed.applyPending();
        next = next === 'blue' ? 'green' : 'blue';
        return applied;
      }),
    );
    consume(events);

    const lifecycle = new StrategyStore({ logger: silentStrategyLogger });
    lifecycle.setActive('blue');
    results.push(
      measureSync('registerQuery + cleanupQuery', () => {
        i = (i + 1) % QUERIES;
        const id = ids[i]!;
        lifecycle.registerQuery(id, 'blue');
        lifecycle.cleanupQuery(id);
      }),
    );

    const registry = new StrategyRegistry({ logger: silentStrategyLogger });
    const endpoint = { host: 'Cluster.Example.com', port: 443, clusterName: 'Analytics' };
    registry.get(endpoint);
    results.push(measureSync('registry.get (existing endpoint)', () => registry.get(endpoint)));

    printTable('StrategyStore (lower is better; lookup goal < 200 ns/op)', results);
    return Promise.resolve();
  },
};

export default suite;
