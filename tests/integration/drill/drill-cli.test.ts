// The drill's command line in this process, a real target it only observes,
// and --clients with child processes.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connectorClient, runCli, runDrill, runMultiClient, type DrillOptions } from '@e6data-ts/drill';
import { startMockCluster, type MockCluster } from '@e6data-ts/mock-engine';
import { drillOptions, LIGHT_QUERIES } from '../../support/drill-fixtures';
import { useTempDir } from '../../support/temp-dir';

const LIGHT = [...LIGHT_QUERIES, '--workers', '3', '--stop-wait', '5s'];
const CLI = resolve(__dirname, '../../../packages/drill/src/cli.ts');

const options = (args: string[]): DrillOptions => drillOptions([...LIGHT, '--live', 'off', ...args]);

describe('the drill command line', () => {
  const tempDir = useTempDir('drill-cli-int-', { per: 'all' });

  it('runs on the mock with plain live lines, prints the table and writes both reports', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const json = join(tempDir(), 'a.json');
    const html = join(tempDir(), 'a.html');
    const code = await runCli([...LIGHT, '--duration', '3s', '--cutovers', '1', '--live', 'plain', '--json', json, '--html', html], {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      terminal: null,
      env: {},
    });
    expect(code).toBe(0);
    expect(out.join('')).toContain('PASS: 0 lost');
    expect(err.filter((line) => line.startsWith('t=')).length).toBeGreaterThanOrEqual(2);
    expect(existsSync(json) && existsSync(html)).toBe(true);
    expect(readFileSync(html, 'utf8')).toContain('uPlot');
  }, 60_000);

  it('--clients 2 runs two drill processes against one mock cluster and merges them', async () => {
    const lines: string[] = [];
    const report = await runMultiClient(options(['--clients', '2', '--duration', '5s', '--cutovers', '1', '--chaos']), {
      child: { command: process.execPath, args: ['--import', 'tsx', CLI] },
      onLine: (line) => lines.push(line),
    });
    expect(report.clients).toBe(2);
    expect(report.target.kind).toBe('mock');
    expect(report.cutovers).toHaveLength(1);
    expect(report.options.clients).toBe(2);
    expect(lines.some((line) => line.startsWith('[client 1] t='))).toBe(true);
    expect(lines.some((line) => line.startsWith('[client 2] t='))).toBe(true);
    expect(report.counts.queries).toBeGreaterThan(0);
  }, 120_000);

  it('--clients passes a stop on to every child, which still reports', async () => {
    const stop = new AbortController();
    const lines: string[] = [];
    const began = Date.now();
    const stopped = new Promise<void>((resolveStop) => {
      const poll = setInterval(() => {
        // Both children are querying: stop now.
        if (lines.some((l) => /^\[client 1\] t=1s/.test(l)) && lines.some((l) => /^\[client 2\] t=1s/.test(l))) {
          clearInterval(poll);
          stop.abort();
          resolveStop();
        }
      }, 50);
    });
    const report = await runMultiClient(options(['--clients', '2', '--duration', '60s', '--cutovers', '2']), {
      child: { command: process.execPath, args: ['--import', 'tsx', CLI] },
      onLine: (line) => lines.push(line),
      signal: stop.signal,
    });
    await stopped;
    expect(report.clients).toBe(2);
    expect(report.interrupted).toBe(true);
    expect(Date.now() - began).toBeLessThan(45_000);
  }, 120_000);
});

describe('observing a cluster the drill does not drive', () => {
  let cluster: MockCluster;
  beforeAll(async () => {
    cluster = await startMockCluster({ announceMs: 500, drainMs: 1_000 });
  }, 60_000);
  afterAll(async () => {
    await cluster.close();
  });

  const env = (): NodeJS.ProcessEnv => ({ E6DATA_USERNAME: cluster.users[0]?.user, E6DATA_PASSWORD: cluster.users[0]?.token });

  it('reads exact phase times from the admin API when given one', async () => {
    setTimeout(() => cluster.startDeploy({ mode: 'graceful' }), 1_000);
    const report = await runDrill(options(['--target', cluster.address, '--observe-admin', cluster.adminUrl, '--duration', '4s']), {
      connectClient: connectorClient,
      env: env(),
    });
    expect(report.target).toEqual({ kind: 'remote', address: cluster.address });
    expect(report.cutovers).toHaveLength(1);
    expect(report.cutovers[0]).toMatchObject({ source: 'drill', mode: 'graceful' });
    expect(report.verdict.pass).toBe(true);
  }, 60_000);

  it('otherwise reads the cutovers the connector saw', async () => {
    const live = cluster.state().live;
    setTimeout(() => cluster.startDeploy({ mode: 'graceful' }), 1_000);
    const report = await runDrill(options(['--target', cluster.address, '--duration', '4s']), { connectClient: connectorClient, env: env() });
    expect(report.cutovers.length).toBeGreaterThanOrEqual(1);
    expect(report.cutovers[0]).toMatchObject({ source: 'observed', from: live });
    expect(report.counts.queries).toBeGreaterThan(0);
  }, 60_000);
});
