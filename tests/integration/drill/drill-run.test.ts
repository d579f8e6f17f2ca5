// Short drills in this process: the mock cluster, the real connector, real cutovers.
import { connectorClient, runDrill, type DrillOptions, type DrillReport } from '@e6data-ts/drill';
import { drillOptions, LIGHT_QUERIES } from '../../support/drill-fixtures';

const options = (args: string[]): DrillOptions =>
  drillOptions([...LIGHT_QUERIES, '--workers', '4', '--live', 'off', '--stop-wait', '5s', '--timeout', '20s', ...args]);

function expectConsistent(report: DrillReport): void {
  const classes = Object.values(report.counts.byClass).reduce((sum, n) => sum + n, 0);
  expect(classes).toBe(report.counts.queries);
  expect(report.latency.overall.count).toBe(report.counts.queries);
  const phases = Object.values(report.latency.byPhase).reduce((sum, s) => sum + s.count, 0);
  expect(phases).toBe(report.counts.queries);
  expect(report.counts.queries).toBeGreaterThan(0);
  expect(report.counts.detections).toBeGreaterThanOrEqual(1);
}

describe('a short drill against the in-process mock cluster', () => {
  it('graceful: two cutovers with announce and drain, nothing lost', async () => {
    const warnings: string[] = [];
    const report = await runDrill(options(['--duration', '7s', '--cutovers', '2', '--announce', '800ms', '--drain', '1500ms']), {
      connectClient: connectorClient,
      warn: (message) => warnings.push(message),
    });
    expectConsistent(report);
    expect(warnings).toEqual([]);
    expect(report.target.kind).toBe('mock');
    expect(report.cutovers).toHaveLength(2);
    for (const cutover of report.cutovers) {
      expect(cutover.mode).toBe('graceful');
      expect(cutover.announceAt).not.toBeNull();
      expect(cutover.switchAt).toBeGreaterThan(cutover.announceAt ?? Number.POSITIVE_INFINITY);
    }
    expect(report.cutovers.map((c) => `${c.from}->${c.to}`)).toEqual(['blue->green', 'green->blue']);
    expect(report.counts.byClass.lost).toBe(0);
    expect(report.counts.byClass.ambiguous).toBe(0);
    expect(report.verdict.pass).toBe(true);
    // Both deployments served queries.
    const served = report.timeline.buckets.reduce((sum, b) => ({ blue: sum.blue + b.blue, green: sum.green + b.green }), { blue: 0, green: 0 });
    expect(served.blue).toBeGreaterThan(0);
    expect(served.green).toBeGreaterThan(0);
  }, 60_000);

  it('hard: every failure is a typed connector error, and nothing hangs', async () => {
    const report = await runDrill(options(['--duration', '6s', '--cutovers', '2', '--mode', 'hard']), { connectClient: connectorClient });
    expectConsistent(report);
    expect(report.cutovers.map((c) => c.mode)).toEqual(['hard', 'hard']);
    for (const kind of Object.keys(report.counts.errorKinds)) expect(kind).toMatch(/^[A-Za-z]+Error\/[A-Z_]+$/);
    expect(report.counts.errorKinds['Abandoned/STOP_WAIT_EXPIRED']).toBeUndefined();
    expect(report.verdict.pass).toBe(report.counts.byClass.lost + report.counts.byClass.ambiguous === 0);
  }, 60_000);

  it('stops early when its signal aborts and still reports', async () => {
    const stop = new AbortController();
    const began = Date.now();
    setTimeout(() => stop.abort(), 2_500);
    const report = await runDrill(options(['--duration', '60s', '--cutovers', '3']), { connectClient: connectorClient, signal: stop.signal });
    expect(report.interrupted).toBe(true);
    expect(Date.now() - began).toBeLessThan(30_000);
    expect(report.durationMs).toBeLessThan(20_000);
    expectConsistent(report);
  }, 60_000);
});
