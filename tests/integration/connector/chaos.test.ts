// Seeded chaos against the in-process cluster: workers on two connections and
// a pool read results of known content (whole results, results read in part
// and closed, streams, counts)
// while a driver changes the cluster under them at random. Whatever happens,
// a query that succeeds returns exactly its rows (no row twice, none missing,
// none from another query), a query that fails does so with a typed error
// saying how far it got and, when lost, exactly how many rows the caller had,
// nothing hangs, and the engines are left holding only the queries the
// connector reported leaving. With only what the contract promises to absorb (graceful
// deployments, suspend, access denied, transient failures of repeatable
// calls), nothing fails at all. E6_CHAOS_SEED picks other random runs.
import { type Connection, createPool, E6DataError, type Pool, QueryLostError, type QueryLostEvent, type RetryEvent } from '@e6data-ts/connector';
import { type FailPointSpec, type MockCluster, seededRandom } from '@e6data-ts/mock-engine';
import { useConnectorCluster } from '../../support/connector-fixture';

const BATCH_ROWS = 50;
const WORKERS = 6;
const PHASE_MS = 8_000;
/** No single operation may take longer: past it, it counts as a hang. */
const OP_LIMIT_MS = 20_000;
const GRPC_UNAVAILABLE = 14;
const GRPC_INTERNAL = 13;
const STAGES = ['not-sent', 'rejected', 'ambiguous', 'executed'];
const SEED = Number(process.env.E6_CHAOS_SEED ?? 1);

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: Random, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

/** ids 1..n, as the rows of `SELECT id ... WHERE id <= n ORDER BY id` hold them. */
const ids = (n: number): bigint[] => Array.from({ length: n }, (_, i) => BigInt(i + 1));

interface Outcome {
  readonly op: string;
  readonly error?: unknown;
  /** Rows this operation had been handed when it failed. */
  readonly rowsHeld: number;
}

/** One random operation on `connection`; returns how it ended. Wrong rows throw (the test fails on them). */
async function randomOperation(connection: Connection, random: Random): Promise<Outcome> {
  const n = between(random, 1, 8 * BATCH_ROWS);
  const sql = `SELECT id FROM mock_table WHERE id <= ${n} ORDER BY id`;
  const kind = pick(random, ['query', 'for-await', 'partial', 'stream', 'count'] as const);
  let held: bigint[] = [];
  const take = (rows: unknown[][]): void => {
    held = held.concat(rows.map((row) => row[0] as bigint));
  };
  try {
    if (kind === 'query') {
      const { rows } = await connection.query(sql);
      take(rows);
      expect(held).toEqual(ids(n));
    } else if (kind === 'count') {
      const k = between(random, 2, 9);
      const { rows } = await connection.query(`SELECT COUNT(*) FROM mock_table WHERE id % ${k} = 0`);
      expect(rows).toEqual([[BigInt(Math.floor(10_000 / k))]]);
    } else {
      const cursor = connection.cursor();
      try {
        await cursor.execute(sql);
        if (kind === 'for-await') {
          for await (const row of cursor) take([row]);
          expect(held).toEqual(ids(n));
        } else if (kind === 'stream') {
          for await (const row of cursor.stream()) take([row as unknown[]]);
          expect(held).toEqual(ids(n));
        } else {
          const reads = between(random, 1, 3);
          for (let i = 0; i < reads; i++) take(await cursor.fetchMany(between(random, 1, 2 * BATCH_ROWS)));
          // A prefix of the result, in order: the rest is left unread and the query closed.
          expect(held).toEqual(ids(Math.min(n, held.length)));
        }
      } finally {
        await cursor.close();
      }
    }
    return { op: kind, rowsHeld: held.length };
  } catch (error) {
    if (error instanceof Error && error.name === 'JestAssertionError') throw error;
    return { op: kind, error, rowsHeld: kind === 'query' || kind === 'count' ? 0 : held.length };
  }
}

