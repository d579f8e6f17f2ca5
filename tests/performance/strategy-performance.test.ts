// Port of the seed's TestStrategyPerformance and TestConcurrentPerformance.
// The thresholds are the seed's, wide on purpose: they catch a lookup that
// became accidentally slow (I/O, a scan, a lock), not a few nanoseconds of
// noise. The measured figures are printed; bench/suites/strategy.bench.ts
// gives ns/op precision.
import { performance } from 'node:perf_hooks';
import { StrategyStore, silentStrategyLogger, type Strategy } from '@e6data-ts/strategy-core';
import { assertValidStrategy } from '../support/strategy-assertions';

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation, as Python's statistics.stdev. */
function stdev(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

// perf_counter() returns seconds; performance.now() milliseconds. Figures below are in seconds, as in the seed.
function seconds(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / 1_000;
}

describe('TestStrategyPerformance', () => {
  test('test_cached_strategy_performance: 1000 cached lookups, avg < 1 ms, stdev < 0.5 ms', () => {
    const store = new StrategyStore({ logger: silentStrategyLogger });
    store.setActive('blue');
    const times: number[] = [];
    let strategy: Strategy | null = null;
    for (let i = 0; i < 1_000; i++) {
      const start = performance.now();
      strategy = store.getActive();
      const end = performance.now();
      times.push(seconds(start, end));
    }
    expect(strategy).toBe('blue');
    const avg = mean(times);
    const sd = stdev(times);
    console.log(`Cache hit performance: ${avg.toFixed(9)}s ± ${sd.toFixed(9)}s`);
    expect(avg).toBeLessThan(0.001);
    expect(sd).toBeLessThan(0.0005);
  });

  test('test_strategy_transition_performance: 100 transitions, avg < 10 ms', () => {
    const store = new StrategyStore({ logger: silentStrategyLogger });
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      store.setActive('blue');
      const start = performance.now();
      store.setActive('green');
      const end = performance.now();
      times.push(seconds(start, end));
      expect(store.getActive()).toBe('green');
    }
    const avg = mean(times);
    console.log(`Strategy transition performance: ${avg.toFixed(9)}s`);
    expect(avg).toBeLessThan(0.01);
  });
});

describe('TestConcurrentPerformance', () => {
  test('test_concurrent_strategy_access: 10 concurrent workers x 100 lookups, consistent, avg < 10 ms', async () => {
    const store = new StrategyStore({ logger: silentStrategyLogger });
    store.setActive('blue');

    // Node runs JavaScript on one thread: "concurrent" workers are async tasks
    // that yield between lookups, so their lookups interleave like the seed's threads.
    const worker = async (): Promise<[Strategy | null, number][]> => {
      const results: [Strategy | null, number][] = [];
      for (let i = 0; i < 100; i++) {
        const start = performance.now();
        const strategy = store.getActive();
        const end = performance.now();
        results.push([strategy, seconds(start, end)]);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return results;
    };

    const all = (await Promise.all(Array.from({ length: 10 }, worker))).flat();
    expect(all).toHaveLength(1_000);
    for (const [strategy] of all) {
      assertValidStrategy(strategy);
      expect(strategy).toBe('blue');
    }
    const avg = mean(all.map(([, t]) => t));
    console.log(`Concurrent access performance: ${avg.toFixed(9)}s`);
    expect(avg).toBeLessThan(0.01);
  });
});
