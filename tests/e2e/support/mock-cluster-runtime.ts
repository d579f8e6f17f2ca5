// The e2e tier's mock cluster, in separate processes either way: as the
// docker-compose services (gateway, blue, green) when a Docker engine answers,
// otherwise as child processes started by the package's launcher. Tests see
// one interface and never skip for want of Docker (tests/e2e/global-setup.ts
// decides which, once per run).
import net from 'node:net';
import { join } from 'node:path';
import { DockerComposeEnvironment, Wait, type StartedDockerComposeEnvironment } from 'testcontainers';
import { launchMockClusterProcesses } from '@e6data-ts/mock-engine';

export type E2ERuntime = 'docker' | 'process';
export type EngineRole = 'blue' | 'green';
/** A part of the cluster that can be killed and restarted on its own. */
export type ClusterRole = EngineRole | 'gateway';

export interface E2ECluster {
  readonly runtime: E2ERuntime;
  /** Where clients connect (the gateway). */
  readonly host: string;
  readonly port: number;
  readonly adminUrl: string;
  /** Stops one part abruptly (SIGKILL, or a container stop without grace). */
  kill(role: ClusterRole): Promise<void>;
  /** Starts a killed part again on the same address (a restarted gateway starts stable on blue). */
  restart(role: ClusterRole): Promise<void>;
  close(): Promise<void>;
}

export interface E2EClusterOptions {
  announceMs?: number;
  drainMs?: number;
}

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export function e2eRuntime(): E2ERuntime {
  return process.env.E6_E2E_RUNTIME === 'docker' ? 'docker' : 'process';
}

/** How long starting the cluster may take: building the image takes minutes the first time; starting three tsx processes a few seconds. */
export const START_TIMEOUT_MS = e2eRuntime() === 'docker' ? 600_000 : 90_000;

export async function startE2ECluster(options: E2EClusterOptions = {}): Promise<E2ECluster> {
  return e2eRuntime() === 'docker' ? startCompose(options) : startProcesses(options);
}

async function startProcesses(options: E2EClusterOptions): Promise<E2ECluster> {
  const cluster = await launchMockClusterProcesses({ ...options, cwd: REPO_ROOT });
  return {
    runtime: 'process',
    host: cluster.host,
    port: cluster.port,
    adminUrl: cluster.adminUrl,
    kill: (role) => cluster.kill(role, 'SIGKILL'),
    restart: async (role) => {
      await cluster.restart(role);
    },
    close: () => cluster.close(),
  };
}

/** A port free right now on this host, for the compose file's published ports. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startCompose(options: E2EClusterOptions): Promise<E2ECluster> {
  const [port, adminPort] = [await freePort(), await freePort()];
  const ready = Wait.forLogMessage('"event":"ready"');
  const environment: StartedDockerComposeEnvironment = await new DockerComposeEnvironment(REPO_ROOT, 'docker-compose.yml')
    .withProjectName(`e6mock-e2e-${process.pid}-${Date.now()}`)
    .withBuild()
    .withEnvironment({
      E6_MOCK_PORT: String(port),
      E6_MOCK_ADMIN_PORT: String(adminPort),
      E6_MOCK_ANNOUNCE: `${options.announceMs ?? 1_000}ms`,
      E6_MOCK_DRAIN: `${options.drainMs ?? 5_000}ms`,
    })
    .withWaitStrategy('blue-1', ready)
    .withWaitStrategy('green-1', ready)
    .withWaitStrategy('gateway-1', ready)
    .up();
  const gateway = environment.getContainer('gateway-1');
  const host = gateway.getHost();
  return {
    runtime: 'docker',
    host,
    port: gateway.getMappedPort(50051),
    adminUrl: `http://${host}:${gateway.getMappedPort(9000)}`,
    kill: async (role) => {
      await environment.getContainer(`${role}-1`).stop({ timeout: 0, remove: false });
    },
    restart: async (role) => {
      await environment.getContainer(`${role}-1`).restart();
      await waitForEngine(environment, role);
    },
    close: async () => {
      await environment.down({ timeout: 10_000 });
    },
  };
}

/** A restarted container (engine or gateway) is ready once its port accepts connections again. */
async function waitForEngine(environment: StartedDockerComposeEnvironment, role: ClusterRole): Promise<void> {
  const container = environment.getContainer(`${role}-1`);
  const probe = ['node', '-e', "require('net').connect(50051,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"];
  const deadline = Date.now() + 60_000;
  for (;;) {
    if ((await container.exec(probe)).exitCode === 0) return;
    if (Date.now() > deadline) throw new Error(`the ${role} engine container did not listen again within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
