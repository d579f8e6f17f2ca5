import { STRATEGIES, type Strategy } from '@e6data-ts/strategy-core';
import { type AdminServer, startAdminServer } from '../admin/admin-server';
import { renderMetrics } from '../admin/metrics';
import { DeploymentController } from '../deployment/deployment-controller';
import { describePhase } from '../deployment/deployment-phase';
import { type DeployOptions, type DeployResult, type DeployTrigger, type DeploymentHandle } from '../deployment/deployment-types';
import { ListenError, listenFailureOf, MockClusterError } from '../errors';
import { FailPoints } from '../fail-points/fail-point-registry';
import { CallLog, type CallLogSnapshot } from '../gateway/call-log';
import { type Gateway, type GatewayTls, startGateway } from '../gateway/gateway-server';
import { type EngineAddress } from '../gateway/upstream-pool';
import { type ClusterLogger, silentLogger } from '../logger';
import { type Clock, systemClock, TimerGroup, type Timers } from '../timers';
import { ClusterPower, type PowerStatus } from './cluster-power';
import { type ClusterState, type DeploymentInfo } from './cluster-state';
import { type ClusterUser, DEFAULT_USERS } from './credentials';

/** Options of the cluster's control side: gateway, deployment controller, fail points, admin API. */
export interface ClusterGatewayOptions {
  /** Where each deployment's engine listens. */
  engines: Readonly<Record<Strategy, EngineAddress>>;
  /** Gateway interface. Default 127.0.0.1. */
  host?: string;
  /** Gateway port. Default 0 (ephemeral). */
  port?: number;
  /** Admin API interface. Default 127.0.0.1. */
  adminHost?: string;
  /** Admin API port. Default 0 (ephemeral). */
  adminPort?: number;
  /** Users the ClusterService accepts. Default: the mock's default user. */
  users?: readonly ClusterUser[];
  /** The deployment live at start. Default `blue`. */
  live?: Strategy;
  /** When set, a graceful deployment to the other side starts this long after the cluster last became stable. */
  switchEveryMs?: number;
  /** Time from ClusterService `resume` to `active`. Default 0. */
  resumeDelayMs?: number;
  /** Default announce time of graceful deployments. */
  announceMs?: number;
  /** Default drain time of graceful deployments. */
  drainMs?: number;
  /** Serve clients over TLS with this PEM key and certificate. Default: plaintext. */
  tls?: GatewayTls;
  /** End a drain early when the old engine holds no query (needs `activeQueries`). Default false. */
  endDrainWhenIdle?: boolean;
  /** Queries an engine holds, when the engine runs in this process; null otherwise. */
  activeQueries?: (deployment: Strategy) => number | null;
  /** Call records kept by the call log. Default 1,000. */
  callLogLimit?: number;
  /** Random source of probabilistic fail points without a seed. Default Math.random. */
  random?: () => number;
  clock?: Clock;
  timers?: Timers;
  logger?: ClusterLogger;
}

/** The control side of a running cluster. */
export interface ClusterGateway {
  /** Gateway host and port: what clients connect to. */
  readonly host: string;
  readonly port: number;
  /** `host:port` of the gateway. */
  readonly address: string;
  /** Base URL of the admin API. */
  readonly adminUrl: string;
  readonly users: readonly ClusterUser[];
  readonly failPoints: FailPoints;
  readonly callLog: CallLog;
  state(): ClusterState;
  /** Starts a deployment; resolves when the cluster is stable again. */
  deploy(options?: DeployOptions): Promise<DeployResult>;
  /** Starts a deployment and returns its handle at once. */
  startDeploy(options?: DeployOptions, trigger?: DeployTrigger): DeploymentHandle;
  /** Suspends the cluster: engine calls get HTTP 503 until resumed. */
  suspend(): PowerStatus;
  /** Starts resuming (with the resume delay); resolves when the cluster is active. */
  resume(): Promise<void>;
  calls(): CallLogSnapshot;
  resetCalls(): void;
  /** The Prometheus text served at `GET /metrics`. */
  metrics(): string;
  close(): Promise<void>;
}