/** Rejects when `work` takes longer than OP_LIMIT_MS. */
async function bounded<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung for ${OP_LIMIT_MS} ms`)), OP_LIMIT_MS);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

interface ChaosRun {
  readonly outcomes: Outcome[];
  readonly events: string[];
}

/**
 * Workers on `clients` (connections, or pools they borrow from) run random operations while events change the
 * cluster, one after another, for PHASE_MS: each of `kinds` once first (so
 * every kind happens), then kinds picked at random. `event` carries one out
 * and names what it did.
 */
async function runChaos<K extends string>(
  clients: ReadonlyArray<Connection | Pool>,
  seed: number,
  kinds: readonly K[],
  event: (kind: K, random: Random) => Promise<string>,
): Promise<ChaosRun> {
  const outcomes: Outcome[] = [];
  const events: string[] = [];
  let stop = false;
  const workers = Array.from({ length: WORKERS }, async (_, w) => {
    const random = seededRandom(seed * 100 + w);
    const client = clients[w % clients.length]!;
    // A pool's workers borrow a connection for each operation and give it back.
    const operation = (): Promise<Outcome> => ('withConnection' in client ? client.withConnection((connection) => randomOperation(connection, random)) : randomOperation(client, random));
    for (let i = 0; !stop; i++) outcomes.push(await bounded(`worker ${w} operation ${i}`, operation()));
  });
  const driver = (async (): Promise<void> => {
    const random = seededRandom(seed);
    const until = Date.now() + PHASE_MS;
    for (let i = 0; i < kinds.length || Date.now() < until; i++) {
      await new Promise((resolve) => setTimeout(resolve, between(random, 50, 250)));
      events.push(await bounded('a chaos event', event(i < kinds.length ? kinds[i]! : pick(random, kinds), random)));
    }
  })();
  try {
    await driver;
  } finally {
    stop = true;
    await Promise.all(workers);
  }
  return { outcomes, events };
}

/** A fail point that fires once on `rpc`. */
const once = (action: FailPointSpec['action']): FailPointSpec => ({ mode: { times: 1 }, action });

/**
 * A graceful deployment. The mock drains by time, as a real cluster does: its
 * drain outlasts any query here (a few hundred ms at most), so nothing may be lost.
 */
function gracefulDeploy(cluster: MockCluster, random: Random): Promise<string> {
  return cluster.deploy({ mode: 'graceful', announceMs: between(random, 50, 300), drainMs: between(random, 1_500, 2_000) }).then(() => 'graceful deploy');
}

/**
 * Suspends the cluster and waits until a client's auto-resume has made it
 * active again, and a second more: a real cluster is suspended when idle, not
 * again and again while clients resume it (a connector resumes one cluster at
 * most three times per wait, then reports it).
 */
async function suspendUntilResumed(cluster: MockCluster): Promise<string> {
  cluster.suspend();
  while (cluster.state().suspended) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return 'suspend';
}

describe('chaos under load', () => {
  const harness = useConnectorCluster({ batchRows: BATCH_ROWS, resumeDelayMs: 100 });

  test('with only what the contract absorbs (graceful deployments, suspend, access denied, transient failures of repeatable calls), every operation succeeds with exactly its rows', async () => {
    const { cluster } = harness();
    const pool = createPool({ ...harness().options(), max: 2 });
    const clients = [await harness().connect({ rerunOnLoss: true }), await harness().connect(), pool];
    const run = runChaos(clients, SEED, ['graceful', 'suspend', 'access-denied', 'transient'] as const, async (kind, random) => {
      if (kind === 'graceful') return gracefulDeploy(cluster, random);
      if (kind === 'suspend') return suspendUntilResumed(cluster);
      if (kind === 'access-denied') {
        const rpc = pick(random, ['prepareStatementV2', 'executeStatementV2', 'getResultMetadata', 'getNextResultBatch', 'clear']);
        cluster.failPoints.set(rpc, once({ grpcStatus: GRPC_INTERNAL, details: 'Access denied: session expired (chaos)' }));
        return `access denied on ${rpc}`;
      }
      const rpc = pick(random, ['getResultMetadata', 'clear', 'getSchemaNamesV2']);
      cluster.failPoints.set(rpc, once({ grpcStatus: GRPC_UNAVAILABLE, details: 'engine unavailable (chaos)' }));
      return `UNAVAILABLE on ${rpc}`;
    });
    const { outcomes, events } = await run.finally(() => pool.close());
    expect(events.length).toBeGreaterThan(4);
    expect(outcomes.length).toBeGreaterThan(50);
    const failures = outcomes.filter((o) => o.error !== undefined).map((o) => `${o.op}: ${String(o.error)}`);
    expect(failures).toEqual([]);
  }, 60_000);

  test('with hard switches and transient failures anywhere, successes are still exact and every failure is typed, with the rows the caller had', async () => {
    const { cluster } = harness();
    // What the connector says it left on an engine: lost queries, executes abandoned at a 456, frees that failed.
    const reported = new Set<string>();
    const logger = {
      debug: (fields: { queryId?: string }, message: string): void => {
        if (fields.queryId !== undefined && /^e6data: (clear|cancelQuery) failed$/.test(message)) reported.add(fields.queryId);
      },
    };
    const pool = createPool({ ...harness().options({ logger }), max: 2 });
    const clients = [await harness().connect({ rerunOnLoss: true, logger }), await harness().connect({ logger }), pool];
    const onLost = (event: QueryLostEvent): void => void reported.add(event.queryId);
    const onRetry = (event: RetryEvent): void => {
      if (event.method === 'executeStatementV2' && event.reason === 'strategy-mismatch' && event.queryId !== undefined) reported.add(event.queryId);
    };
    for (const connection of clients.slice(0, 2) as Connection[]) connection.on('queryLost', onLost).on('retry', onRetry);
    pool.on('queryLost', onLost).on('retry', onRetry);
    const run = runChaos(clients, SEED + 1_000, ['hard', 'graceful', 'transient', 'suspend'] as const, async (kind, random) => {
      if (kind === 'graceful') return gracefulDeploy(cluster, random);
      if (kind === 'hard') return cluster.deploy({ mode: 'hard' }).then(() => 'hard switch');
      if (kind === 'suspend') return suspendUntilResumed(cluster);
      const rpc = pick(random, ['prepareStatementV2', 'executeStatementV2', 'getResultMetadata', 'getNextResultBatch', 'clear', 'authenticate']);
      cluster.failPoints.set(rpc, once({ grpcStatus: GRPC_UNAVAILABLE, details: 'engine unavailable (chaos)' }));
      return `UNAVAILABLE on ${rpc}`;
    });
    const { outcomes, events } = await run.catch(async (err: unknown) => {
      await pool.close();
      throw err;
    });
    expect(events).toContain('hard switch');
    expect(outcomes.filter((o) => o.error === undefined).length).toBeGreaterThan(50);
    for (const outcome of outcomes.filter((o) => o.error !== undefined)) {
      expect(outcome.error).toBeInstanceOf(E6DataError);
      const error = outcome.error as E6DataError;
      expect(STAGES).toContain(error.stage);
      if (error instanceof QueryLostError) {
        // What the error says the caller had is what this operation had been handed.
        // (The message, the same on both sides, names the query should this fail.)
        expect({ op: outcome.op, rowsHandedOut: error.rowsHandedOut, message: error.message }).toEqual({ op: outcome.op, rowsHandedOut: outcome.rowsHeld, message: error.message });
      }
    }

    // Engines may still hold the queries a hard switch stranded (no client can reach them to free them),
    // and nothing else: each one the connector reported as lost, as abandoned at a 456 on execute
    // (prepared again on the live deployment), or as not freed (clear or cancelQuery refused).
    await Promise.all(clients.map((client) => client.close()));
    const held = (): string[] => [...cluster.engines.blue.activeQueryIds(), ...cluster.engines.green.activeQueryIds()];
    for (let settled = ''; settled !== JSON.stringify(held()); ) {
      settled = JSON.stringify(held());
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(held().filter((queryId) => !reported.has(queryId))).toEqual([]);
    expect(held().length).toBeGreaterThan(0);
    harness().expectStranded({ blue: cluster.engines.blue.activeQueryCount(), green: cluster.engines.green.activeQueryCount() });
  }, 60_000);
});
