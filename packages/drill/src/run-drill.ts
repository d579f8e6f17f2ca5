// One drill run: target, connection, workload, cutovers, live view, report.
import { readFileSync } from 'node:fs';
import { AdminClient, type MockCluster, type PhaseChange, seededRandom, startMockCluster } from '@e6data-ts/mock-engine';
import { type DrillClient, type DrillClientEvent } from './drill-client';
import { DrillError } from './drill-error';
import { type DrillOptions } from './drill-options';
import { type LiveSnapshot, type LiveView, silentView } from './live-view';
import { driveForDrill, drillClusterOptions, type MockDriver } from './mock-driver';
import { cutoversFromEvents } from './observed-cutovers';
import { type CutoverRecord, cutoversFromHistory, livePhase } from './phases';
import { QUERY_CLASSES } from './query-class';
import { buildReport, type ChaosEvent, type DrillReport, type ReportTarget, zeroCounts } from './report';
import { startWorkload } from './workload';

/** How to reach the cluster, as the connector needs it. */
export interface ClientSettings {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly secure: boolean;
  readonly caCert: Buffer | null;
  readonly cluster: string | null;
  readonly rerunOnLoss: boolean;
  readonly queryTimeoutMs: number;
}

/** Opens the drill's connection (the connector in production, a fake in tests). */
export type ClientFactory = (settings: ClientSettings) => Promise<DrillClient>;

/** What runDrill is given from outside: the client factory, environment, live view, abort signal, warnings and the cluster starter. */
export interface RunDrillDeps {
  readonly connectClient: ClientFactory;
  readonly env?: NodeJS.ProcessEnv;
  readonly view?: LiveView;
  /** Aborted on SIGINT: the workload stops early and the report is still built. */
  readonly signal?: AbortSignal;
  /** Warnings (a driven action that failed); never carries a secret. */
  readonly warn?: (message: string) => void;
  /** Starts the mock target; default startMockCluster. */
  readonly startCluster?: typeof startMockCluster;
}

const VIEW_TICK_MS = 200;
const ADMIN_TIMEOUT_MS = 5_000;

