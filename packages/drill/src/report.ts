// The drill's report: what the JSON file holds, built from the recorded
// queries once the run is over.
import { type Histogram } from 'hdr-histogram-js';
import { type Deployment, type DrillOptions } from './drill-options';
import { encodeHistogram, type LatencySummary, newHistogram, recordMs, summarize } from './latency';
import { CUTOVER_WINDOWS, type CutoverRecord, type CutoverWindow, DRILL_PHASES, type DrillPhase, phaseAt, windowAt } from './phases';
import { isFailure, QUERY_CLASSES, type QueryClass } from './query-class';

/** One finished query as the drill records it. */
export interface QuerySample {
  /** Start, in ms since the run started. */
  readonly startMs: number;
  readonly latencyMs: number;
  readonly cls: QueryClass;
  readonly errorKind: string | null;
  readonly deployment: Deployment | null;
  readonly retries: number;
}

/** A fault the drill injected on the mock cluster. */
export interface ChaosEvent {
  readonly kind: 'access-denied-storm' | 'transient-unavailable' | 'suspend-resume';
  readonly startMs: number;
  readonly endMs: number;
}

/** Everything a run produced, before it is summarized. */
export interface RunRecord {
  /** Epoch ms at which the workload started. */
  readonly startedAtMs: number;
  readonly durationMs: number;
  readonly target: ReportTarget;
  readonly options: DrillOptions;
  readonly samples: readonly QuerySample[];
  readonly dropped: number;
  readonly cutovers: readonly CutoverRecord[];
  readonly chaos: readonly ChaosEvent[];
  readonly detections: number;
  readonly retriesByReason: Readonly<Record<string, number>>;
  readonly interrupted: boolean;
}

export interface ReportTarget {
  readonly kind: 'mock' | 'remote';
  readonly address: string;
}

/** One second of the run, for the timeline chart. */
export interface TimelineBucket {
  /** Bucket start, ms since the run started. */
  readonly t: number;
  /** Queries that finished in this bucket, by the deployment they ran on. */
  readonly blue: number;
  readonly green: number;
  readonly unknown: number;
  /** Lost and ambiguous queries that finished in this bucket. */
  readonly errors: number;
  readonly p99Ms: number;
  readonly histogram: string;
}

export interface ErrorMark {
  readonly t: number;
  readonly cls: QueryClass;
  readonly kind: string;
}

/** Whether the run passed: no lost query (and no ambiguous one unless allowed), with a one-line summary. */
export interface Verdict {
  readonly pass: boolean;
  readonly lost: number;
  readonly ambiguous: number;
  readonly allowAmbiguous: boolean;
  readonly summary: string;
}

/** The options as the report keeps them (no credentials, nothing secret). */
export type ReportOptions = Omit<DrillOptions, 'caFile'> & { readonly caFile: boolean };

/** The `format` field of a drill report's JSON. */
export const REPORT_FORMAT = 'e6-drill-report';
/** The version of the drill report JSON this code writes and reads. */
export const REPORT_VERSION = 1;
/** Error marks kept in a report; the counts stay exact beyond it. */
export const MAX_ERROR_MARKS = 1_000;
export const TIMELINE_BUCKET_MS = 1_000;

