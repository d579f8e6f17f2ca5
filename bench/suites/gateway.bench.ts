// What the gateway costs: the same calls straight to an engine and through the
// gateway, one at a time and with several in flight. The goal is at most 30 %
// added time per call; the ratio printed last is the figure to watch.
import { createEngineClient, type EngineClient } from '@e6data-ts/grpc-transport';
import { launchMockClusterProcesses, startMockCluster } from '@e6data-ts/mock-engine';
import { type BenchResult, type BenchSuite, consume, printTable } from '../harness';

const CREDENTIALS = { user: 'admin@e6data.local', password: 'e6-mock-token' };
const HEADERS = { strategy: 'blue' };
const IN_FLIGHT = 16;
const ROUNDS = 6;
const SEQUENTIAL_OPS = 500;
const CONCURRENT_OPS = 2_000;
const SEQUENTIAL_QUERIES = 100;
const CONCURRENT_QUERIES = 400;

/** The whole life of `SELECT 1`: prepare, execute, metadata, batches until the empty one, clear. */
async function selectOne(client: EngineClient, sessionId: string): Promise<number> {
  const prep = await client.prepareStatementV2({ sessionId, schema: 'main', catalog: '', queryString: 'SELECT 1', quoting: '' }, { headers: HEADERS });
  const ref = { engineIP: prep.engineIP, sessionId, queryId: prep.queryId };
  const headers = { ...HEADERS, plannerIp: prep.engineIP };
  await client.executeStatementV2({ ...ref, shouldNotCache: false, params: [] }, { headers });
  await client.getResultMetadata(ref, { headers });
  let bytes = 0;
  for (;;) {
    const batch = await client.getNextResultBatch(ref, { headers });
    if (batch.resultBatch.length === 0) break;
    bytes += batch.resultBatch.length;
  }
  await client.clear(ref, { headers });
  return bytes;
}

/** Runs `total` operations with `inFlight` workers pulling from one counter. */
async function concurrently(total: number, inFlight: number, op: () => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        next++;
        await op();
      }
    }),
  );
}

/**
 * Times `ops` operations straight to the engine and through the gateway in
 * alternating rounds (this machine's load drifts; alternating spreads the
 * drift over both sides) and keeps each side's best round.
 */
async function compare(
  label: string,
  ops: number,
  rounds: number,
  run: (client: EngineClient, sessionId: string) => Promise<unknown>,
  sides: { direct: [EngineClient, string]; gateway: [EngineClient, string] },
): Promise<[BenchResult, BenchResult]> {
  const best = { direct: Number.POSITIVE_INFINITY, gateway: Number.POSITIVE_INFINITY };
  for (let round = 0; round < rounds; round++) {
    const order: Array<'direct' | 'gateway'> = round % 2 === 0 ? ['direct', 'gateway'] : ['gateway', 'direct'];
    for (const side of order) {
      const [client, sessionId] = sides[side];
      const started = process.hrtime.bigint();
      consume(await run(client, sessionId));
      best[side] = Math.min(best[side], Number(process.hrtime.bigint() - started));
    }
  }
  const result = (side: 'direct' | 'gateway'): BenchResult => ({
    name: `${label}, ${side}`,
    iterations: ops,
    nsPerOp: best[side] / ops,
    opsPerSec: (ops * 1e9) / best[side],
  });
  const direct = result('direct');
  const gateway = result('gateway');
  gateway.extra = { overhead: `${((gateway.nsPerOp / direct.nsPerOp - 1) * 100).toFixed(1)} %` };
  return [direct, gateway];
}

/** Endpoints of one layout: where the engine and the gateway listen. */
interface Layout {
  readonly engine: { host: string; port: number };
  readonly gateway: { host: string; port: number };
}

/** Every scenario, straight to the blue engine and through the gateway. */
async function measureLayout(layout: Layout): Promise<Array<[BenchResult, BenchResult]>> {
  const viaGateway = createEngineClient({ host: layout.gateway.host, port: layout.gateway.port });
  const direct = createEngineClient({ host: layout.engine.host, port: layout.engine.port });
  try {
    const sides = {
      direct: [direct, (await direct.authenticate(CREDENTIALS, { headers: HEADERS })).sessionId] as [EngineClient, string],
      gateway: [viaGateway, (await viaGateway.authenticate(CREDENTIALS, { headers: HEADERS })).sessionId] as [EngineClient, string],
    };
    const health = (client: EngineClient): Promise<unknown> => client.healthCheck({}, { headers: HEADERS });
    // Warm up both paths (connections, JIT) before timing anything.
    await compare('warm-up', 200, 2, (client, sessionId) => concurrently(200, 4, () => selectOne(client, sessionId)), sides);
    return [
      await compare('healthCheck sequential', SEQUENTIAL_OPS, ROUNDS, (client) => concurrently(SEQUENTIAL_OPS, 1, () => health(client)), sides),
      await compare(`healthCheck ${IN_FLIGHT} in flight`, CONCURRENT_OPS, ROUNDS, (client) => concurrently(CONCURRENT_OPS, IN_FLIGHT, () => health(client)), sides),
      await compare('SELECT 1 round trip sequential', SEQUENTIAL_QUERIES, ROUNDS, (client, id) => concurrently(SEQUENTIAL_QUERIES, 1, () => selectOne(client, id)), sides),
      await compare(
        `SELECT 1 round trip ${IN_FLIGHT} in flight`,
        CONCURRENT_QUERIES,
        ROUNDS,
        (client, id) => concurrently(CONCURRENT_QUERIES, IN_FLIGHT, () => selectOne(client, id)),
        sides,
      ),
    ];
  } finally {
    viaGateway.close();
    direct.close();
  }
}

function report(title: string, pairs: Array<[BenchResult, BenchResult]>): void {
  printTable(title, pairs.flat());
  let worst = { name: '', ratio: 0 };
  for (const [direct, gateway] of pairs) {
    const ratio = gateway.nsPerOp / direct.nsPerOp;
    if (ratio > worst.ratio) worst = { name: gateway.name, ratio };
  }
  console.log(`worst gateway overhead: ${((worst.ratio - 1) * 100).toFixed(1)} % (${worst.name}; goal: at most 30 %)`);
}

const suite: BenchSuite = {
  title: 'gateway overhead: calls straight to an engine vs through the gateway',
  async run() {
    // 1. Everything in this process: the gateway's work shares one event loop with client and engine.
    const cluster = await startMockCluster({ mockTableRows: 100 });
    try {
      report(
        'in one process: ops/s straight to the blue engine and through the gateway (best of alternating rounds)',
        await measureLayout({ engine: cluster.engines.blue, gateway: cluster }),
      );
    } finally {
      await cluster.close();
    }
    // 2. Gateway and engines in their own processes, as a load balancer and engines are.
    const launched = await launchMockClusterProcesses();
    try {
      const blue = launched.process('blue');
      if (blue === null) throw new Error('the blue engine process is not running');
      report(
        'separate processes: ops/s straight to the blue engine process and through the gateway process',
        await measureLayout({ engine: blue, gateway: launched }),
      );
    } finally {
      await launched.close();
    }
  },
};

export default suite;
