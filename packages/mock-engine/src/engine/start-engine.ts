import { Server, ServerCredentials } from '@grpc/grpc-js';
import { engineServiceDefinition } from '@e6data-ts/grpc-transport';
import { type Strategy } from '@e6data-ts/strategy-core';
import { EngineDatabase } from './engine-database';
import { EngineError, messageOf } from './engine-error';
import { resolveEngineOptions, type EngineOptions } from './engine-options';
import { EngineService } from './engine-service';
import { createServiceAdapter, type ServiceAdapter } from './grpc-adapter';
import { QueryRegistry } from './query-registry';
import { SessionStore } from './session-store';

/** A running mock engine: its name and address, the announcement it adds to responses, what it holds, and close(). */
export interface MockEngine {
  readonly name: 'blue' | 'green';
  readonly host: string;
  readonly port: number;
  /** While set, every response of every type carries new_strategy = next. */
  setAnnouncedStrategy(next: 'blue' | 'green' | null): void;
  announcedStrategy(): 'blue' | 'green' | null;
  /** Queries prepared and not yet cleared/cancelled. */
  activeQueryCount(): number;
  /** The ids of those queries, for tests that check which ones a client left behind. */
  activeQueryIds(): string[];
  hasQuery(queryId: string): boolean;
  sessionCount(): number;
  /** Stops accepting, cancels running DuckDB work, frees everything; idempotent. */
  close(): Promise<void>;
}

/**
 * Queries outlive an expired session for a while: a client answered 'Access
 * denied' logs in again and carries on with its query (docs/zero-downtime.md rule 7). Only a
 * query untouched for twice the session idle time counts as abandoned.
 */
const QUERY_IDLE_FACTOR = 2;

/** How long close() lets calls in flight finish before cutting them off. */
const SHUTDOWN_GRACE_MS = 2_000;

function listenAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

function bind(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
  });
}

/** Resolves after `ms`, or at once when `done` settles first; leaves no timer behind. */
function withinGrace(done: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([done.then(() => undefined), expired]).finally(() => clearTimeout(timer));
}

/**
 * Starts a mock e6data engine: a grpc-js QueryEngineService over an embedded,
 * seeded DuckDB. Resolves once it listens (read the port back for port 0).
 */
export async function startEngine(options: EngineOptions): Promise<MockEngine> {
  const resolved = resolveEngineOptions(options);
  const { name, host, logger, clock } = resolved;
  const database = await EngineDatabase.open({ seed: resolved.seed, mockTableRows: resolved.mockTableRows, initSql: resolved.initSql });
  const sessions = new SessionStore({ users: resolved.users, idleMs: resolved.sessionIdleMs, clock });
  const queries = new QueryRegistry(name);
  let announced: Strategy | null = null;
  let closing = false;

  const service = new EngineService({
    name,
    engineIP: host,
    sessions,
    queries,
    database,
    context: { deployment: name, batchRows: resolved.batchRows, clock, database },
    queryIdleMs: resolved.sessionIdleMs * QUERY_IDLE_FACTOR,
    clock,
    closing: () => closing,
  });
  const adapter: ServiceAdapter = createServiceAdapter({ deployment: name, handlers: service, announced: () => announced, closing: () => closing, logger });
  const server = new Server();
  server.addService(engineServiceDefinition(), adapter.implementation);

  let port: number;
  try {
    port = await bind(server, listenAddress(host, resolved.port));
  } catch (error) {
    server.forceShutdown();
    database.close();
    throw new EngineError('INVALID_OPTION', `deployment ${name} cannot listen on ${listenAddress(host, resolved.port)}: ${messageOf(error)}`, { cause: error });
  }
  logger.info('engine listening', { deployment: name, host, port });

  let closed: Promise<void> | undefined;
  const shutdown = async (): Promise<void> => {
    closing = true;
    // Interrupt DuckDB first: a call blocked in a long query then ends at once instead of holding shutdown up.
    await Promise.all(
      queries.all().map((query) => {
        queries.end(query, 'cancelled');
        return query.cancel();
      }),
    );
    await withinGrace(new Promise<void>((resolve) => server.tryShutdown(() => resolve())), SHUTDOWN_GRACE_MS);
    server.forceShutdown();
    // Handlers still running (a prepare racing the shutdown) finish before DuckDB goes away under them.
    await withinGrace(Promise.allSettled([...adapter.inFlight]), SHUTDOWN_GRACE_MS);
    sessions.clear();
    database.close();
    logger.info('engine closed', { deployment: name });
  };

  return {
    name,
    host,
    port,
    setAnnouncedStrategy(next: Strategy | null): void {
      if (next !== null && next !== 'blue' && next !== 'green') {
        throw new EngineError('INVALID_OPTION', `announced strategy must be 'blue', 'green' or null, got ${JSON.stringify(next)}`);
      }
      announced = next;
      logger.info('announced strategy set', { deployment: name, next });
    },
    announcedStrategy: () => announced,
    activeQueryCount: () => queries.size,
    activeQueryIds: () => queries.all().map((query) => query.id),
    hasQuery: (queryId: string) => queries.has(queryId),
    sessionCount: () => sessions.count(),
    close(): Promise<void> {
      closed ??= shutdown();
      return closed;
    },
  };
}
