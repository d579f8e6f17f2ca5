import {
  asReport,
  buildReport,
  decodeHistogram,
  mergeReports,
  ReportFormatError,
  type CutoverRecord,
  type DrillReport,
  type QuerySample,
} from '@e6data-ts/drill';

import { drillOptions } from '../../support/drill-fixtures';

const options = drillOptions();

const cutover = (switchAt: number): CutoverRecord => ({ id: 1, from: 'blue', to: 'green', mode: 'graceful', source: 'drill', announceAt: switchAt - 1_000, switchAt, stableAt: switchAt + 3_000 });

function report(startedAtMs: number, latencies: number[], over: Partial<QuerySample> = {}, switchAt = 5_000): DrillReport {
  return buildReport({
    startedAtMs,
    durationMs: 10_000,
    target: { kind: 'mock', address: '127.0.0.1:1' },
    options,
    samples: latencies.map((latencyMs, i) => ({ startMs: 5_000 + i * 10, latencyMs, cls: 'ok', errorKind: null, deployment: 'green', retries: 0, ...over })),
    dropped: 1,
    cutovers: [cutover(switchAt)],
    chaos: [],
    detections: 1,
    retriesByReason: { transient: 1 },
    interrupted: false,
  });
}

describe('mergeReports', () => {
  const a = report(1_000_000, [1, 2, 3, 4]);
  // Started 500 ms later, so the same cutover is 500 ms earlier on its own clock.
  const b = report(1_000_500, [100, 200], { cls: 'lost', errorKind: 'QueryLostError/QUERY_LOST' }, 4_500);
  const merged = mergeReports([a, b]);

  it('adds counts and keeps the earliest start', () => {
    expect(merged.clients).toBe(2);
    expect(merged.startedAtMs).toBe(1_000_000);
    expect(merged.durationMs).toBe(10_500);
    expect(merged.counts).toMatchObject({
      queries: 6,
      byClass: { ok: 4, lost: 2 },
      errorKinds: { 'QueryLostError/QUERY_LOST': 2 },
      dropped: 2,
      retriesByReason: { transient: 2 },
      detections: 2,
    });
    expect(merged.verdict.pass).toBe(false);
  });

  it('merges histograms exactly', () => {
    const overall = decodeHistogram(merged.histograms.overall);
    expect(overall.totalCount).toBe(6);
    expect(merged.latency.overall.maxMs).toBeCloseTo(200, 0);
    expect(merged.latency.overall.p50Ms).toBeCloseTo(3, 2);
    expect(merged.latency.byWindow['0..1s'].count).toBe(6);
  });

  it('matches one cutover seen by both clients and merges its windows', () => {
    expect(merged.cutovers).toEqual([cutover(5_000)]);
    expect(merged.latency.perCutover[0]?.['0..1s'].count).toBe(6);
  });

  it('keeps cutovers apart when they switch far apart', () => {
    const far = mergeReports([a, report(1_000_000, [5], {}, 9_000)]);
    expect(far.cutovers.map((c) => c.switchAt)).toEqual([5_000, 9_000]);
    // The second report's query started 4 s before its own cutover.
    expect(far.latency.perCutover.map((w) => w['0..1s'].count)).toEqual([4, 0]);
    expect(far.latency.perCutover.map((w) => w['-5s..0'].count)).toEqual([0, 1]);
  });

  it('re-aligns timeline buckets on the earliest start', () => {
    const total = merged.timeline.buckets.reduce((sum, bucket) => sum + bucket.green, 0);
    expect(total).toBe(6);
    expect(merged.timeline.buckets.map((bucket) => bucket.t)).toEqual([...merged.timeline.buckets.map((bucket) => bucket.t)].sort((x, y) => x - y));
  });

  it('is the identity on one report, apart from re-encoding', () => {
    const one = mergeReports([a]);
    expect(one.counts).toEqual(a.counts);
    expect(one.latency).toEqual(a.latency);
    expect(one.verdict).toEqual(a.verdict);
  });

  it('lets the caller allow ambiguous queries', () => {
    const ambiguous = report(1_000_000, [1], { cls: 'ambiguous', errorKind: 'E6DataError/UNAVAILABLE' });
    expect(mergeReports([a, ambiguous]).verdict.pass).toBe(false);
    expect(mergeReports([a, ambiguous], true).verdict.pass).toBe(true);
  });

  it('refuses an empty list', () => {
    expect(() => mergeReports([])).toThrow(ReportFormatError);
  });
});

describe('asReport', () => {
  it('accepts a report read back from JSON', () => {
    const a = report(1, [1]);
    expect(asReport('a.json', JSON.parse(JSON.stringify(a)))).toEqual(a);
  });

  it.each([
    [null, 'is not a JSON object'],
    [{ format: 'other' }, 'is not an e6-drill report'],
    [{ format: 'e6-drill-report', version: 9 }, 'has report version 9'],
    [{ format: 'e6-drill-report', version: 1, startedAtMs: 1 }, 'lacks "counts"'],
  ])('rejects %j', (value, message) => {
    expect(() => asReport('x.json', value)).toThrow(new ReportFormatError('x.json', expect.any(String) as string).constructor as typeof ReportFormatError);
    expect(() => asReport('x.json', value)).toThrow(message);
  });
});
