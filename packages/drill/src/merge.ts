// Merging reports of several clients or machines: counts add up, histograms
// merge exactly, times are aligned on the earliest start.
import { ReportFormatError } from './drill-error';
import { encodeHistogram, mergeEncoded, summarize } from './latency';
import { CUTOVER_WINDOWS, type CutoverRecord, type CutoverWindow, DRILL_PHASES } from './phases';
import { QUERY_CLASSES } from './query-class';
import {
  type DrillReport,
  type ErrorMark,
  judge,
  latencySections,
  mapValues,
  MAX_ERROR_MARKS,
  REPORT_FORMAT,
  REPORT_VERSION,
  type TimelineBucket,
  zeroCounts,
} from './report';

/** Two cutovers seen by different clients are one when they switch this close together. */
const SAME_CUTOVER_MS = 2_000;

/** Checks that `value` (parsed JSON from `file`) is a drill report this version reads. */
export function asReport(file: string, value: unknown): DrillReport {
  if (typeof value !== 'object' || value === null) throw new ReportFormatError(file, 'is not a JSON object');
  const candidate = value as Partial<DrillReport>;
  if (candidate.format !== REPORT_FORMAT) throw new ReportFormatError(file, `is not an e6-drill report (format is not "${REPORT_FORMAT}")`);
  if (candidate.version !== REPORT_VERSION) throw new ReportFormatError(file, `has report version ${String(candidate.version)}; this drill reads ${REPORT_VERSION}`);
  const needed = ['startedAtMs', 'counts', 'histograms', 'timeline', 'cutovers', 'options'] as const;
  const missing = needed.find((key) => candidate[key] === undefined);
  if (missing !== undefined) throw new ReportFormatError(file, `lacks "${missing}"`);
  return candidate as DrillReport;
}

function addInto(total: Record<string, number>, more: Readonly<Record<string, number>>): void {
  for (const [key, count] of Object.entries(more)) total[key] = (total[key] ?? 0) + count;
}

/**
 * Merges reports into one. Cutovers are matched across reports by direction
 * and a switch time within 2 s; timeline buckets are re-aligned on the
 * earliest start (to the nearest bucket).
 */
