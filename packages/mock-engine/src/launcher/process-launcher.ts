import { extname, join } from 'node:path';
import { type Strategy } from '@e6data-ts/strategy-core';
import { type ClusterUser, DEFAULT_USERS } from '../cluster/credentials';
import { InvalidMockOptionError, MockClusterError } from '../errors';
import { ManagedChild, type ReadyLine } from './managed-child';

/** The separately launched parts: one engine per deployment and the gateway (with controller and admin API). */
export type LaunchedRole = Strategy | 'gateway';

/** How launchMockClusterProcesses starts the three processes. */
export interface LaunchOptions {
  /** Interface every part listens on. Default 127.0.0.1. */
  host?: string;
  users?: readonly ClusterUser[];
  live?: Strategy;
  switchEveryMs?: number;
  announceMs?: number;
  drainMs?: number;
  resumeDelayMs?: number;
  batchRows?: number;
  sessionIdleMs?: number;
  initSqlFiles?: readonly string[];
  /** PEM files of a TLS certificate and key: the gateway then serves clients over TLS. */
  tls?: { readonly certFile: string; readonly keyFile: string };
  /** Time each part has to report ready. Default 30 s (TypeScript sources are compiled on the fly). */
  startTimeoutMs?: number;
  /** Working directory of the children; it must resolve `tsx` when running from sources. Default process.cwd(). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Every stderr line of every child (their logs), with the child's role. */
  onStderr?: (role: LaunchedRole, line: string) => void;
}

/** One running part of a launched cluster: role, pid and address. */
export interface LaunchedProcess {
  readonly role: LaunchedRole;
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  /** The child's whole ready line. */
  readonly ready: ReadyLine;
}

