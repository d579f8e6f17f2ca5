// What the connector costs over the bare wire client, on one in-process mock
// cluster: the same statement through connection.query() and through a raw
// grpc-transport client making the same calls (prepare, execute, metadata,
// batches until the empty one, clear). Rounds alternate between the two so a
// change in machine load hits both; each figure is the median of the rounds
// with the range seen. Then: queries per second at 1, 10 and 100 in flight,
// and the latency of queries started during a graceful cutover against steady state.
import { loadavg } from 'node:os';
import { connect, type Connection } from '@e6data-ts/connector';
import { createEngineClient, decodeChunk, type EngineClient } from '@e6data-ts/grpc-transport';
import { startMockCluster, type MockCluster } from '@e6data-ts/mock-engine';
import { StrategyRegistry, silentStrategyLogger } from '@e6data-ts/strategy-core';
import { type BenchSuite, consume } from '../harness';

const CREDENTIALS = { user: 'admin@e6data.local', password: 'e6-mock-token' };
const ROUNDS = 7;
const SELECT_ONE_PER_ROUND = 150;
const WIDE_PER_ROUND = 6;
const WIDE_SQL = 'SELECT * FROM mock_table LIMIT 10000';

interface Figure {
  median: number;
  min: number;
  max: number;
}

function figure(samples: number[]): Figure {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

function show(f: Figure, unit: string, digits = 0): string {
  return `${f.median.toFixed(digits)} ${unit} (range ${f.min.toFixed(digits)}-${f.max.toFixed(digits)})`;
}

/** The raw client's version of connection.query(): every call in order, rows decoded. */
async function rawQuery(client: EngineClient, sessionId: string, sql: string): Promise<number> {
  const headers = { strategy: 'blue' };
  const prep = await client.prepareStatementV2({ sessionId, schema: '', catalog: '', queryString: sql, quoting: '' }, { headers });
  const ref = { engineIP: prep.engineIP, sessionId, queryId: prep.queryId };
  const queryHeaders = { ...headers, plannerIp: prep.engineIP };
  await client.executeStatementV2({ ...ref, shouldNotCache: false, params: [] }, { headers: queryHeaders });
  await client.getResultMetadata(ref, { headers: queryHeaders });
  let rows = 0;
  for (;;) {
    const batch = await client.getNextResultBatch(ref, { headers: queryHeaders });
    if (batch.resultBatch.length === 0) break;
    rows += decodeChunk(batch.resultBatch).rowCount;
  }
  await client.clear(ref, { headers: queryHeaders });
  return rows;
}

async function timeRate(count: number, run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) consume(await run());
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function inFlightRate(connection: Connection, inFlight: number, total: number): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < total) consume(await connection.query('SELECT 1'));
    }),
  );
  return total / (Number(process.hrtime.bigint() - start) / 1e9);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Latencies (ms) of SELECT 1 from `workers` loops for `ms`; each sample tagged by whether a deployment was in progress. */
async function latencies(cluster: MockCluster, connection: Connection, workers: number, ms: number): Promise<{ steady: number[]; cutover: number[] }> {
  const steady: number[] = [];
  const cutover: number[] = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        const during = cluster.state().phase !== 'stable';
        const start = process.hrtime.bigint();
        consume(await connection.query('SELECT 1'));
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        (during || cluster.state().phase !== 'stable' ? cutover : steady).push(elapsed);
      }
    }),
  );
  return { steady: steady.sort((a, b) => a - b), cutover: cutover.sort((a, b) => a - b) };
}

