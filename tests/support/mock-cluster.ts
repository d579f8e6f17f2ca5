// An in-process mock cluster with a grpc-js client on its gateway: the
// starting point of the mock-engine integration tests.
import { type EngineClient } from '@e6data-ts/grpc-transport';
import { startMockCluster, type MockCluster, type MockClusterOptions } from '@e6data-ts/mock-engine';
import { connectClient } from './connected-client';
import { fixtureView, useFixture, type Closable, type FixtureOptions } from './fixture';

export interface ClusterClient {
  readonly cluster: MockCluster;
  /** Connected to the cluster's gateway. */
  readonly client: EngineClient;
}

/** Starts a cluster and connects a client to its gateway; close() closes both. */
export async function startClusterClient(options: MockClusterOptions = {}): Promise<ClusterClient & Closable> {
  const cluster = await startMockCluster(options);
  return { cluster, ...(await connectClient(cluster)) };
}

/** startClusterClient around the tests of the enclosing describe block; read `cluster` and `client` inside tests and hooks. */
export function useMockCluster(options: MockClusterOptions = {}, fixture: FixtureOptions = {}): ClusterClient {
  const running = useFixture(() => startClusterClient(options), fixture);
  return fixtureView(running, ['cluster', 'client']);
}