/** Credentials of a real target from the environment; never echoed. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): { username: string; password: string } {
  const username = env.E6DATA_USERNAME;
  const password = env.E6DATA_PASSWORD;
  if (username === undefined || username === '') throw new DrillError('TARGET_FAILED', '--target needs E6DATA_USERNAME in the environment');
  if (password === undefined || password === '') throw new DrillError('TARGET_FAILED', '--target needs E6DATA_PASSWORD in the environment');
  return { username, password };
}

function sleepUntil(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs the drill described by `options` and returns its report. Closes everything it opened. */
export async function runDrill(options: DrillOptions, deps: RunDrillDeps): Promise<DrillReport> {
  const view = deps.view ?? silentView;
  const warn = deps.warn ?? ((): void => undefined);
  let cluster: MockCluster | null = null;
  let client: DrillClient | null = null;
  let driver: MockDriver | null = null;
  try {
    let settings: ClientSettings;
    let target: ReportTarget;
    const common = { rerunOnLoss: options.rerunOnLoss, queryTimeoutMs: options.queryTimeoutMs };
    if (options.target === null) {
      cluster = await (deps.startCluster ?? startMockCluster)(drillClusterOptions(options));
      const user = cluster.users[0];
      if (user === undefined) throw new DrillError('TARGET_FAILED', 'the mock cluster has no user');
      settings = { host: cluster.host, port: cluster.port, username: user.user, password: user.token, secure: false, caCert: null, cluster: null, ...common };
      target = { kind: 'mock', address: cluster.address };
    } else {
      const { username, password } = credentialsFromEnv(deps.env ?? process.env);
      let caCert: Buffer | null = null;
      if (options.caFile !== null) {
        try {
          caCert = readFileSync(options.caFile);
        } catch (err) {
          throw new DrillError('TARGET_FAILED', `--ca: cannot read the CA file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
        }
      }
      settings = { host: options.target.host, port: options.target.port, username, password, secure: options.tls, caCert, cluster: options.cluster, ...common };
      target = { kind: 'remote', address: `${options.target.host}:${options.target.port}` };
    }

    client = await deps.connectClient(settings);
    const runStartEpoch = Date.now();
    const strategyChanges: Array<Extract<DrillClientEvent, { type: 'strategyChange' }>> = [];
    const retriesByReason: Record<string, number> = {};
    let lastLive = '-';
    const unsubscribe = client.subscribe((event) => {
      switch (event.type) {
        case 'detect':
          lastLive = event.strategy;
          break;
        case 'retry':
          retriesByReason[event.reason] = (retriesByReason[event.reason] ?? 0) + 1;
          break;
        case 'strategyChange':
          strategyChanges.push({ ...event, at: event.at - runStartEpoch });
          lastLive = event.pending ?? event.to ?? lastLive;
          break;
        case 'queryLost':
          break;
      }
    });

    const counts = zeroCounts(QUERY_CLASSES);
    const workload = startWorkload({
      client,
      queries: options.queries,
      workers: options.workers,
      rate: options.rate,
      queryTimeoutMs: options.queryTimeoutMs,
      random: seededRandom(options.seed),
      onSample: (sample) => {
        counts[sample.cls] += 1;
      },
    });

    let chaos: ChaosEvent[] = [];
    if (cluster !== null) ({ driver, chaos } = driveForDrill(cluster, options, warn));

    const finishedAt: Array<{ t: number; n: number }> = [];
    const snapshot = (): LiveSnapshot => {
      const elapsedMs = performance.now() - workload.origin;
      const progress = workload.progress();
      finishedAt.push({ t: elapsedMs, n: progress.finished });
      while (finishedAt.length > 2 && (finishedAt[1]?.t ?? 0) <= elapsedMs - 1_000) finishedAt.shift();
      const oldest = finishedAt[0] ?? { t: 0, n: 0 };
      const span = Math.max(1, elapsedMs - oldest.t);
      const state = cluster?.state();
      return {
        elapsedMs,
        durationMs: options.durationMs,
        queriesPerSecond: ((progress.finished - oldest.n) * 1_000) / span,
        inFlight: progress.inFlight,
        phase: state === undefined ? 'observed' : livePhase(state.phase, state.history.at(-1)?.at ?? 0, Date.now()),
        live: state === undefined ? lastLive : state.live,
        counts,
        dropped: progress.dropped,
      };
    };
    const ticker = setInterval(() => view.update(snapshot()), VIEW_TICK_MS);
    view.update(snapshot());

    await sleepUntil(options.durationMs, deps.signal);
    const interrupted = deps.signal?.aborted === true;
    clearInterval(ticker);
    await driver?.stop();
    const stopped = await workload.stop(options.stopWaitMs);
    const durationMs = performance.now() - workload.origin;
    view.update(snapshot());
    view.stop();
    unsubscribe();

    let cutovers: CutoverRecord[];
    if (cluster !== null) {
      cutovers = cutoversFromHistory(cluster.state().history, runStartEpoch, driver?.modes);
    } else if (options.observeAdmin !== null) {
      cutovers = await historyFromAdmin(options.observeAdmin, runStartEpoch, warn, strategyChanges);
    } else {
      cutovers = cutoversFromEvents(strategyChanges);
    }
    return buildReport({
      startedAtMs: runStartEpoch,
      durationMs,
      target,
      options,
      samples: stopped.samples,
      dropped: stopped.dropped,
      cutovers,
      chaos,
      detections: client.detections(),
      retriesByReason,
      interrupted,
    });
  } finally {
    await driver?.stop();
    await client?.close().catch((err: unknown) => warn(`closing the connection failed: ${err instanceof Error ? err.message : String(err)}`));
    await cluster?.close();
  }
}

async function historyFromAdmin(
  url: string,
  runStartEpoch: number,
  warn: (message: string) => void,
  fallback: Parameters<typeof cutoversFromEvents>[0],
): Promise<CutoverRecord[]> {
  try {
    const state = await new AdminClient(url, { timeoutMs: ADMIN_TIMEOUT_MS }).state();
    const history: readonly PhaseChange[] = state.history;
    return cutoversFromHistory(history, runStartEpoch);
  } catch (err) {
    warn(`--observe-admin: cannot read the phase history (${err instanceof Error ? err.message : String(err)}); using the cutovers the connector saw`);
    return cutoversFromEvents(fallback);
  }
}
