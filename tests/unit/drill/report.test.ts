import {
  buildReport,
  CUTOVER_WINDOWS,
  decodeHistogram,
  DRILL_PHASES,
  judge,
  QUERY_CLASSES,
  REPORT_FORMAT,
  type CutoverRecord,
  type QuerySample,
  type RunRecord,
} from '@e6data-ts/drill';

import { drillOptions } from '../../support/drill-fixtures';

const CUTOVER: CutoverRecord = { id: 1, from: 'blue', to: 'green', mode: 'graceful', source: 'drill', announceAt: 4_000, switchAt: 5_000, stableAt: 8_000 };

const sample = (startMs: number, latencyMs: number, over: Partial<QuerySample> = {}): QuerySample => ({
  startMs, latencyMs, cls: 'ok', errorKind: null, deployment: 'blue', retries: 0, ...over,
});

function run(samples: QuerySample[], over: Partial<RunRecord> = {}): RunRecord {
  return {
    startedAtMs: Date.UTC(2026, 0, 1),
    durationMs: 10_000,
    target: { kind: 'mock', address: '127.0.0.1:1' },
    options: drillOptions(['--ca', 'secret-ca.pem', '--tls', '--target', 'h:1']),
    samples,
    dropped: 3,
    cutovers: [CUTOVER],
    chaos: [],
    detections: 2,
    retriesByReason: { 'strategy-mismatch': 4 },
    interrupted: false,
    ...over,
  };
}

describe('buildReport', () => {
  const samples = [
    sample(100, 2),
    sample(4_500, 4, { cls: 'moved', deployment: 'green' }),
    sample(5_200, 50, { cls: 'retried', retries: 2, deployment: 'green' }),
    sample(6_000, 8, { cls: 'lost', errorKind: 'QueryLostError/QUERY_LOST', deployment: 'blue' }),
    sample(9_000, 1, { cls: 'ambiguous', errorKind: 'E6DataError/UNAVAILABLE', deployment: null }),
  ];
  const report = buildReport(run(samples));

  it('has the documented shape', () => {
    expect(report.format).toBe(REPORT_FORMAT);
    expect(report.version).toBe(1);
    expect(report.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(Object.keys(report.counts.byClass)).toEqual([...QUERY_CLASSES]);
    expect(Object.keys(report.latency.byPhase)).toEqual([...DRILL_PHASES]);
    expect(Object.keys(report.latency.byWindow)).toEqual([...CUTOVER_WINDOWS]);
    expect(report.latency.perCutover).toHaveLength(1);
    expect(report.histograms.perCutover).toHaveLength(1);
    expect(report.cutovers).toEqual([CUTOVER]);
    // JSON round trip keeps everything (no bigint, no Map, no undefined-only fields).
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('counts classes, error kinds, retries, drops and detections', () => {
    expect(report.counts).toEqual({
      queries: 5,
      byClass: { ok: 1, retried: 1, moved: 1, rerun: 0, ambiguous: 1, lost: 1 },
      errorKinds: { 'QueryLostError/QUERY_LOST': 1, 'E6DataError/UNAVAILABLE': 1 },
      dropped: 3,
      retries: 2,
      retriesByReason: { 'strategy-mismatch': 4 },
      detections: 2,
    });
  });

  it('puts each latency in its phase and window', () => {
    expect(report.latency.byPhase.stable.count).toBe(2);
    // HDR keeps 3 significant digits.
    const maxOf = (phase: 'announce' | 'cutover' | 'drain'): number => report.latency.byPhase[phase].maxMs;
    expect([report.latency.byPhase.announce.count, report.latency.byPhase.cutover.count, report.latency.byPhase.drain.count]).toEqual([1, 1, 1]);
    expect(maxOf('announce')).toBeCloseTo(4, 2);
    expect(maxOf('cutover')).toBeCloseTo(50, 1);
    expect(maxOf('drain')).toBeCloseTo(8, 2);
    // 100 ms is within 5 s of the switch at 5 s: nothing is baseline.
    expect(report.latency.byWindow.baseline.count).toBe(0);
    expect(report.latency.byWindow['-5s..0'].count).toBe(2);
    expect(report.latency.byWindow['0..1s'].count).toBe(1);
    expect(report.latency.byWindow['0..1s'].p50Ms).toBeCloseTo(50, 1);
    expect(report.latency.byWindow['1s..5s'].count).toBe(2);
    expect(report.latency.perCutover[0]?.['0..1s'].count).toBe(1);
    expect(decodeHistogram(report.histograms.overall).totalCount).toBe(5);
  });

  it('buckets the timeline by second of completion and deployment, with errors', () => {
    expect(report.timeline.bucketMs).toBe(1_000);
    expect(report.timeline.buckets).toHaveLength(11);
    expect(report.timeline.buckets[5]).toMatchObject({ t: 5_000, green: 1, blue: 0, errors: 0 });
    expect(report.timeline.buckets[5]?.p99Ms).toBeCloseTo(50, 1);
    expect(report.timeline.buckets[6]).toMatchObject({ blue: 1, errors: 1 });
    expect(report.timeline.buckets[9]).toMatchObject({ unknown: 1, errors: 1 });
    expect(report.errorMarks).toEqual([
      { t: 6_008, cls: 'lost', kind: 'QueryLostError/QUERY_LOST' },
      { t: 9_001, cls: 'ambiguous', kind: 'E6DataError/UNAVAILABLE' },
    ]);
  });

  it('keeps the options but not the CA file name', () => {
    expect(report.options.caFile).toBe(true);
    expect(JSON.stringify(report)).not.toContain('secret-ca.pem');
  });

  it('fails the verdict on lost and ambiguous queries', () => {
    expect(report.verdict).toEqual({ pass: false, lost: 1, ambiguous: 1, allowAmbiguous: false, summary: 'FAIL: 1 lost, 1 ambiguous of 5 queries' });
  });
});

describe('judge', () => {
  const counts = (over: Partial<Record<(typeof QUERY_CLASSES)[number], number>>): Record<(typeof QUERY_CLASSES)[number], number> => ({
    ok: 0, retried: 0, moved: 0, rerun: 0, ambiguous: 0, lost: 0, ...over,
  });
  it('passes with nothing lost', () => {
    expect(judge(counts({ ok: 10, moved: 2 }), false)).toMatchObject({ pass: true, summary: 'PASS: 0 lost of 12 queries' });
  });
  it('passes ambiguous queries only when allowed', () => {
    expect(judge(counts({ ok: 10, ambiguous: 1 }), false).pass).toBe(false);
    expect(judge(counts({ ok: 10, ambiguous: 1 }), true)).toMatchObject({ pass: true, summary: 'PASS: 0 lost of 11 queries (1 ambiguous, allowed)' });
    expect(judge(counts({ ok: 10, ambiguous: 1, lost: 1 }), true).pass).toBe(false);
  });
  it('fails a run in which no query finished', () => {
    expect(judge(counts({}), false)).toMatchObject({ pass: false, summary: 'FAIL: no query finished' });
  });
});
