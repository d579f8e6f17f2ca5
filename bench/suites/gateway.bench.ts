// What the gateway costs: the same calls straight to an engine and through the
// gateway, one at a time and with several in flight. The goal is at most 30 %
// added time per call; the ratio printed last is the figure to watch. Next to
// it: the time the gateway adds per RPC (a SELECT 1 round trip is several
// RPCs) and the CPU it spends per RPC, which tell hop latency from gateway work.
import { readdirSync, readFileSync } from 'node:fs';
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

/** RPCs made so far, so the figures per RPC need no assumption about how many calls an operation takes. */
let rpcs = 0;

async function healthCheck(client: EngineClient): Promise<unknown> {
  rpcs++;
  return client.healthCheck({}, { headers: HEADERS });
}

/** The whole life of `SELECT 1`: prepare, execute, metadata, batches until the empty one, clear. */
async function selectOne(client: EngineClient, sessionId: string): Promise<number> {
  const prep = await client.prepareStatementV2({ sessionId, schema: 'main', catalog: '', queryString: 'SELECT 1', quoting: '' }, { headers: HEADERS });
  const ref = { engineIP: prep.engineIP, sessionId, queryId: prep.queryId };
  const headers = { ...HEADERS, plannerIp: prep.engineIP };
  await client.executeStatementV2({ ...ref, shouldNotCache: false, params: [] }, { headers });
  await client.getResultMetadata(ref, { headers });
  rpcs += 3;
  let bytes = 0;
  for (;;) {
    const batch = await client.getNextResultBatch(ref, { headers });
    rpcs++;
    if (batch.resultBatch.length === 0) break;
    bytes += batch.resultBatch.length;
  }
  await client.clear(ref, { headers });
  rpcs++;
  return bytes;
}

/**
 * CPU time (ns) used so far by what differs between the two sides: the
 * gateway process when it runs alone, this whole process when everything
 * shares it (then the direct side's CPU is subtracted).
 */
interface CpuProbe {
  readonly label: string;
  read(): number;
  /** Subtract the direct side's CPU per RPC (the probe also sees client and engine). */
  readonly relative: boolean;
}

const processCpu: CpuProbe = {
  label: 'added CPU',
  relative: true,
  read: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) * 1_000;
  },
};

/** CPU of every thread of process `pid` from /proc (Linux; ns precision); null where /proc is missing. */
function processCpuOf(pid: number): CpuProbe | null {
  const read = (): number =>
    readdirSync(`/proc/${pid}/task`).reduce((sum, task) => sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]), 0);
  try {
    read();
  } catch {
    return null;
  }
  return { label: 'gateway CPU', relative: false, read };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
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
 * drift over both sides). Each side's figure is the median of its rounds;
 * the overhead is the median of the per-round ratios, with their range. CPU
 * per RPC is the median over the rounds too.
 */
async function compare(
  label: string,
  ops: number,
  rounds: number,
  run: (client: EngineClient, sessionId: string) => Promise<unknown>,
  sides: { direct: [EngineClient, string]; gateway: [EngineClient, string] },
  cpu: CpuProbe | null,
): Promise<[BenchResult, BenchResult]> {
  const times: Record<'direct' | 'gateway', number[]> = { direct: [], gateway: [] };
  const cpuPerRpc: Record<'direct' | 'gateway', number[]> = { direct: [], gateway: [] };
  let rpcsPerOp = 1;
  for (let round = 0; round < rounds; round++) {
    const order: Array<'direct' | 'gateway'> = round % 2 === 0 ? ['direct', 'gateway'] : ['gateway', 'direct'];
    for (const side of order) {
      const [client, sessionId] = sides[side];
      const rpcsBefore = rpcs;
      const cpuBefore = cpu?.read() ?? 0;
      const started = process.hrtime.bigint();
      consume(await run(client, sessionId));
      times[side].push(Number(process.hrtime.bigint() - started));
      rpcsPerOp = (rpcs - rpcsBefore) / ops;
      if (cpu !== null) cpuPerRpc[side].push((cpu.read() - cpuBefore) / (rpcs - rpcsBefore));
    }
  }
  const result = (side: 'direct' | 'gateway'): BenchResult => ({
    name: `${label}, ${side}`,
    iterations: ops,
    nsPerOp: median(times[side]) / ops,
    opsPerSec: (ops * 1e9) / median(times[side]),
  });
  const overheads = times.gateway.map((t, i) => (t / times.direct[i]! - 1) * 100);
  const direct = result('direct');
  const gateway = result('gateway');
  gateway.extra = {
    overhead: `${median(overheads).toFixed(1)} % (range ${Math.min(...overheads).toFixed(0)}..${Math.max(...overheads).toFixed(0)} %)`,
    'added per RPC': `${((gateway.nsPerOp - direct.nsPerOp) / rpcsPerOp / 1_000).toFixed(0)} µs`,
  };
  if (cpu !== null) {
    const perRpc = median(cpuPerRpc.gateway) - (cpu.relative ? median(cpuPerRpc.direct) : 0);
    gateway.extra[`${cpu.label} per RPC`] = `${(perRpc / 1_000).toFixed(0)} µs`;
  }
  return [direct, gateway];
}

