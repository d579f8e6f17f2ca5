// The project's two images (the mock cluster's and the drill's), rehearsed
// where no Docker engine runs: each Dockerfile's COPY and install steps are
// replayed into a folder standing for the image, and its command is started
// from there (tests/support/image-rehearsal.ts says what that proves and
// what it cannot). The mock cluster's image must serve a query through the
// connector and stop cleanly on SIGTERM; the drill's must print its help by
// default and pass a short run against its embedded cluster; and the three
// services of docker-compose.yml, each run from the mock cluster's image with
// its own command, must make one cluster that serves and deploys.
import { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { connect, type Connection } from '@e6data-ts/connector';
import { asReport } from '@e6data-ts/drill';
import { AdminClient, DEFAULT_USERS } from '@e6data-ts/mock-engine';
import { silentStrategyLogger, StrategyRegistry } from '@e6data-ts/strategy-core';
import { LIGHT_QUERIES } from '../support/drill-fixtures';
import { useTempDir } from '../support/temp-dir';
import { readImageRecipe, rehearseImage, type Rehearsal } from '../support/image-rehearsal';
import { REPO_ROOT } from './support/mock-cluster-runtime';

interface Watched {
  output(): string;
  /** The first match of `pattern` in stdout, within `ms`. */
  waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray>;
  /** The exit code, within `ms` (SIGKILL and a failure past it). */
  exit(ms: number): Promise<number | null>;
}

const started: ChildProcess[] = [];

/** `args` with the value after `flag` replaced (the flag must be there). */
function withValue(args: readonly string[], flag: string, value: string): string[] {
  const at = args.indexOf(flag);
  if (at < 0 || at + 1 >= args.length) throw new Error(`${flag} with a value is not in ${args.join(' ')}`);
  return args.map((arg, i) => (i === at + 1 ? value : arg));
}

function watch(child: ChildProcess): Watched {
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const within = <T>(ms: number, what: string, work: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms\nstdout: ${stdout}\nstderr: ${stderr}`)), ms);
    });
    return Promise.race([work, limit]).finally(() => clearTimeout(timer));
  };
  return {
    output: () => stdout,
    waitFor: (pattern, ms) =>
      within(
        ms,
        `waiting for ${pattern}`,
        new Promise<RegExpMatchArray>((resolve, reject) => {
          const check = (): void => {
            const match = stdout.match(pattern);
            if (match !== null) resolve(match);
          };
          child.stdout?.on('data', check);
          void exited.then(() => reject(new Error(`exited before printing ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`)));
          check();
        }),
      ),
    exit: (ms) => within(ms, 'exiting', exited),
  };
}

/** A connection to the cluster whose gateway listens on `port` (loopback). */
function connectTo(port: number): Promise<Connection> {
  const [user] = DEFAULT_USERS;
  return connect({ host: '127.0.0.1', port, username: user!.user, password: user!.token, strategyRegistry: new StrategyRegistry({ logger: silentStrategyLogger }) });
}

/** Compose's `${NAME:-default}` with nothing set: the default. Any other interpolation is an error. */
function composeDefaults(text: string): string {
  const expanded = text.replace(/\$\{([A-Z0-9_]+):-([^}]*)\}/g, (_, _name: string, fallback: string) => fallback);
  if (expanded.includes('$')) throw new Error(`unsupported interpolation in ${text}`);
  return expanded;
}

interface ComposeService {
  build?: { context: string; dockerfile: string };
  command: string[];
  ports?: string[];
}

describe('the Docker images, rehearsed without Docker', () => {
  const tempDir = useTempDir('image-rehearsal', { per: 'all' });
  const mockRecipe = readImageRecipe(join(REPO_ROOT, 'packages/mock-engine/Dockerfile'));
  let mockImage: Promise<Rehearsal> | undefined;
  /** The mock cluster's image, rehearsed once for the tests that run it. */
  const rehearsedMockImage = (): Promise<Rehearsal> =>
    (mockImage ??= rehearseImage(mockRecipe, {
      context: REPO_ROOT,
      into: join(tempDir(), 'mock-engine'),
      systemSetup: [/^corepack enable$/, /^chown -R node:node \/app$/],
    }));

  afterEach(() => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('the mock cluster image: its files and install suffice, its command serves a query, SIGTERM stops it with exit 0', async () => {
    expect(mockRecipe).toMatchObject({ workdir: '/app', entrypoint: ['node', '--import', 'tsx', 'packages/mock-engine/src/cli.ts'] });
    const image = await rehearsedMockImage();
    expect(image.skipped).toEqual(['corepack enable', 'chown -R node:node /app']);

    // The image's own arguments, with ephemeral ports in place of 50051 and 9000.
    const cmd = withValue(withValue(mockRecipe.cmd, '--port', '0'), '--admin-port', '0');
    expect(cmd).toEqual(['--host', '0.0.0.0', '--port', '0', '--admin-host', '0.0.0.0', '--admin-port', '0']);
    const cluster = watch(image.start(cmd));
    const [, port] = await cluster.waitFor(/gateway\s+[\d.]+:(\d+)/, 60_000);
    const connection = await connectTo(Number(port));
    try {
      await expect(connection.query('SELECT COUNT(*) FROM mock_table')).resolves.toMatchObject({ rows: [[10_000n]] });
    } finally {
      await connection.close();
    }
    expect(cluster.output()).toContain('gateway   0.0.0.0:');
    started.at(-1)!.kill('SIGTERM');
    expect(await cluster.exit(15_000)).toBe(0);
  }, 180_000);

  it('the drill image: its files and install suffice, it prints its help by default and passes a short run', async () => {
    const recipe = readImageRecipe(join(REPO_ROOT, 'packages/drill/Dockerfile'));
    expect(recipe.entrypoint).toEqual(['node', '--import', 'tsx', 'packages/drill/src/cli.ts']);
    const image = await rehearseImage(recipe, {
      context: REPO_ROOT,
      into: join(tempDir(), 'drill'),
      systemSetup: [/^corepack enable$/, /^mkdir -p \/reports && chown -R node:node \/app \/reports$/],
    });
    expect(image.skipped).toEqual(['corepack enable', 'mkdir -p /reports && chown -R node:node /app /reports']);

    const help = watch(image.start());
    expect(await help.exit(60_000)).toBe(0);
    expect(help.output()).toContain('--target');

    const json = join(tempDir(), 'drill.json');
    const run = watch(image.start([...LIGHT_QUERIES, '--workers', '2', '--duration', '5s', '--cutovers', '1', '--json', json, '--live', 'plain']));
    expect(await run.exit(90_000)).toBe(0);
    expect(run.output()).toContain('PASS: 0 lost of');
    const report = asReport(json, JSON.parse(readFileSync(json, 'utf8')));
    expect(report.verdict).toMatchObject({ pass: true, lost: 0 });
    expect(report.cutovers).toHaveLength(1);
  }, 240_000);
  it('docker-compose.yml: its three services, each run from the image with its own command, make one cluster that serves and deploys', async () => {
    const compose = parseYaml(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
    const services = compose.services;
    expect(Object.keys(services).sort()).toEqual(['blue', 'gateway', 'green']);
    for (const service of Object.values(services)) expect(service.build).toEqual({ context: '.', dockerfile: 'packages/mock-engine/Dockerfile' });
    const command = (name: string): string[] => services[name]!.command.map(composeDefaults);
    // What the gateway publishes is what its command listens on.
    expect(services.gateway!.ports!.map(composeDefaults)).toEqual(['50051:50051', '9000:9000']);
    expect(command('gateway')).toEqual(expect.arrayContaining(['--port=50051', '--admin-port=9000']));

    const image = await rehearsedMockImage();
    // Each container listens on its own 50051; here each process takes an ephemeral port instead.
    const running: Watched[] = [];
    const ready = async (args: string[]): Promise<{ port: number; adminUrl?: string }> => {
      const service = watch(image.start(args));
      running.push(service);
      const [line] = await service.waitFor(/^\{"event":"ready".*$/m, 60_000);
      return JSON.parse(line) as { port: number; adminUrl?: string };
    };
    const engines: Record<string, number> = {};
    for (const name of ['blue', 'green']) {
      expect(command(name)).toContain('--port=50051');
      engines[name] = (await ready(command(name).map((arg) => (arg === '--port=50051' ? '--port=0' : arg)))).port;
    }
    // Service names resolve to the engines' addresses, as compose's network would make them.
    const gatewayArgs = command('gateway').map((arg) => {
      if (arg === '--port=50051' || arg === '--admin-port=9000') return arg.replace(/=\d+$/, '=0');
      if (!arg.startsWith('--engines=')) return arg;
      return arg.replace(/=(blue|green):50051/g, (_, service: string) => `=127.0.0.1:${engines[service]}`);
    });
    expect(gatewayArgs.find((arg) => arg.startsWith('--engines='))).toBe(`--engines=blue=127.0.0.1:${engines.blue},green=127.0.0.1:${engines.green}`);
    const gateway = await ready(gatewayArgs);

    const connection = await connectTo(gateway.port);
    try {
      const before = await connection.query('SELECT COUNT(*) FROM mock_table');
      expect(before).toMatchObject({ rows: [[10_000n]], trace: { strategy: 'blue' } });
      const admin = new AdminClient(gateway.adminUrl!.replace('0.0.0.0', '127.0.0.1'));
      await admin.deploy({ mode: 'hard' });
      const after = await connection.query('SELECT COUNT(*) FROM mock_table');
      expect(after).toMatchObject({ rows: [[10_000n]], trace: { strategy: 'green' } });
    } finally {
      await connection.close();
    }
    for (const child of started) child.kill('SIGTERM');
    expect(await Promise.all(running.map((service) => service.exit(15_000)))).toEqual([0, 0, 0]);
  }, 180_000);
});