/** The JSON report (`--json`), also the input of `e6-drill merge`. */
export interface DrillReport {
  readonly format: typeof REPORT_FORMAT;
  readonly version: typeof REPORT_VERSION;
  readonly startedAt: string;
  readonly startedAtMs: number;
  readonly durationMs: number;
  /** Reports merged into this one (1 for a single run). */
  readonly clients: number;
  readonly interrupted: boolean;
  readonly target: ReportTarget;
  readonly options: ReportOptions;
  readonly counts: {
    readonly queries: number;
    readonly byClass: Readonly<Record<QueryClass, number>>;
    readonly errorKinds: Readonly<Record<string, number>>;
    readonly dropped: number;
    /** Sum of the connector's retries over all queries (from their traces). */
    readonly retries: number;
    readonly retriesByReason: Readonly<Record<string, number>>;
    readonly detections: number;
  };
  readonly cutovers: readonly CutoverRecord[];
  readonly chaos: readonly ChaosEvent[];
  readonly latency: {
    readonly overall: LatencySummary;
    readonly byPhase: Readonly<Record<DrillPhase, LatencySummary>>;
    readonly byWindow: Readonly<Record<CutoverWindow, LatencySummary>>;
    /** Per cutover (same order as `cutovers`): its windows. */
    readonly perCutover: ReadonlyArray<Readonly<Record<CutoverWindow, LatencySummary>>>;
  };
  /** Encoded HDR histograms behind `latency`, for exact merging. */
  readonly histograms: {
    readonly overall: string;
    readonly byPhase: Readonly<Record<DrillPhase, string>>;
    readonly byWindow: Readonly<Record<CutoverWindow, string>>;
    readonly perCutover: ReadonlyArray<Readonly<Record<CutoverWindow, string>>>;
  };
  readonly timeline: { readonly bucketMs: number; readonly buckets: readonly TimelineBucket[] };
  readonly errorMarks: readonly ErrorMark[];
  readonly verdict: Verdict;
}

export function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

function histogramsFor<K extends string>(keys: readonly K[]): Record<K, Histogram> {
  return Object.fromEntries(keys.map((key) => [key, newHistogram()])) as Record<K, Histogram>;
}

export function mapValues<K extends string, A, B>(record: Readonly<Record<K, A>>, fn: (value: A) => B): Record<K, B> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, fn(value as A)])) as Record<K, B>;
}

/** The verdict: pass only when nothing was lost (ambiguous counts as lost unless allowed) and something ran. */
export function judge(byClass: Readonly<Record<QueryClass, number>>, allowAmbiguous: boolean): Verdict {
  const lost = byClass.lost;
  const ambiguous = byClass.ambiguous;
  const queries = QUERY_CLASSES.reduce((sum, cls) => sum + byClass[cls], 0);
  const failing = (isFailure('lost', allowAmbiguous) ? lost : 0) + (isFailure('ambiguous', allowAmbiguous) ? ambiguous : 0);
  let summary: string;
  if (queries === 0) summary = 'FAIL: no query finished';
  else if (failing > 0) {
    summary = `FAIL: ${lost} lost${ambiguous > 0 ? `, ${ambiguous} ambiguous${allowAmbiguous ? ' (allowed)' : ''}` : ''} of ${queries} queries`;
  } else {
    summary = `PASS: 0 lost of ${queries} queries${ambiguous > 0 ? ` (${ambiguous} ambiguous, allowed)` : ''}`;
  }
  return { pass: queries > 0 && failing === 0, lost, ambiguous, allowAmbiguous, summary };
}

export function reportOptions(options: DrillOptions): ReportOptions {
  return { ...options, caFile: options.caFile !== null };
}

/** The histograms a report is built from. */
export interface ReportHistograms {
  readonly overall: Histogram;
  readonly byPhase: Readonly<Record<DrillPhase, Histogram>>;
  readonly byWindow: Readonly<Record<CutoverWindow, Histogram>>;
  readonly perCutover: ReadonlyArray<Readonly<Record<CutoverWindow, Histogram>>>;
}

/** The `latency` and `histograms` sections of a report, from its histograms. */
export function latencySections(h: ReportHistograms): Pick<DrillReport, 'latency' | 'histograms'> {
  return {
    latency: {
      overall: summarize(h.overall),
      byPhase: mapValues(h.byPhase, summarize),
      byWindow: mapValues(h.byWindow, summarize),
      perCutover: h.perCutover.map((windows) => mapValues(windows, summarize)),
    },
    histograms: {
      overall: encodeHistogram(h.overall),
      byPhase: mapValues(h.byPhase, encodeHistogram),
      byWindow: mapValues(h.byWindow, encodeHistogram),
      perCutover: h.perCutover.map((windows) => mapValues(windows, encodeHistogram)),
    },
  };
}