/** Endpoints of one layout: where the engine and the gateway listen. */
interface Layout {
  readonly engine: { host: string; port: number };
  readonly gateway: { host: string; port: number };
}

/** Every scenario, straight to the blue engine and through the gateway. */
async function measureLayout(layout: Layout, cpu: CpuProbe | null): Promise<Array<[BenchResult, BenchResult]>> {
  const viaGateway = createEngineClient({ host: layout.gateway.host, port: layout.gateway.port });
  const direct = createEngineClient({ host: layout.engine.host, port: layout.engine.port });
  try {
    const sides = {
      direct: [direct, (await direct.authenticate(CREDENTIALS, { headers: HEADERS })).sessionId] as [EngineClient, string],
      gateway: [viaGateway, (await viaGateway.authenticate(CREDENTIALS, { headers: HEADERS })).sessionId] as [EngineClient, string],
    };
    // Warm up both paths (connections, JIT) before timing anything.
    await compare('warm-up', 200, 2, (client, sessionId) => concurrently(200, 4, () => selectOne(client, sessionId)), sides, null);
    return [
      await compare('healthCheck sequential', SEQUENTIAL_OPS, ROUNDS, (client) => concurrently(SEQUENTIAL_OPS, 1, () => healthCheck(client)), sides, cpu),
      await compare(
        `healthCheck ${IN_FLIGHT} in flight`,
        CONCURRENT_OPS,
        ROUNDS,
        (client) => concurrently(CONCURRENT_OPS, IN_FLIGHT, () => healthCheck(client)),
        sides,
        cpu,
      ),
      await compare(
        'SELECT 1 round trip sequential',
        SEQUENTIAL_QUERIES,
        ROUNDS,
        (client, id) => concurrently(SEQUENTIAL_QUERIES, 1, () => selectOne(client, id)),
        sides,
        cpu,
      ),
      await compare(
        `SELECT 1 round trip ${IN_FLIGHT} in flight`,
        CONCURRENT_QUERIES,
        ROUNDS,
        (client, id) => concurrently(CONCURRENT_QUERIES, IN_FLIGHT, () => selectOne(client, id)),
        sides,
        cpu,
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
        'in one process: ops/s straight to the blue engine and through the gateway (median of alternating rounds)',
        await measureLayout({ engine: cluster.engines.blue, gateway: cluster }, processCpu),
      );
    } finally {
      await cluster.close();
    }
    // 2. Gateway and engines in their own processes, as a load balancer and engines are.
    const launched = await launchMockClusterProcesses();
    try {
      const blue = launched.process('blue');
      const gatewayProcess = launched.process('gateway');
      if (blue === null || gatewayProcess === null) throw new Error('the blue engine or the gateway process is not running');
      report(
        'separate processes: ops/s straight to the blue engine process and through the gateway process',
        await measureLayout({ engine: blue, gateway: launched }, processCpuOf(gatewayProcess.pid)),
      );
    } finally {
      await launched.close();
    }
  },
};

export default suite;