/** Starts gateway and admin API in front of engines that already listen at `options.engines`. */
export async function startClusterGateway(options: ClusterGatewayOptions): Promise<ClusterGateway> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const timers = new TimerGroup(options.timers);
  const users = options.users ?? DEFAULT_USERS;
  const activeQueries = options.activeQueries ?? ((): null => null);
  const controller = new DeploymentController({
    live: options.live,
    announceMs: options.announceMs,
    drainMs: options.drainMs,
    switchEveryMs: options.switchEveryMs,
    endDrainWhenIdle: options.endDrainWhenIdle,
    activeQueries,
    clock,
    timers,
    logger,
  });
  const power = new ClusterPower({ resumeDelayMs: options.resumeDelayMs, timers, logger });
  const failPoints = new FailPoints({ random: options.random });
  const callLog = new CallLog({ limit: options.callLogLimit, clock });

  const state = (): ClusterState => {
    const deployments = Object.fromEntries(
      STRATEGIES.map((name): [Strategy, DeploymentInfo] => [name, { ...options.engines[name], activeQueries: activeQueries(name) }]),
    ) as Record<Strategy, DeploymentInfo>;
    const status = power.status();
    return { ...controller.state(), power: status, suspended: status !== 'active', deployments };
  };

  let gateway: Gateway | undefined;
  let admin: AdminServer | undefined;
  const stopAll = async (): Promise<void> => {
    controller.close();
    power.close();
    timers.cancelAll();
    await Promise.all([gateway?.close(), admin?.close()]);
  };

  try {
    gateway = await startGateway({
      host: options.host,
      port: options.port,
      engines: options.engines,
      controller,
      power,
      failPoints,
      callLog,
      users,
      clock,
      timers,
      logger,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    });
    admin = await startAdminServer({
      host: options.adminHost,
      port: options.adminPort,
      logger,
      backend: {
        state,
        startDeploy: (deploy, trigger) => controller.start(deploy, trigger),
        suspend: () => power.suspend(),
        resume: () => power.resume(),
        failPoints,
        callLog,
      },
    });
  } catch (err) {
    await stopAll();
    // The admin API names itself; a listen failure of the gateway is named here, where the part is known.
    if (err instanceof ListenError) throw err;
    if (admin === undefined && gateway === undefined && listenFailureOf(err) !== 'other') {
      throw new ListenError('gateway', options.host ?? '127.0.0.1', options.port ?? 0, err);
    }
    throw new MockClusterError('LAUNCH_FAILED', `the cluster gateway could not start: ${(err as Error).message}`, { cause: err });
  }

  const startedGateway = gateway;
  const startedAdmin = admin;
  let closing: Promise<void> | null = null;
  logger.info('cluster gateway ready', {
    gateway: `${startedGateway.host}:${startedGateway.port}`,
    admin: startedAdmin.url,
    phase: describePhase(controller.phase()),
  });
  return {
    host: startedGateway.host,
    port: startedGateway.port,
    address: `${startedGateway.host}:${startedGateway.port}`,
    adminUrl: startedAdmin.url,
    users,
    failPoints,
    callLog,
    state,
    deploy: (deploy = {}) => controller.deploy(deploy, 'code'),
    startDeploy: (deploy = {}, trigger = 'code') => controller.start(deploy, trigger),
    suspend: () => power.suspend(),
    resume: async () => {
      power.resume();
      await power.whenActive();
    },
    calls: () => callLog.snapshot(),
    resetCalls: () => callLog.reset(),
    metrics: () => renderMetrics({ state: state(), calls: callLog.snapshot().counts, failPoints: failPoints.list() }),
    close: () => (closing ??= stopAll()),
  };
}
