// The final table on stdout.
import { type LatencySummary } from './latency';
import { CUTOVER_WINDOWS, DRILL_PHASES } from './phases';
import { QUERY_CLASSES } from './query-class';
import { type DrillReport } from './report';

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const latencyRow = (name: string, s: LatencySummary): string[] => [name, String(s.count), ms(s.p50Ms), ms(s.p90Ms), ms(s.p99Ms), ms(s.maxMs)];
const LATENCY_HEADER = ['', 'queries', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];
const seconds = (t: number | null): string => (t === null ? '-' : (t / 1_000).toFixed(2));

/** The human summary of a report: counts, cutovers, latency by phase and window, verdict. */
export function renderTable(report: DrillReport): string {
  const { counts } = report;
  const out: string[] = [];
  const where = report.target.kind === 'mock' ? `mock cluster ${report.target.address}` : report.target.address;
  out.push(
    `e6-drill: ${counts.queries} queries in ${(report.durationMs / 1_000).toFixed(1)} s against ${where}` +
      `${report.clients > 1 ? ` from ${report.clients} clients` : ''}${report.interrupted ? ' (interrupted)' : ''}`,
    '',
  );
  out.push(...table(['class', ...QUERY_CLASSES], [['queries', ...QUERY_CLASSES.map((cls) => String(counts.byClass[cls]))]]), '');
  const retryReasons = Object.entries(counts.retriesByReason).map(([reason, n]) => `${reason} ${n}`).join(', ');
  out.push(
    `retries ${counts.retries}${retryReasons === '' ? '' : ` (${retryReasons})`}; detections ${counts.detections}; dropped starts ${counts.dropped}`,
  );
  const kinds = Object.entries(counts.errorKinds).sort(([, a], [, b]) => b - a);
  if (kinds.length > 0) out.push(`errors: ${kinds.map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  if (report.chaos.length > 0) out.push(`chaos: ${report.chaos.map((c) => `${c.kind} at ${seconds(c.startMs)}s`).join(', ')}`);
  out.push('');
  if (report.cutovers.length > 0) {
    out.push(
      ...table(
        ['cutover', 'mode', 'announce s', 'switch s', 'stable s', '0..1s p99', '0..1s max'],
        report.cutovers.map((c, i) => {
          const first = report.latency.perCutover[i]?.['0..1s'];
          return [`#${c.id} ${c.from}->${c.to}`, c.mode, seconds(c.announceAt), seconds(c.switchAt), seconds(c.stableAt), first === undefined ? '-' : ms(first.p99Ms), first === undefined ? '-' : ms(first.maxMs)];
        }),
      ),
      '',
    );
  } else {
    out.push('no cutover happened during the run', '');
  }
  out.push(...table(['phase', ...LATENCY_HEADER.slice(1)], DRILL_PHASES.map((phase) => latencyRow(phase, report.latency.byPhase[phase]))), '');
  out.push(
    ...table(['window (t=0: switch)', ...LATENCY_HEADER.slice(1)], CUTOVER_WINDOWS.map((w) => latencyRow(w, report.latency.byWindow[w]))),
    '',
  );
  out.push(...table(['all', ...LATENCY_HEADER.slice(1)], [latencyRow('all', report.latency.overall)]), '');
  out.push(report.verdict.summary);
  return out.join('\n');
}
