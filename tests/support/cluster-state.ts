// A ClusterState value for tests that need one without running a cluster.
import { type ClusterState } from '@e6data-ts/mock-engine';

/** Stable on blue, active, nothing deployed or running yet; `overrides` replace whole fields. */
export function clusterState(overrides: Partial<ClusterState> = {}): ClusterState {
  return {
    phase: 'stable',
    live: 'blue',
    next: null,
    draining: null,
    deployment: null,
    completed: 0,
    switchEveryMs: null,
    nextScheduledAt: null,
    history: [],
    power: 'active',
    suspended: false,
    deployments: {
      blue: { host: '127.0.0.1', port: 1, activeQueries: 0 },
      green: { host: '127.0.0.1', port: 2, activeQueries: 0 },
    },
    ...overrides,
  };
}
