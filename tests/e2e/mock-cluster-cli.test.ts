// The e6-mock-engine command as a user runs it (`pnpm mock-engine` runs
// `node --import tsx packages/mock-engine/src/cli.ts`): ready line, admin API, clean exit on
// signals, usage errors. The CLI is a local program, so this suite runs it as a
// process whatever the e2e runtime.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createEngineClient } from '@e6data-ts/grpc-transport';
import { AdminClient } from '@e6data-ts/mock-engine';
import { REPO_ROOT } from './support/mock-cluster-runtime';

const CLI = join('packages', 'mock-engine', 'src', 'cli.ts');
const TSX_CLI = require.resolve('tsx/cli');

interface Running {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the first stdout line that satisfies `match`. */
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

const started: ChildProcess[] = [];

function run(args: string[]): Running {
  const child = spawn(process.execPath, [TSX_CLI, CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  const lines: string[] = [];
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    lines,
    exited,
    stderr: () => err,
    line: (match, timeoutMs = 60_000) => {
      const found = lines.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching line within ${timeoutMs} ms; stdout: ${lines.join('\n')}\nstderr: ${err}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`the CLI exited before printing the line; stdout: ${lines.join('\n')}\nstderr: ${err}`));
        });
      });
    },
  };
}

afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
});

describe('e6-mock-engine CLI', () => {
  it('starts the whole cluster, prints a JSON ready line, answers the admin API and gRPC, and exits 0 on SIGTERM', async () => {
    const cli = run(['--json', '--announce', '200ms', '--drain', '300ms']);
    const ready = JSON.parse(await cli.line((l) => l.includes('"event":"ready"'))) as {
      role: string;
      host: string;
      port: number;
      adminUrl: string;
      user: string;
      token: string;
      engines: Record<string, { port: number }>;
    };
    expect(ready).toMatchObject({ role: 'cluster', host: '127.0.0.1', user: 'admin@e6data.local', token: 'e6-mock-token' });
    expect(ready.port).toBeGreaterThan(0);
    expect(ready.engines.blue?.port).toBeGreaterThan(0);

    const admin = new AdminClient(ready.adminUrl);
    await expect(admin.state()).resolves.toMatchObject({ phase: 'stable', live: 'blue' });
    const client = createEngineClient({ host: ready.host, port: ready.port });
    try {
      await expect(client.authenticate({ user: ready.user, password: ready.token }, { headers: { strategy: 'blue' } })).resolves.toHaveProperty('sessionId');
      await admin.deploy({ mode: 'hard' });
      await expect(client.healthCheck({}, { headers: { strategy: 'green' } })).resolves.toEqual({});
    } finally {
      client.close();
    }

    cli.child.kill('SIGTERM');
    await expect(cli.exited).resolves.toEqual({ code: 0, signal: null });
    expect(cli.lines.map((l) => JSON.parse(l) as { event: string }).at(-1)).toEqual({ event: 'stopped', role: 'cluster', reason: 'SIGTERM' });
  }, 90_000);

  it('prints a banner with the ports, admin URL and default credentials, and exits 0 on SIGINT', async () => {
    const cli = run([]);
    await cli.line((l) => l.startsWith('Stop with Ctrl+C.'));
    const banner = cli.lines.join('\n');
    expect(banner).toContain('e6data mock cluster ready');
    expect(banner).toMatch(/gateway +127\.0\.0\.1:\d+ +\(live: blue\)/);
    expect(banner).toMatch(/admin +http:\/\/127\.0\.0\.1:\d+/);
    expect(banner).toMatch(/user +admin@e6data\.local/);
    expect(banner).toMatch(/token +e6-mock-token/);
    cli.child.kill('SIGINT');
    await expect(cli.exited).resolves.toEqual({ code: 0, signal: null });
  }, 90_000);

  it('runs a single engine with --role engine', async () => {
    const cli = run(['--role', 'engine', '--name', 'green', '--json', '--users', 'ops:secret-1']);
    const ready = JSON.parse(await cli.line((l) => l.includes('"event":"ready"'))) as { role: string; name: string; port: number };
    expect(ready).toMatchObject({ role: 'engine', name: 'green' });
    const client = createEngineClient({ host: '127.0.0.1', port: ready.port });
    try {
      await expect(client.authenticate({ user: 'ops', password: 'secret-1' })).resolves.toHaveProperty('sessionId');
    } finally {
      client.close();
    }
    cli.child.kill('SIGTERM');
    await expect(cli.exited).resolves.toEqual({ code: 0, signal: null });
  }, 90_000);

  it('prints help and exits 0', async () => {
    const cli = run(['--help']);
    await expect(cli.exited).resolves.toEqual({ code: 0, signal: null });
    expect(cli.lines.join('\n')).toContain('Usage:');
  }, 60_000);

  it('exits 2 with a message naming a bad flag', async () => {
    const cli = run(['--port', 'eighty']);
    await expect(cli.exited).resolves.toEqual({ code: 2, signal: null });
    expect(cli.stderr()).toContain('e6-mock-engine: --port: must be a port from 0 to 65535 (got "eighty")');
  }, 60_000);

  it('names the admin API and --admin-port when the admin port is taken', async () => {
    const taken = await occupiedPort();
    try {
      const cli = run(['--admin-port', String(taken.port)]);
      await expect(cli.exited).resolves.toEqual({ code: 1, signal: null });
      expect(cli.stderr()).toContain(
        `e6-mock-engine: could not start the cluster: the admin API cannot listen on 127.0.0.1:${taken.port}: port ${taken.port} is already in use (--admin-port)`,
      );
      expect(cli.stderr()).not.toContain('cluster gateway could not start');
    } finally {
      await new Promise((resolve) => taken.server.close(resolve));
    }
  }, 60_000);

  it('says in one line that --host is not an address of this machine, without grpc-js internals', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): documentation only, never a local address.
    const cli = run(['--host', '192.0.2.1']);
    await expect(cli.exited).resolves.toEqual({ code: 1, signal: null });
    const errors = cli.stderr().split('\n').filter((line) => line !== '' && !/^\d{4}-\d{2}-\d{2}T/.test(line));
    expect(errors).toEqual([
      'e6-mock-engine: could not start the cluster: the blue engine cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine (--host)',
    ]);
    expect(cli.stderr()).not.toContain('No address added');
  }, 60_000);
});

/** A loopback port held by a plain TCP server, for tests of a port that is taken. */
async function occupiedPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}
