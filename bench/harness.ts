// A small benchmark harness: warm up, then run growing batches until a time
// budget is spent, and report nanoseconds per operation. Figures are noisy on
// shared machines; compare ratios taken within one run, never across runs.

export interface BenchResult {
  name: string;
  iterations: number;
  nsPerOp: number;
  opsPerSec: number;
  /** Extra figures a suite wants printed (e.g. million cells per second). */
  extra?: Record<string, string>;
}

export interface MeasureOptions {
  /** Time to spend measuring, after warm-up. */
  minMs?: number;
  /** Operations run before measuring starts. */
  warmup?: number;
}

// Results flow into this sink so the optimiser cannot drop the measured work.
let sink: unknown;
export function consume(value: unknown): void {
  sink = value;
}

export function measureSync(name: string, fn: () => unknown, options: MeasureOptions = {}): BenchResult {
  const minNs = BigInt(Math.round((options.minMs ?? 300) * 1e6));
  for (let i = 0; i < (options.warmup ?? 10_000); i++) sink = fn();
  let iterations = 0;
  let batch = 1_000;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < minNs) {
    for (let i = 0; i < batch; i++) sink = fn();
    iterations += batch;
    batch *= 2;
    elapsed = process.hrtime.bigint() - start;
  }
  return result(name, iterations, Number(elapsed));
}

export async function measureAsync(name: string, fn: () => Promise<unknown>, options: MeasureOptions = {}): Promise<BenchResult> {
  const minNs = BigInt(Math.round((options.minMs ?? 1000) * 1e6));
  for (let i = 0; i < (options.warmup ?? 100); i++) sink = await fn();
  let iterations = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < minNs) {
    sink = await fn();
    iterations++;
    elapsed = process.hrtime.bigint() - start;
  }
  return result(name, iterations, Number(elapsed));
}

/** Time `ops` operations done by `fn` (which returns when all are done), repeated `rounds` times; best round wins. */
export async function measureBatch(name: string, ops: number, fn: () => unknown, rounds = 5): Promise<BenchResult> {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    sink = await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return result(name, ops, best);
}

function result(name: string, iterations: number, elapsedNs: number): BenchResult {
  const nsPerOp = elapsedNs / iterations;
  return { name, iterations, nsPerOp, opsPerSec: 1e9 / nsPerOp };
}

export function printTable(title: string, results: BenchResult[]): void {
  const rows = results.map((r) => [
    r.name,
    formatNs(r.nsPerOp),
    Math.round(r.opsPerSec).toLocaleString('en-US'),
    Object.entries(r.extra ?? {}).map(([k, v]) => `${k} ${v}`).join(', '),
  ]);
  const header = ['benchmark', 'time/op', 'ops/s', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  void sink;
}

export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  return `${(ns / 1_000_000).toFixed(2)} ms`;
}

/** A benchmark suite: `bench/suites/<name>.bench.ts` default-exports one. */
export interface BenchSuite {
  title: string;
  run(): Promise<void>;
}