/** A cluster running as separate processes: the gateway address, each part, and kill/restart/close. */
export interface LaunchedCluster {
  /** Gateway host and port. */
  readonly host: string;
  readonly port: number;
  readonly address: string;
  readonly adminUrl: string;
  readonly users: readonly ClusterUser[];
  /** The part running as `role`, or null while it is killed. */
  process(role: LaunchedRole): LaunchedProcess | null;
  /** Stops one part (SIGKILL by default: an abrupt crash) and waits for it to exit. */
  kill(role: LaunchedRole, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a killed part again on the same ports (killing it first if it still runs). */
  restart(role: LaunchedRole): Promise<LaunchedProcess>;
  /** Stops every part (SIGTERM, then SIGKILL after a grace period). */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 5_000;
const ROLES: readonly LaunchedRole[] = ['blue', 'green', 'gateway'];

/** How to run the CLI in a child: compiled JavaScript directly, TypeScript sources through tsx. */
export function cliCommand(): { command: string; args: string[] } {
  const extension = extname(__filename);
  const cli = join(__dirname, '..', `cli${extension}`);
  return { command: process.execPath, args: extension === '.ts' ? ['--import', 'tsx', cli] : [cli] };
}

/**
 * Starts the mock cluster as three separate processes (engine blue, engine
 * green, gateway) through the CLI's role flags, each on an ephemeral port,
 * and returns their ports and pids. Any part can be killed and restarted. No
 * child outlives this process: close() stops them, an exit hook kills them,
 * and each child stops when its stdin lifeline closes.
 */
export async function launchMockClusterProcesses(options: LaunchOptions = {}): Promise<LaunchedCluster> {
  const host = options.host ?? '127.0.0.1';
  const users = options.users ?? DEFAULT_USERS;
  if (users.length === 0) throw new InvalidMockOptionError('users', 'needs at least one user');
  const { command, args: baseArgs } = cliCommand();
  const children = new Map<LaunchedRole, ManagedChild>();
  const launched = new Map<LaunchedRole, LaunchedProcess>();
  // Ports stay fixed across restarts so the gateway finds a restarted engine, and clients the gateway.
  const ports = new Map<LaunchedRole, number[]>();

  const killAllNow = (): void => {
    for (const child of children.values()) child.killNow();
  };
  process.on('exit', killAllNow);

  const common = ['--host', host, '--users', users.map((u) => `${u.user}:${u.token}`).join(','), '--json', '--exit-on-stdin-end'];
  const argsFor = (role: LaunchedRole): string[] => {
    const fixed = ports.get(role) ?? [];
    if (role === 'gateway') {
      const blue = launched.get('blue');
      const green = launched.get('green');
      // Engines start first; their ports are known by now (or remembered from their first start).
      const bluePort = blue?.port ?? ports.get('blue')?.[0] ?? 0;
      const greenPort = green?.port ?? ports.get('green')?.[0] ?? 0;
      return [
        '--role',
        'gateway',
        '--engines',
        `blue=${host}:${bluePort},green=${host}:${greenPort}`,
        '--port',
        String(fixed[0] ?? 0),
        '--admin-port',
        String(fixed[1] ?? 0),
        ...optionalFlag('--live', options.live),
        ...optionalFlag('--switch-every', msFlag(options.switchEveryMs)),
        ...optionalFlag('--announce', msFlag(options.announceMs)),
        ...optionalFlag('--drain', msFlag(options.drainMs)),
        ...optionalFlag('--resume-delay', msFlag(options.resumeDelayMs)),
        ...optionalFlag('--tls-cert', options.tls?.certFile),
        ...optionalFlag('--tls-key', options.tls?.keyFile),
        ...common,
      ];
    }
    return [
      '--role',
      'engine',
      '--name',
      role,
      '--port',
      String(fixed[0] ?? 0),
      ...optionalFlag('--batch-rows', options.batchRows?.toString()),
      ...optionalFlag('--session-idle', msFlag(options.sessionIdleMs)),
      ...(options.initSqlFiles ?? []).flatMap((file) => ['--init-sql', file]),
      ...common,
    ];
  };

  const start = async (role: LaunchedRole): Promise<LaunchedProcess> => {
    const child = new ManagedChild({
      label: `mock cluster ${role} process`,
      command,
      args: [...baseArgs, ...argsFor(role)],
      cwd: options.cwd,
      env: options.env,
      startTimeoutMs: options.startTimeoutMs ?? 30_000,
      onStderr: options.onStderr === undefined ? undefined : (line) => options.onStderr?.(role, line),
    });
    children.set(role, child);
    const ready = await child.ready;
    const info: LaunchedProcess = { role, pid: ready.pid, host: ready.host, port: ready.port, ready };
    launched.set(role, info);
    if (role === 'gateway') {
      const adminPort = Number(new URL(String(ready.adminUrl)).port);
      ports.set(role, [ready.port, adminPort]);
    } else {
      ports.set(role, [ready.port]);
    }
    return info;
  };

  const stop = async (role: LaunchedRole, signal: NodeJS.Signals): Promise<void> => {
    const child = children.get(role);
    launched.delete(role);
    if (child === undefined) return;
    if (signal === 'SIGKILL') {
      await child.kill('SIGKILL');
    } else {
      const grace = setTimeout(() => child.killNow(), CLOSE_GRACE_MS);
      await child.kill(signal);
      clearTimeout(grace);
    }
    children.delete(role);
  };

  const closeAll = async (): Promise<void> => {
    // The gateway first, so it does not log every engine going away.
    await stop('gateway', 'SIGTERM');
    await Promise.all([stop('blue', 'SIGTERM'), stop('green', 'SIGTERM')]);
    process.off('exit', killAllNow);
  };

  try {
    await Promise.all([start('blue'), start('green')]);
    await start('gateway');
  } catch (err) {
    await Promise.all(ROLES.map((role) => stop(role, 'SIGKILL')));
    process.off('exit', killAllNow);
    throw MockClusterError.from(err);
  }

  const gateway = launched.get('gateway')!;
  const adminUrl = String(gateway.ready.adminUrl);
  let closing: Promise<void> | null = null;
  return {
    host: gateway.host,
    port: gateway.port,
    address: `${gateway.host}:${gateway.port}`,
    adminUrl,
    users,
    process: (role) => launched.get(role) ?? null,
    kill: (role, signal = 'SIGKILL') => stop(role, signal),
    restart: async (role) => {
      if (closing !== null) throw new MockClusterError('CLOSED', 'the launched cluster is closed');
      await stop(role, 'SIGKILL');
      return start(role);
    },
    close: () => (closing ??= closeAll()),
  };
}

function optionalFlag(flag: string, value: string | undefined): string[] {
  return value === undefined ? [] : [flag, value];
}

function msFlag(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : `${ms}ms`;
}
