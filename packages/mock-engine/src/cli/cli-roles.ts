import { type Strategy } from '@e6data-ts/strategy-core';
import { type ClusterGateway, startClusterGateway } from '../cluster/cluster-gateway';
import { type ClusterUser, DEFAULT_USERS } from '../cluster/credentials';
import { startMockCluster } from '../cluster/mock-cluster';
import { startEngine } from '../engine';
import { type EngineAddress } from '../gateway/upstream-pool';
import { type ClusterLogger } from '../logger';
import { type CliRunOptions, type CommonRunOptions, type ControlRunOptions, type DataRunOptions } from './cli-args';

/** A role that is up: what to print and how to stop it. */
export interface RunningRole {
  /** The machine-readable ready line (printed as JSON with --json). */
  readonly ready: Readonly<Record<string, unknown>>;
  /** The human-readable banner. */
  readonly banner: string;
  close(): Promise<void>;
}

export interface RoleDeps {
  readonly logger: ClusterLogger;
  /** Contents of each --init-sql file, in order. */
  readonly initSql: readonly string[];
  readonly pid: number;
  /** The gateway's TLS certificate and key (PEM), read from --tls-cert and --tls-key. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** Starts what `--role` names with the parsed flags. */
export async function startRole(options: CliRunOptions, deps: RoleDeps): Promise<RunningRole> {
  const users = options.users ?? DEFAULT_USERS;
  switch (options.role) {
    case 'cluster': {
      const cluster = await startMockCluster({ ...controlOptions(options, users, deps), ...dataOptions(options, deps), engineHost: options.host });
      const engines = {
        blue: { host: cluster.engines.blue.host, port: cluster.engines.blue.port },
        green: { host: cluster.engines.green.host, port: cluster.engines.green.port },
      };
      return controlRole('cluster', cluster, engines, users, deps);
    }
    case 'gateway': {
      const gateway = await startClusterGateway({ ...controlOptions(options, users, deps), engines: options.engines });
      return controlRole('gateway', gateway, options.engines, users, deps);
    }
    case 'engine': {
      const engine = await startEngine({
        name: options.name,
        host: options.host,
        port: options.port,
        users: users.map((u) => ({ user: u.user, token: u.token })),
        ...dataOptions(options, deps),
        logger: deps.logger,
      });
      return {
        ready: { event: 'ready', role: 'engine', pid: deps.pid, name: options.name, host: engine.host, port: engine.port },
        banner: [
          `e6data mock engine ${options.name} ready`,
          `  engine    ${engine.host}:${engine.port}`,
          ...credentialLines(users),
          'Stop with Ctrl+C.',
        ].join('\n'),
        close: () => engine.close(),
      };
    }
  }
}

function controlOptions(options: CommonRunOptions & ControlRunOptions, users: readonly ClusterUser[], deps: RoleDeps) {
  return {
    host: options.host,
    port: options.port,
    adminHost: options.adminHost,
    adminPort: options.adminPort,
    users,
    live: options.live,
    ...(options.switchEveryMs === null ? {} : { switchEveryMs: options.switchEveryMs }),
    ...(options.announceMs === null ? {} : { announceMs: options.announceMs }),
    ...(options.drainMs === null ? {} : { drainMs: options.drainMs }),
    ...(options.resumeDelayMs === null ? {} : { resumeDelayMs: options.resumeDelayMs }),
    ...(deps.tls === undefined ? {} : { tls: deps.tls }),
    logger: deps.logger,
  };
}

function dataOptions(options: DataRunOptions, deps: RoleDeps): { batchRows?: number; sessionIdleMs?: number; initSql?: string[] } {
  return {
    ...(options.batchRows === null ? {} : { batchRows: options.batchRows }),
    ...(options.sessionIdleMs === null ? {} : { sessionIdleMs: options.sessionIdleMs }),
    ...(deps.initSql.length === 0 ? {} : { initSql: [...deps.initSql] }),
  };
}

function controlRole(
  role: 'cluster' | 'gateway',
  gateway: ClusterGateway,
  engines: Readonly<Record<Strategy, EngineAddress>>,
  users: readonly ClusterUser[],
  deps: RoleDeps,
): RunningRole {
  const live = gateway.state().live;
  return {
    ready: {
      event: 'ready',
      role,
      pid: deps.pid,
      host: gateway.host,
      port: gateway.port,
      adminUrl: gateway.adminUrl,
      tls: deps.tls !== undefined,
      live,
      engines,
      ...credentials(users),
    },
    banner: [
      role === 'cluster' ? 'e6data mock cluster ready' : 'e6data mock cluster gateway ready',
      `  gateway   ${gateway.address}   (live: ${live}${deps.tls === undefined ? '' : ', TLS'})`,
      `  admin     ${gateway.adminUrl}`,
      `  engines   blue ${engines.blue.host}:${engines.blue.port}, green ${engines.green.host}:${engines.green.port}`,
      ...credentialLines(users),
      'Stop with Ctrl+C.',
    ].join('\n'),
    close: () => gateway.close(),
  };
}

/**
 * The token to show for a user: the mock's well-known default token is shown so
 * a reader can log in; a token given with --users is the operator's own secret
 * and is never echoed (they already know it).
 */
function shownToken(user: ClusterUser): string | null {
  return DEFAULT_USERS.some((d) => d.user === user.user && d.token === user.token) ? user.token : null;
}

/** The first user's name (and the token, when it is the well-known default) for scripts to use. */
function credentials(users: readonly ClusterUser[]): { user: string | null; token: string | null; users: number } {
  const first = users[0];
  return { user: first?.user ?? null, token: first === undefined ? null : shownToken(first), users: users.length };
}

function credentialLines(users: readonly ClusterUser[]): string[] {
  const first = users[0];
  if (first === undefined) return [];
  const more = users.length > 1 ? ` (and ${users.length - 1} more from --users)` : '';
  return [`  user      ${first.user}${more}`, `  token     ${shownToken(first) ?? '(as given with --users)'}`];
}
