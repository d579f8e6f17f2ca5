// What the connector costs over the bare wire client, against one mock
// cluster running as separate processes (gateway and engines each in their
// own, so this process's CPU is the client's alone): the same statement through connection.query() and through a raw
// grpc-transport client making the same calls (prepare, execute, metadata,
// batches until the empty one, clear). Rounds alternate between the two (and
// which goes first) so a change in machine load hits both; each figure is the median of the rounds
// with the range seen. Then: queries per second at 1, 10 and 100 in flight,
// the latency of queries started during a graceful cutover against steady
// state, and a 1,000,000-row result read as rows, as columnar batches and as
// Arrow record batches, each in its own child process with its peak RSS.
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type Connection } from '@e6data-ts/connector';
import { createEngineClient, decodeChunk, type EngineClient } from '@e6data-ts/grpc-transport';
import { AdminClient, launchMockClusterProcesses, type LaunchedCluster } from '@e6data-ts/mock-engine';
import { StrategyRegistry, silentStrategyLogger } from '@e6data-ts/strategy-core';
import { type BenchSuite, consume } from '../harness';

const CREDENTIALS = { user: 'admin@e6data.local', password: 'e6-mock-token' };
const ROUNDS = 7;
const SELECT_ONE_PER_ROUND = 150;
const WIDE_PER_ROUND = 6;
const WIDE_SQL = 'SELECT * FROM mock_table LIMIT 10000';
/** A million rows that look like data: int64 past 2^53, non-ASCII text, NULLs, doubles, dates. */
const MILLION_SQL = `SELECT i::BIGINT * 9007199254741 AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE 'Zürich-東京-' || i END AS label,
  i * 0.25 AS amount, i % 2 = 0 AS even, DATE '2020-01-01' + (i % 3650)::INTEGER AS day FROM range(1000000) t(i)`;
const MILLION_RUNS = 3;

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

interface FetchRun {
  rows: number;
  ms: number;
  baseRss: number;
  peakRss: number;
}

/** Reads the million rows in a child process (its own heap, its own RSS) the way `mode` says. */
async function fetchInChild(mode: string, cluster: LaunchedCluster): Promise<FetchRun> {
  const script = join(__dirname, '..', 'support', 'fetch-result.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, mode, cluster.host, String(cluster.port)], {
    env: { ...process.env, E6_BENCH_SQL: MILLION_SQL },
    timeout: 300_000,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as FetchRun;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Latencies (ms) of SELECT 1 from `workers` loops for `ms`; each sample tagged by whether a deployment was in progress. */
async function latencies(deploying: () => boolean, connection: Connection, workers: number, ms: number): Promise<{ steady: number[]; cutover: number[] }> {
  const steady: number[] = [];
  const cutover: number[] = [];
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < until) {
        const during = deploying();
        const start = process.hrtime.bigint();
        consume(await connection.query('SELECT 1'));
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        (during || deploying() ? cutover : steady).push(elapsed);
      }
    }),
  );
  return { steady: steady.sort((a, b) => a - b), cutover: cutover.sort((a, b) => a - b) };
}

const suite: BenchSuite = {
  title: 'Connector: connection.query() against the raw wire client, throughput, and latency through cutovers',
  async run(): Promise<void> {
    const cluster = await launchMockClusterProcesses({ announceMs: 500, drainMs: 1_000, cwd: join(__dirname, '..', '..') });
    const admin = new AdminClient(cluster.adminUrl);
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
      // Which path goes first alternates too, so neither always runs right after the other's work.
      const pair = async (round: number, count: number, viaConnector: () => Promise<unknown>, viaRaw: () => Promise<unknown>): Promise<[number, number]> => {
        if (round % 2 === 1) {
          const r = await timeRate(count, viaRaw);
          return [await timeRate(count, viaConnector), r];
        }
        const c = await timeRate(count, viaConnector);
        return [c, await timeRate(count, viaRaw)];
      };
      for (let round = 0; round < ROUNDS; round++) {
        const [c, r] = await pair(round, SELECT_ONE_PER_ROUND, () => connection.query('SELECT 1'), () => rawQuery(raw, sessionId, 'SELECT 1'));
        selectOne.connector.push(c);
        selectOne.raw.push(r);
        selectOne.ratio.push(r / c);
        const [wc, wr] = await pair(round, WIDE_PER_ROUND, () => connection.query(WIDE_SQL), () => rawQuery(raw, sessionId, WIDE_SQL));
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

      // The deployment state lives in the gateway's process: a flag kept from the deploy calls.
      let inDeployment = false;
      const deploying = (async (): Promise<void> => {
        for (let i = 0; i < 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, 700));
          inDeployment = true;
          await admin.deploy({ announceMs: 500, drainMs: 1_000 });
          await admin.waitForState((state) => state.phase === 'stable', { timeoutMs: 30_000 });
          inDeployment = false;
        }
      })();
      const sample = await latencies(() => inDeployment, connection, 10, 8_000);
      await deploying;
      const row = (label: string, xs: number[]): string =>
        `  ${label.padEnd(22)} n=${String(xs.length).padStart(5)}  p50 ${percentile(xs, 50).toFixed(2)} ms  p99 ${percentile(xs, 99).toFixed(2)} ms  max ${(xs[xs.length - 1] ?? Number.NaN).toFixed(2)} ms`;
      console.log('SELECT 1 latency, 10 in flight, 3 graceful cutovers (announce 0.5 s, drain 1 s):');
      console.log(row('steady', sample.steady));
      console.log(row('during a deployment', sample.cutover));
      console.log(`  detections ${connection.stats().detections}, switches ${connection.stats().switches}, lost ${connection.stats().lost}`);
      console.log(`1,000,000 rows x 5 columns (int64 past 2^53, non-ASCII text with NULLs, DOUBLE, BOOLEAN, DATE), each way in its own process, median of ${MILLION_RUNS}:`);
      for (const mode of ['rows', 'batches', 'arrow']) {
        const runs: FetchRun[] = [];
        for (let i = 0; i < MILLION_RUNS; i++) runs.push(await fetchInChild(mode, cluster));
        if (runs.some((run) => run.rows !== 1_000_000)) throw new Error(`${mode}: expected 1,000,000 rows, got ${runs.map((r) => r.rows).join(', ')}`);
        const rate = figure(runs.map((run) => run.rows / (run.ms / 1000)));
        const growth = figure(runs.map((run) => (run.peakRss - run.baseRss) / 2 ** 20));
        const label = { rows: 'for await (rows)', batches: 'batches() (columnar)', arrow: 'arrowBatches() (Arrow)' }[mode];
        console.log(`  ${label!.padEnd(24)} ${show(rate, 'rows/s')}   RSS growth ${show(growth, 'MB')}`);
      }
      console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    } finally {
      raw.close();
      await connection.close();
      await cluster.close();
    }
  },
};

export default suite;
