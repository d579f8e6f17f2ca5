// The project's two images (the mock cluster's and the drill's), rehearsed
// where no Docker engine runs: each Dockerfile's COPY and install steps are
// replayed into a folder standing for the image, and its command is started
// from there (tests/support/image-rehearsal.ts says what that proves and
// what it cannot). The mock cluster's image must serve a query through the
// connector and stop cleanly on SIGTERM; the drill's must print its help by
// default and pass a short run against its embedded cluster.
import { type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@e6data-ts/connector';
import { asReport } from '@e6data-ts/drill';
import { DEFAULT_USERS } from '@e6data-ts/mock-engine';
import { silentStrategyLogger, StrategyRegistry } from '@e6data-ts/strategy-core';
import { LIGHT_QUERIES } from '../support/drill-fixtures';
import { useTempDir } from '../support/temp-dir';
import { readImageRecipe, rehearseImage } from '../support/image-rehearsal';
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

describe('the Docker images, rehearsed without Docker', () => {
  const tempDir = useTempDir('image-rehearsal', { per: 'all' });

  afterEach(() => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('the mock cluster image: its files and install suffice, its command serves a query, SIGTERM stops it with exit 0', async () => {
    const recipe = readImageRecipe(join(REPO_ROOT, 'packages/mock-engine/Dockerfile'));
    expect(recipe).toMatchObject({ workdir: '/app', entrypoint: ['node', '--import', 'tsx', 'packages/mock-engine/src/cli.ts'] });
    const image = await rehearseImage(recipe, {
      context: REPO_ROOT,
      into: join(tempDir(), 'mock-engine'),
      systemSetup: [/^corepack enable$/, /^chown -R node:node \/app$/],
    });
    expect(image.skipped).toEqual(['corepack enable', 'chown -R node:node /app']);

    // The image's own arguments, with ephemeral ports in place of 50051 and 9000.
    const cmd = withValue(withValue(recipe.cmd, '--port', '0'), '--admin-port', '0');
    expect(cmd).toEqual(['--host', '0.0.0.0', '--port', '0', '--admin-host', '0.0.0.0', '--admin-port', '0']);
    const cluster = watch(image.start(cmd));
    const [, port] = await cluster.waitFor(/gateway\s+[\d.]+:(\d+)/, 60_000);
    const [user] = DEFAULT_USERS;
    const connection = await connect({
      host: '127.0.0.1',
      port: Number(port),
      username: user!.user,
      password: user!.token,
      strategyRegistry: new StrategyRegistry({ logger: silentStrategyLogger }),
    });
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
});
