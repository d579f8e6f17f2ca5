// The CLI's roles run in this process (runCli with a test environment): what
// each role starts, prints and stops, without child processes. The e2e tier
// runs the same command as a real process.
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngineClient, decodeChunk } from '@e6data-ts/grpc-transport';
import { AdminClient, silentLogger } from '@e6data-ts/mock-engine';
import { runCli, type CliEnvironment } from '@e6data-ts/mock-engine/internal';

interface Ready {
  event: string;
  role: string;
  host: string;
  port: number;
  adminUrl?: string;
  name?: string;
  engines?: Record<'blue' | 'green', { host: string; port: number }>;
}

/**
 * An environment whose "signal" arrives once `whileRunning` has checked the
 * running role, given the ready line the CLI printed.
 */
function testEnvironment(whileRunning: (ready: Ready) => Promise<void>): CliEnvironment & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    writeOut: (text) => out.push(text),
    writeErr: (text) => err.push(text),
    readFile: (path) => import('node:fs/promises').then((fs) => fs.readFile(path, 'utf8')),
    waitForStop: async () => {
      const ready = JSON.parse(out.at(-1) ?? '{}') as Ready;
      await whileRunning(ready);
      return 'test-finished';
    },
    pid: process.pid,
    logger: silentLogger,
  };
}

describe('runCli roles, in process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'e6-mock-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('cluster: runs --init-sql files, honours --users and --batch-rows, serves gRPC and the admin API', async () => {
    const sql = join(dir, 'extra.sql');
    await writeFile(sql, 'CREATE TABLE extra AS SELECT * FROM range(3) t(n);');
    const env = testEnvironment(async (ready) => {
      expect(ready).toMatchObject({ event: 'ready', role: 'cluster', host: '127.0.0.1' });
      const admin = new AdminClient(ready.adminUrl ?? '');
      await expect(admin.state()).resolves.toMatchObject({ live: 'green', switchEveryMs: null });
      const client = createEngineClient({ host: ready.host, port: ready.port });
      try {
        const headers = { strategy: 'green' };
        const { sessionId } = await client.authenticate({ user: 'ops', password: 'pw' }, { headers });
        const prep = await client.prepareStatementV2({ sessionId, schema: 'main', catalog: '', queryString: 'SELECT n FROM extra', quoting: '' }, { headers });
        const ref = { engineIP: prep.engineIP, sessionId, queryId: prep.queryId };
        const qh = { headers: { ...headers, plannerIp: prep.engineIP } };
        await client.executeStatementV2({ ...ref, shouldNotCache: false, params: [] }, qh);
        expect(decodeChunk((await client.getNextResultBatch(ref, qh)).resultBatch).rowCount).toBe(2);
        await client.clear(ref, qh);
      } finally {
        client.close();
      }
    });
    const code = await runCli(['--json', '--live', 'green', '--users', 'ops:pw', '--batch-rows', '2', '--init-sql', sql, '--session-idle', '10m', '--resume-delay', '10ms'], env);
    expect(code).toBe(0);
    expect(JSON.parse(env.out.at(-1) ?? '')).toEqual({ event: 'stopped', role: 'cluster', reason: 'test-finished' });
    // A token given with --users is the operator's secret: never echoed.
    expect(JSON.parse(env.out[0] ?? '')).toMatchObject({ user: 'ops', token: null, users: 1 });
    expect(env.out.join('')).not.toContain('pw');
  });

  it('cluster: prints the human-readable banner without --json', async () => {
    const env = testEnvironment(() => Promise.resolve());
    env.waitForStop = () => Promise.resolve('test-finished');
    await expect(runCli(['--users', 'a:1,b:2', '--switch-every', '1h', '--announce', '1s', '--drain', '2s'], env)).resolves.toBe(0);
    const banner = env.out.join('');
    expect(banner).toMatch(/^e6data mock cluster ready\n {2}gateway {3}127\.0\.0\.1:\d+ {3}\(live: blue\)\n/);
    expect(banner).toContain('  user      a (and 1 more from --users)\n  token     (as given with --users)\n');
  });

  it('engine and gateway roles: an engine each, then a gateway in front of them', async () => {
    const engines: Partial<Record<'blue' | 'green', { host: string; port: number }>> = {};
    const startEngine = (name: 'blue' | 'green', then: () => Promise<void>): Promise<number> =>
      runCli(
        ['--role', 'engine', '--name', name, '--json'],
        testEnvironment(async (ready) => {
          expect(ready).toMatchObject({ role: 'engine', name });
          engines[name] = { host: ready.host, port: ready.port };
          await then();
        }),
      );

    let gatewayChecked = false;
    const runGateway = async (): Promise<void> => {
      const { blue, green } = engines as Record<'blue' | 'green', { host: string; port: number }>;
      const env = testEnvironment(async (ready) => {
        expect(ready).toMatchObject({ role: 'gateway', engines: { blue, green } });
        const client = createEngineClient({ host: ready.host, port: ready.port });
        try {
          await expect(client.healthCheck({}, { headers: { strategy: 'blue' } })).resolves.toEqual({});
          await expect(client.healthCheck({}, { headers: { strategy: 'green' } })).rejects.toMatchObject({ details: 'Received HTTP status code 456' });
          const admin = new AdminClient(ready.adminUrl ?? '');
          await expect(admin.state()).resolves.toMatchObject({ deployments: { blue: { port: blue.port, activeQueries: null } } });
        } finally {
          client.close();
        }
        gatewayChecked = true;
      });
      const argv = ['--role', 'gateway', '--engines', `blue=${blue.host}:${blue.port},green=${green.host}:${green.port}`, '--json'];
      expect(await runCli(argv, env)).toBe(0);
    };

    // Blue waits for green to be up; green runs the gateway check; then both stop.
    let greenUp!: () => void;
    const greenReady = new Promise<void>((resolve) => (greenUp = resolve));
    let gatewayDone!: () => void;
    const gatewayFinished = new Promise<void>((resolve) => (gatewayDone = resolve));
    const blueRun = startEngine('blue', async () => {
      await greenReady;
      await runGateway();
      gatewayDone();
    });
    const greenRun = startEngine('green', async () => {
      greenUp();
      await gatewayFinished;
    });
    await expect(Promise.all([blueRun, greenRun])).resolves.toEqual([0, 0]);
    expect(gatewayChecked).toBe(true);
  });

  it('exits 1 and says why when a role cannot start', async () => {
    const env = testEnvironment(() => Promise.resolve());
    await expect(runCli(['--role', 'engine', '--name', 'blue', '--init-sql', join(dir, 'missing.sql')], env)).resolves.toBe(1);
    expect(env.err.join('')).toMatch(/^e6-mock-engine: could not start the engine: --init-sql: cannot read .*missing\.sql: ENOENT/);
    const broken = join(dir, 'broken.sql');
    await writeFile(broken, 'THIS IS NOT SQL;');
    await expect(runCli(['--role', 'engine', '--name', 'blue', '--init-sql', broken, '--json'], env)).resolves.toBe(1);
    expect(JSON.parse(env.out.at(-1) ?? '')).toMatchObject({ event: 'failed', role: 'engine' });
  });
});
