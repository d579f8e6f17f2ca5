// Drives the mock cluster through a run: starts the planned cutovers and
// switches the chaos fail points on and off on time.
import { type DeployOptions, type DeploymentHandle, type FailPointSpec } from '@e6data-ts/mock-engine';
import { type MockClusterOptions, seededRandom } from '@e6data-ts/mock-engine';
import { planChaos, planCutovers, type PlannedCutover } from './cutover-plan';
import { type DrillOptions } from './drill-options';
import { type ChaosEvent } from './report';

/** The part of a mock cluster the driver needs (a MockCluster fits). */
export interface DrivenCluster {
  startDeploy(options?: DeployOptions): DeploymentHandle;
  readonly failPoints: { set(rpc: string, spec: FailPointSpec): unknown; clear(rpc: string): boolean };
  suspend(): unknown;
  resume(): Promise<void>;
}

/** What the mock driver does to the cluster: planned cutovers, chaos events, phase timings and seed. */
export interface MockDriverOptions {
  readonly cluster: DrivenCluster;
  readonly cutovers: readonly PlannedCutover[];
  readonly chaos: readonly ChaosEvent[];
  readonly announceMs: number;
  readonly drainMs: number;
  readonly seed: number;
  /** Called when a driven action fails (the run goes on). */
  readonly onError?: (what: string, err: unknown) => void;
}

/** The methods chaos fails: calls that start work, which the connector may safely send again. */
const CHAOS_METHODS = ['prepareStatementV2', 'prepareStatement'] as const;
const GRPC_INTERNAL = 13;
const GRPC_UNAVAILABLE = 14;

/** The fail point each chaos kind sets (suspend-resume uses the cluster's power instead). */
export function chaosFailPoint(kind: ChaosEvent['kind'], seed: number): FailPointSpec | null {
  switch (kind) {
    case 'access-denied-storm':
      return { mode: { probability: 0.5, seed }, action: { grpcStatus: GRPC_INTERNAL, details: 'Access denied: session expired (drill chaos)' } };
    case 'transient-unavailable':
      return { mode: { probability: 0.3, seed: seed + 1 }, action: { grpcStatus: GRPC_UNAVAILABLE, details: 'engine unavailable (drill chaos)' } };
    case 'suspend-resume':
      return null;
  }
}

/** A running schedule. `stop()` cancels what has not happened and undoes any chaos in force. */
export interface MockDriver {
  /** Modes of the deployments started so far, by the cluster's deployment id. */
  readonly modes: ReadonlyMap<number, 'graceful' | 'hard'>;
  stop(): Promise<void>;
}

/** Starts the schedule now: times in the plans count from this call. */
export function startMockDriver(options: MockDriverOptions): MockDriver {
  const { cluster } = options;
  const timers = new Set<NodeJS.Timeout>();
  const modes = new Map<number, 'graceful' | 'hard'>();
  const activeChaos = new Set<ChaosEvent['kind']>();
  let previous: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const report = options.onError ?? ((): void => undefined);

  const at = (ms: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) action();
    }, Math.max(0, ms));
    timers.add(timer);
  };

  for (const cutover of options.cutovers) {
    at(cutover.atMs, () => {
      // A deployment still running (a slow drain) delays the next instead of failing it.
      previous = previous.then(() => {
        if (stopped) return undefined;
        try {
          const handle = cluster.startDeploy(
            cutover.mode === 'hard' ? { mode: 'hard' } : { mode: 'graceful', announceMs: options.announceMs, drainMs: options.drainMs },
          );
          modes.set(handle.plan.id, cutover.mode);
          return handle.done;
        } catch (err) {
          report('cutover', err);
          return undefined;
        }
      });
    });
  }

  const undo = async (kind: ChaosEvent['kind']): Promise<void> => {
    if (!activeChaos.delete(kind)) return;
    if (kind === 'suspend-resume') await cluster.resume();
    else for (const method of CHAOS_METHODS) cluster.failPoints.clear(method);
  };

  for (const event of options.chaos) {
    at(event.startMs, () => {
      try {
        const spec = chaosFailPoint(event.kind, options.seed);
        if (spec === null) cluster.suspend();
        else for (const method of CHAOS_METHODS) cluster.failPoints.set(method, spec);
        activeChaos.add(event.kind);
      } catch (err) {
        report(event.kind, err);
      }
    });
    at(event.endMs, () => {
      undo(event.kind).catch((err: unknown) => report(event.kind, err));
    });
  }

  return {
    modes,
    stop: async () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const kind of [...activeChaos]) await undo(kind);
    },
  };
}

/** The mock cluster a drill starts: its cutover timings, a short resume delay, a seeded random source. */
export function drillClusterOptions(options: DrillOptions): MockClusterOptions {
  return {
    announceMs: options.announceMs,
    drainMs: options.drainMs,
    // A resume that takes a moment, so the connector's wait for `active` is exercised.
    resumeDelayMs: 250,
    random: seededRandom(options.seed),
  };
}

/** Plans the run's cutovers and chaos and starts driving `cluster` through them now. */
export function driveForDrill(cluster: DrivenCluster, options: DrillOptions, warn: (message: string) => void): { driver: MockDriver; chaos: ChaosEvent[] } {
  const cutovers = planCutovers(options.durationMs, options.cutovers, options.mode);
  const chaos = options.chaos ? planChaos(options.durationMs, cutovers, options.announceMs + options.drainMs) : [];
  const driver = startMockDriver({
    cluster,
    cutovers,
    chaos,
    announceMs: options.announceMs,
    drainMs: options.drainMs,
    seed: options.seed,
    onError: (what, err) => warn(`${what} failed: ${err instanceof Error ? err.message : String(err)}`),
  });
  return { driver, chaos };
}
