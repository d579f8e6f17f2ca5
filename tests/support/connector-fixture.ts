// A mock cluster for connector tests, with a fresh blue/green registry per
// test (so no test inherits another's detected strategy), the connections a
// test opens tracked, and the leak check run after every test.
import { connect, type Connection, type ConnectOptions } from '@e6data-ts/connector';
import { DEFAULT_USERS, startMockCluster, type MockCluster, type MockClusterOptions } from '@e6data-ts/mock-engine';
import { silentStrategyLogger, StrategyRegistry, type Strategy } from '@e6data-ts/strategy-core';
import { expectNoLeaks } from './connector-leaks';

const [USER] = DEFAULT_USERS;

export interface ConnectorHarness {
  readonly cluster: MockCluster;
  /** This test's registry: every connection of the test shares its stores. */
  readonly registry: StrategyRegistry;
  /** Options for the cluster's gateway with this test's registry, plus `extra`. */
  options(extra?: Partial<ConnectOptions>): ConnectOptions;
  /** connect() with options(extra); the connection is closed and checked after the test. */
  connect(extra?: Partial<ConnectOptions>): Promise<Connection>;
  /** Queries the engines are expected to still hold after this test (lost to a hard switch). */
  expectStranded(counts: Partial<Record<Strategy, number>>): void;
}

export interface ConnectorClusterOptions {
  /** 'each' (the default): a fresh cluster per test, for tests that deploy, suspend or set fail points; 'all': one per block. */
  per?: 'all' | 'each';
}

/** Starts a mock cluster for the enclosing describe block; the returned function gives this test's harness. */
export function useConnectorCluster(clusterOptions: MockClusterOptions = {}, options: ConnectorClusterOptions = {}): () => ConnectorHarness {
  const per = options.per ?? 'each';
  let cluster: MockCluster | undefined;
  let harness: ConnectorHarness | undefined;
  let connections: Connection[] = [];
  let stranded: Partial<Record<Strategy, number>> = {};

  const start = async (): Promise<void> => {
    cluster = await startMockCluster(clusterOptions);
  };
  const stop = async (): Promise<void> => {
    const running = cluster;
    cluster = undefined;
    await running?.close();
  };

  if (per === 'all') {
    beforeAll(start, 60_000);
    afterAll(stop, 30_000);
  }

  beforeEach(async () => {
    if (per === 'each') await start();
    const running = cluster!;
    running.failPoints.clearAll();
    running.resetCalls();
    const registry = new StrategyRegistry({ logger: silentStrategyLogger });
    connections = [];
    stranded = {};
    const optionsFor = (extra: Partial<ConnectOptions> = {}): ConnectOptions => ({
      host: running.host,
      port: running.port,
      username: USER!.user,
      password: USER!.token,
      strategyRegistry: registry,
      ...extra,
    });
    harness = {
      cluster: running,
      registry,
      options: optionsFor,
      connect: async (extra) => {
        const connection = await connect(optionsFor(extra));
        connections.push(connection);
        return connection;
      },
      expectStranded: (counts) => {
        stranded = counts;
      },
    };
  }, 60_000);

  afterEach(async () => {
    const running = cluster;
    const current = harness;
    harness = undefined;
    try {
      if (running !== undefined && current !== undefined) {
        running.failPoints.clearAll();
        await expectNoLeaks({ cluster: running, registry: current.registry, connections, strandedOn: stranded });
      }
    } finally {
      if (per === 'each') await stop();
    }
  }, 30_000);

  return () => {
    if (harness === undefined) throw new Error('the connector harness exists only inside a test');
    return harness;
  };
}
