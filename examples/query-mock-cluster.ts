// Runs a query against an e6data endpoint with the wire layer alone (no
// connector): authenticate, prepare, execute, read metadata and batches, clear.
// By default it starts the in-process mock cluster; give HOST:PORT to talk to
// a running one (e.g. the gateway `pnpm mock-engine` prints).
//
//   pnpm tsx examples/query-mock-cluster.ts [HOST:PORT] ["SQL"]
import { classifyError, createEngineClient, decodeChunk, decodeResultMetadata, type CallHeaders, type EngineClient } from '@e6data-ts/grpc-transport';
import { DEFAULT_USERS, startMockCluster } from '@e6data-ts/mock-engine';

async function main(): Promise<void> {
  const [target, sql = 'SELECT * FROM mock_table LIMIT 3'] = process.argv.slice(2);
  const cluster = target ? null : await startMockCluster();
  const [host, port] = target ? splitTarget(target) : [cluster!.host, cluster!.port];
  const client = createEngineClient({ host, port });
  const user = DEFAULT_USERS[0]!;
  try {
    const { strategy, sessionId } = await detect(client, user.user, user.token);
    console.log(`live deployment: ${strategy}`);
    const headers: CallHeaders = { strategy };
    const prepared = await client.prepareStatementV2(
      { sessionId, schema: 'sales', catalog: 'e6data', queryString: sql, quoting: '' },
      { headers },
    );
    const query = { engineIP: prepared.engineIP, sessionId, queryId: prepared.queryId };
    const perQuery: CallHeaders = { ...headers, plannerIp: prepared.engineIP };
    try {
      await client.executeStatementV2({ ...query, shouldNotCache: false, params: [] }, { headers: perQuery });
      const metadata = decodeResultMetadata((await client.getResultMetadata(query, { headers: perQuery })).resultMetaData);
      console.log(metadata.columns.map((c) => `${c.name}:${c.type}`).join(', '));
      for (;;) {
        const { resultBatch } = await withRetry(() => client.getNextResultBatch(query, { headers: perQuery }));
        if (resultBatch.length === 0) break;
        for (const row of decodeChunk(resultBatch).rows) console.log(row);
      }
    } finally {
      // Free the query on the engine even when a fetch failed.
      await client.clear(query, { headers: perQuery });
    }
  } finally {
    client.close();
    await cluster?.close();
  }
}

const BATCH_ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 100;

/**
 * Runs `call`, trying again after a transient failure (an engine restarting, a
 * dropped connection) as a client would: at most BATCH_ATTEMPTS times, waiting
 * 100, 200, 400 ms between. Anything else fails at once. A batch fetch may be
 * retried here because the mock's fail points refuse a call before the engine
 * reads a batch; the connector decides that per failure.
 */
async function withRetry<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (classifyError(err) !== 'transient' || attempt === BATCH_ATTEMPTS) throw err;
      const waitMs = FIRST_BACKOFF_MS * 2 ** (attempt - 1);
      // The error names the call: "getNextResultBatch: engine unavailable [...]".
      console.log(`${err instanceof Error ? err.message : String(err)}; retry ${attempt} of ${BATCH_ATTEMPTS - 1} in ${waitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** Authenticates on blue, then on green when blue answers 456 (the detection docs/wire.md section 5 describes). */
async function detect(client: EngineClient, user: string, password: string): Promise<{ strategy: 'blue' | 'green'; sessionId: string }> {
  for (const strategy of ['blue', 'green'] as const) {
    try {
      const { sessionId } = await client.authenticate({ user, password }, { headers: { strategy } });
      return { strategy, sessionId };
    } catch (err) {
      if (classifyError(err) !== 'strategy-mismatch' || strategy === 'green') throw err;
    }
  }
  throw new Error('unreachable');
}

function splitTarget(target: string): [string, number] {
  const at = target.lastIndexOf(':');
  const port = Number(target.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`expected HOST:PORT, got '${target}'`);
  return [target.slice(0, at), port];
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
