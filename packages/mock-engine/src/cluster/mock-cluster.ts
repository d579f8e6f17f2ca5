import { STRATEGIES, type Strategy } from '@e6data-ts/strategy-core';
import { type MockEngine, type MockUser, startEngine } from '../engine';
import { MockClusterError } from '../errors';
import { type ClusterGateway, type ClusterGatewayOptions, startClusterGateway } from './cluster-gateway';
import { DEFAULT_USERS } from './credentials';

/** The cluster gateway's options plus how the two engines it starts are set up. */
export interface MockClusterOptions extends Omit<ClusterGatewayOptions, 'engines' | 'activeQueries'> {
  /** Host the engines listen on. Default 127.0.0.1. */
  engineHost?: string;
  /** Rows per result batch. */
  batchRows?: number;
  /** Idle time after which an engine forgets a session (clients then see `Access denied`). */
  sessionIdleMs?: number;
  /** SQL each engine runs at start, after the seeded data set. */
  initSql?: string[];
  /** Rows of the seeded `mock_table`. */
  mockTableRows?: number;
}

/** A whole mock cluster in this process: two engines, the gateway and the admin API. */
export interface MockCluster extends ClusterGateway {
  readonly engines: Readonly<Record<Strategy, MockEngine>>;
}

/**
 * Starts the blue and green engines, then the gateway and admin API in front
 * of them, every one on an ephemeral port unless told otherwise. Close it
 * with `close()`; a failed start closes whatever had started.
 */
export async function startMockCluster(options: MockClusterOptions = {}): Promise<MockCluster> {
  const users = options.users ?? DEFAULT_USERS;
  const started = await Promise.allSettled(
    STRATEGIES.map((name) =>
      startEngine({
        name,
        host: options.engineHost ?? '127.0.0.1',
        port: 0,
        users: users.map((user): MockUser => ({ user: user.user, token: user.token })),
        batchRows: options.batchRows,
        sessionIdleMs: options.sessionIdleMs,
        initSql: options.initSql,
        mockTableRows: options.mockTableRows,
        clock: options.clock,
        logger: options.logger,
      }),
    ),
  );
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  const [blue, green] = running;
  if (failed !== undefined || blue === undefined || green === undefined) {
    await Promise.all(running.map((engine) => engine.close()));
    const reason: unknown = failed?.reason;
    throw new MockClusterError('LAUNCH_FAILED', `the mock engines could not start: ${reason instanceof Error ? reason.message : String(reason)}`, {
      cause: reason,
    });
  }
  const engines: Record<Strategy, MockEngine> = { blue, green };
  let gateway: ClusterGateway;
  try {
    gateway = await startClusterGateway({
      ...options,
      users,
      engines: {
        blue: { host: blue.host, port: blue.port },
        green: { host: green.host, port: green.port },
      },
      activeQueries: (name) => engines[name].activeQueryCount(),
    });
  } catch (err) {
    await Promise.all([blue.close(), green.close()]);
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    ...gateway,
    engines,
    close: () =>
      (closing ??= (async (): Promise<void> => {
        // The gateway first, so no call reaches an engine that is shutting down.
        await gateway.close();
        await Promise.all([blue.close(), green.close()]);
      })()),
  };
}