export function mergeReports(reports: readonly DrillReport[], allowAmbiguous?: boolean): DrillReport {
  const first = reports[0];
  if (first === undefined) throw new ReportFormatError('merge', 'needs at least one report');
  const base = Math.min(...reports.map((report) => report.startedAtMs));
  const end = Math.max(...reports.map((report) => report.startedAtMs + report.durationMs));

  const byClass = zeroCounts(QUERY_CLASSES);
  const errorKinds: Record<string, number> = {};
  const retriesByReason: Record<string, number> = {};
  let queries = 0;
  let dropped = 0;
  let retries = 0;
  let detections = 0;

  // Cutovers on the merged clock, each with the encoded window histograms that belong to it.
  const cutovers: CutoverRecord[] = [];
  const cutoverHistograms: Array<Record<CutoverWindow, string[]>> = [];
  const buckets = new Map<number, { blue: number; green: number; unknown: number; errors: number; histograms: string[] }>();
  const marks: ErrorMark[] = [];
  const chaos: DrillReport['chaos'][number][] = [];
  const bucketMs = first.timeline.bucketMs;

  for (const report of reports) {
    const shift = report.startedAtMs - base;
    queries += report.counts.queries;
    dropped += report.counts.dropped;
    retries += report.counts.retries;
    detections += report.counts.detections;
    addInto(byClass, report.counts.byClass);
    addInto(errorKinds, report.counts.errorKinds);
    addInto(retriesByReason, report.counts.retriesByReason);

    report.cutovers.forEach((cutover, index) => {
      const shifted: CutoverRecord = {
        ...cutover,
        announceAt: cutover.announceAt === null ? null : cutover.announceAt + shift,
        switchAt: cutover.switchAt + shift,
        stableAt: cutover.stableAt === null ? null : cutover.stableAt + shift,
      };
      let at = cutovers.findIndex(
        (known) => known.from === shifted.from && known.to === shifted.to && Math.abs(known.switchAt - shifted.switchAt) <= SAME_CUTOVER_MS,
      );
      if (at < 0) {
        at = cutovers.push(shifted) - 1;
        cutoverHistograms.push(Object.fromEntries(CUTOVER_WINDOWS.map((w) => [w, []])) as unknown as Record<CutoverWindow, string[]>);
      }
      const windows = report.histograms.perCutover[index];
      const target = cutoverHistograms[at];
      if (windows !== undefined && target !== undefined) for (const w of CUTOVER_WINDOWS) target[w].push(windows[w]);
    });

    for (const bucket of report.timeline.buckets) {
      const key = Math.max(0, Math.round((bucket.t + shift) / bucketMs));
      let total = buckets.get(key);
      if (total === undefined) {
        total = { blue: 0, green: 0, unknown: 0, errors: 0, histograms: [] };
        buckets.set(key, total);
      }
      total.blue += bucket.blue;
      total.green += bucket.green;
      total.unknown += bucket.unknown;
      total.errors += bucket.errors;
      total.histograms.push(bucket.histogram);
    }
    for (const mark of report.errorMarks) if (marks.length < MAX_ERROR_MARKS) marks.push({ ...mark, t: mark.t + shift });
    for (const event of report.chaos) chaos.push({ ...event, startMs: event.startMs + shift, endMs: event.endMs + shift });
  }

  // Merged cutovers are reordered by switch time, their histograms with them.
  const order = cutovers.map((_, index) => index).sort((a, b) => (cutovers[a]?.switchAt ?? 0) - (cutovers[b]?.switchAt ?? 0));
  const sortedCutovers = order.map((index) => cutovers[index] as CutoverRecord);
  const perCutover = order.map((index) => mapValues(cutoverHistograms[index] as Record<CutoverWindow, string[]>, (list) => mergeEncoded(list)));
  const overall = mergeEncoded(reports.map((report) => report.histograms.overall));
  const byPhase = Object.fromEntries(DRILL_PHASES.map((phase) => [phase, mergeEncoded(reports.map((r) => r.histograms.byPhase[phase]))])) as Record<
    (typeof DRILL_PHASES)[number],
    ReturnType<typeof mergeEncoded>
  >;
  const byWindow = Object.fromEntries(CUTOVER_WINDOWS.map((w) => [w, mergeEncoded(reports.map((r) => r.histograms.byWindow[w]))])) as Record<
    CutoverWindow,
    ReturnType<typeof mergeEncoded>
  >;
  const timeline: TimelineBucket[] = [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, bucket]) => {
      const histogram = mergeEncoded(bucket.histograms);
      return {
        t: key * bucketMs,
        blue: bucket.blue,
        green: bucket.green,
        unknown: bucket.unknown,
        errors: bucket.errors,
        p99Ms: summarize(histogram).p99Ms,
        histogram: encodeHistogram(histogram),
      };
    });
  const allow = allowAmbiguous ?? reports.every((report) => report.verdict.allowAmbiguous);

  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    startedAt: new Date(base).toISOString(),
    startedAtMs: base,
    durationMs: end - base,
    clients: reports.reduce((sum, report) => sum + report.clients, 0),
    interrupted: reports.some((report) => report.interrupted),
    target: first.target,
    options: { ...first.options, allowAmbiguous: allow },
    counts: { queries, byClass, errorKinds, dropped, retries, retriesByReason, detections },
    cutovers: sortedCutovers,
    chaos: chaos.sort((a, b) => a.startMs - b.startMs),
    ...latencySections({ overall, byPhase, byWindow, perCutover }),
    timeline: { bucketMs, buckets: timeline },
    errorMarks: marks.sort((a, b) => a.t - b.t),
    verdict: judge(byClass, allow),
  };
}