const suite: BenchSuite = {
  title: 'Connector: connection.query() against the raw wire client, throughput, and latency through cutovers',
  async run(): Promise<void> {
    const cluster = await startMockCluster({ announceMs: 500, drainMs: 1_000 });
    const registry = new StrategyRegistry({ logger: silentStrategyLogger });
    const connection = await connect({ host: cluster.host, port: cluster.port, username: CREDENTIALS.user, password: CREDENTIALS.password, strategyRegistry: registry });
    const raw = createEngineClient({ host: cluster.host, port: cluster.port });
    try {
      const { sessionId } = await raw.authenticate(CREDENTIALS, { headers: { strategy: 'blue' } });
      console.log(`load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
      // Warm both paths (JIT, DuckDB caches) before anything is timed.
      for (let i = 0; i < 100; i++) {
        await connection.query('SELECT 1');
        await rawQuery(raw, sessionId, 'SELECT 1');
      }
      const selectOne = { connector: [] as number[], raw: [] as number[], ratio: [] as number[] };
      const wide = { connector: [] as number[], raw: [] as number[], ratio: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        const c = await timeRate(SELECT_ONE_PER_ROUND, () => connection.query('SELECT 1'));
        const r = await timeRate(SELECT_ONE_PER_ROUND, () => rawQuery(raw, sessionId, 'SELECT 1'));
        selectOne.connector.push(c);
        selectOne.raw.push(r);
        selectOne.ratio.push(r / c);
        const wc = await timeRate(WIDE_PER_ROUND, () => connection.query(WIDE_SQL));
        const wr = await timeRate(WIDE_PER_ROUND, () => rawQuery(raw, sessionId, WIDE_SQL));
        wide.connector.push(wc * 10_000);
        wide.raw.push(wr * 10_000);
        wide.ratio.push(wr / wc);
      }
      console.log(`SELECT 1 sequential, ${ROUNDS} rounds of ${SELECT_ONE_PER_ROUND}:`);
      console.log(`  connector   ${show(figure(selectOne.connector), 'q/s')}`);
      console.log(`  raw client  ${show(figure(selectOne.raw), 'q/s')}`);
      console.log(`  time ratio connector/raw: ${show(figure(selectOne.ratio), 'x', 2)}  (goal: at most 1.15x)`);
      console.log(`10,000-row read of mock_table (17 columns, every type), ${ROUNDS} rounds of ${WIDE_PER_ROUND}:`);
      console.log(`  connector   ${show(figure(wide.connector), 'rows/s')}`);
      console.log(`  raw client  ${show(figure(wide.raw), 'rows/s')}`);
      console.log(`  time ratio connector/raw: ${show(figure(wide.ratio), 'x', 2)}  (goal: at most 1.15x)`);

      console.log('SELECT 1 through one connection, queries per second by queries in flight (median of 3 runs):');
      for (const inFlight of [1, 10, 100]) {
        const runs: number[] = [];
        for (let i = 0; i < 3; i++) runs.push(await inFlightRate(connection, inFlight, inFlight === 1 ? 300 : 1_500));
        console.log(`  ${String(inFlight).padStart(3)} in flight: ${show(figure(runs), 'q/s')}`);
      }

      const deploying = (async (): Promise<void> => {
        for (let i = 0; i < 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, 700));
          await cluster.deploy({ announceMs: 500, drainMs: 1_000 });
        }
      })();
      const sample = await latencies(cluster, connection, 10, 8_000);
      await deploying;
      const row = (label: string, xs: number[]): string =>
        `  ${label.padEnd(22)} n=${String(xs.length).padStart(5)}  p50 ${percentile(xs, 50).toFixed(2)} ms  p99 ${percentile(xs, 99).toFixed(2)} ms  max ${(xs[xs.length - 1] ?? Number.NaN).toFixed(2)} ms`;
      console.log('SELECT 1 latency, 10 in flight, 3 graceful cutovers (announce 0.5 s, drain 1 s):');
      console.log(row('steady', sample.steady));
      console.log(row('during a deployment', sample.cutover));
      console.log(`  detections ${connection.stats().detections}, switches ${connection.stats().switches}, lost ${connection.stats().lost}`);
      console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    } finally {
      raw.close();
      await connection.close();
      await cluster.close();
    }
  },
};

export default suite;
