// `pnpm drill` as a separate process: a short run with both reports, merge,
// --clients, a bad flag and Ctrl-C.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asReport, type DrillReport } from '@e6data-ts/drill';
import { LIGHT_QUERIES } from '../support/drill-fixtures';
import { useTempDir } from '../support/temp-dir';
import { runDrillProcess, startDrill } from '../support/drill-process';

const readReport = (file: string): DrillReport => asReport(file, JSON.parse(readFileSync(file, 'utf8')));
const LIGHT = [...LIGHT_QUERIES, '--workers', '4'];

describe('pnpm drill', () => {
  const tempDir = useTempDir('drill-e2e-', { per: 'all' });

  it('runs 8 s with 2 cutovers, prints the table, writes JSON and HTML, exits 0', async () => {
    const json = join(tempDir(), 'run.json');
    const html = join(tempDir(), 'run.html');
    const result = await runDrillProcess(['--duration', '8s', '--cutovers', '2', '--json', json, '--html', html, '--live', 'plain'], 90_000);
    expect(result.signal).toBeNull();
    expect(result.stdout).toContain('PASS: 0 lost of');
    expect(result.stdout).toMatch(/cutover\s+mode\s+announce s/);
    // Not a terminal: one plain line per second.
    expect(result.stderr).toMatch(/^t=\d+s \d+ q\/s in-flight \d+ phase \w+ live (blue|green) \| ok \d+/m);
    expect(result.code).toBe(0);

    const report = readReport(json);
    expect(report.verdict).toMatchObject({ pass: true, lost: 0 });
    expect(report.cutovers).toHaveLength(2);
    expect(report.counts.queries).toBeGreaterThan(0);
    expect(report.options).toMatchObject({ durationMs: 8_000, cutovers: 2, workers: 8 });
    const text = readFileSync(html, 'utf8');
    expect(text).toContain('<script id="drill-data"');
    expect(text).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
    expect(text).toContain('uPlot');
  }, 120_000);

  it('merges reports and exits by the merged verdict', async () => {
    const json = join(tempDir(), 'run.json');
    const merged = join(tempDir(), 'merged.json');
    const result = await runDrillProcess(['merge', json, json, '--json', merged, '--html', join(tempDir(), 'merged.html')], 60_000);
    expect(result.code).toBe(0);
    const one = readReport(json);
    const both = readReport(merged);
    expect(both.clients).toBe(2);
    expect(both.counts.queries).toBe(2 * one.counts.queries);
    expect(both.cutovers).toHaveLength(2);
    expect(existsSync(join(tempDir(), 'merged.html'))).toBe(true);
  }, 90_000);

  it('--clients 2 runs two processes against one cluster and merges them', async () => {
    const json = join(tempDir(), 'clients.json');
    const result = await runDrillProcess([...LIGHT, '--clients', '2', '--duration', '6s', '--cutovers', '1', '--json', json], 120_000);
    expect(result.stderr).toContain('[client 2]');
    expect(result.code).toBe(0);
    const report = readReport(json);
    expect(report.clients).toBe(2);
    expect(report.cutovers).toHaveLength(1);
    expect(report.verdict.pass).toBe(true);
  }, 150_000);

  it('exits 2 with one line naming a bad flag', async () => {
    const result = await runDrillProcess(['--wokers', '3'], 60_000);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['e6-drill: --wokers: unknown flag (see --help)']);
  }, 60_000);

  it('on Ctrl-C stops the workload and still writes the report', async () => {
    const json = join(tempDir(), 'interrupted.json');
    const drill = startDrill([...LIGHT, '--duration', '60s', '--json', json, '--live', 'plain'], { capMs: 60_000, direct: true });
    const deadline = Date.now() + 45_000;
    while (!/^t=2s/m.test(drill.stderrSoFar()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    drill.child.kill('SIGINT');
    const result = await drill.done;
    expect(result.signal).toBeNull();
    expect(result.stderr).toContain('stopping');
    expect([0, 1]).toContain(result.code);
    const report = readReport(json);
    expect(report.interrupted).toBe(true);
    expect(report.durationMs).toBeLessThan(30_000);
  }, 90_000);
});