/** Summarizes a run into its report. */
export function buildReport(run: RunRecord): DrillReport {
  const byClass = zeroCounts(QUERY_CLASSES);
  const errorKinds: Record<string, number> = {};
  const overall = newHistogram();
  const byPhase = histogramsFor(DRILL_PHASES);
  const byWindow = histogramsFor(CUTOVER_WINDOWS);
  const perCutover = run.cutovers.map(() => histogramsFor(CUTOVER_WINDOWS));
  const switchTimes = run.cutovers.map((cutover) => cutover.switchAt);
  const buckets = new Map<number, { blue: number; green: number; unknown: number; errors: number; histogram: Histogram }>();
  const errorMarks: ErrorMark[] = [];
  let retries = 0;

  for (const sample of run.samples) {
    byClass[sample.cls] += 1;
    retries += sample.retries;
    if (sample.errorKind !== null) errorKinds[sample.errorKind] = (errorKinds[sample.errorKind] ?? 0) + 1;
    recordMs(overall, sample.latencyMs);
    recordMs(byPhase[phaseAt(sample.startMs, run.cutovers)], sample.latencyMs);
    const place = windowAt(sample.startMs, switchTimes);
    recordMs(byWindow[place.window], sample.latencyMs);
    const own = place.cutover === null ? undefined : perCutover[place.cutover];
    if (own !== undefined) recordMs(own[place.window], sample.latencyMs);

    const endMs = sample.startMs + sample.latencyMs;
    const key = Math.max(0, Math.floor(endMs / TIMELINE_BUCKET_MS));
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = { blue: 0, green: 0, unknown: 0, errors: 0, histogram: newHistogram() };
      buckets.set(key, bucket);
    }
    bucket[sample.deployment ?? 'unknown'] += 1;
    recordMs(bucket.histogram, sample.latencyMs);
    if (sample.cls === 'lost' || sample.cls === 'ambiguous') {
      bucket.errors += 1;
      if (errorMarks.length < MAX_ERROR_MARKS) errorMarks.push({ t: Math.round(endMs), cls: sample.cls, kind: sample.errorKind ?? 'unknown' });
    }
  }

  const lastBucket = Math.max(Math.ceil(run.durationMs / TIMELINE_BUCKET_MS), ...buckets.keys(), 0);
  const timeline: TimelineBucket[] = [];
  for (let key = 0; key <= lastBucket; key += 1) {
    const bucket = buckets.get(key);
    timeline.push(
      bucket === undefined
        ? { t: key * TIMELINE_BUCKET_MS, blue: 0, green: 0, unknown: 0, errors: 0, p99Ms: 0, histogram: encodeHistogram(newHistogram()) }
        : {
            t: key * TIMELINE_BUCKET_MS,
            blue: bucket.blue,
            green: bucket.green,
            unknown: bucket.unknown,
            errors: bucket.errors,
            p99Ms: summarize(bucket.histogram).p99Ms,
            histogram: encodeHistogram(bucket.histogram),
          },
    );
  }

  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    startedAt: new Date(run.startedAtMs).toISOString(),
    startedAtMs: run.startedAtMs,
    durationMs: Math.round(run.durationMs),
    clients: 1,
    interrupted: run.interrupted,
    target: run.target,
    options: reportOptions(run.options),
    counts: {
      queries: run.samples.length,
      byClass,
      errorKinds,
      dropped: run.dropped,
      retries,
      retriesByReason: { ...run.retriesByReason },
      detections: run.detections,
    },
    cutovers: run.cutovers,
    chaos: run.chaos,
    ...latencySections({ overall, byPhase, byWindow, perCutover }),
    timeline: { bucketMs: TIMELINE_BUCKET_MS, buckets: timeline },
    errorMarks,
    verdict: judge(byClass, run.options.allowAmbiguous),
  };
}
