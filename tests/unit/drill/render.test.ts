import { PassThrough } from 'node:stream';
import { barView, buildReport, chartData, escapeHtml, formatLine, plainView, renderHtml, renderTable, type LiveSnapshot } from '@e6data-ts/drill';

import { drillOptions } from '../../support/drill-fixtures';

const options = drillOptions();

const report = buildReport({
  startedAtMs: Date.UTC(2026, 0, 1),
  durationMs: 3_000,
  target: { kind: 'mock', address: '127.0.0.1:1' },
  options,
  samples: [
    { startMs: 100, latencyMs: 5, cls: 'ok', errorKind: null, deployment: 'blue', retries: 0 },
    { startMs: 1_500, latencyMs: 9, cls: 'lost', errorKind: '<script>alert(1)</script>', deployment: 'green', retries: 0 },
  ],
  dropped: 0,
  cutovers: [{ id: 4, from: 'blue', to: 'green', mode: 'graceful', source: 'drill', announceAt: 1_000, switchAt: 1_400, stableAt: 2_900 }],
  chaos: [{ kind: 'suspend-resume', startMs: 2_000, endMs: 2_500 }],
  detections: 1,
  retriesByReason: {},
  interrupted: true,
});

describe('renderTable', () => {
  it('shows counts, cutovers, phases, windows and the verdict', () => {
    const text = renderTable(report);
    expect(text).toContain('2 queries in 3.0 s against mock cluster 127.0.0.1:1 (interrupted)');
    expect(text).toMatch(/queries\s+1\s+0\s+0\s+0\s+0\s+1/);
    expect(text).toMatch(/#4 blue->green\s+graceful\s+1\.00\s+1\.40\s+2\.90/);
    expect(text).toContain('chaos: suspend-resume at 2.00s');
    expect(text.trimEnd().split('\n').at(-1)).toBe('FAIL: 1 lost of 2 queries');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(report, { script: '/* uplot */ window.uPlot = function () {};', css: '.u-legend{}' });

  it('inlines the chart library and fetches nothing', () => {
    expect(html).toContain('/* uplot */');
    expect(html).toContain('.u-legend{}');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
  });

  it('escapes text from the run', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain(escapeHtml('<script>alert(1)</script>'));
    expect(html.match(/<script/g)).toHaveLength(3);
  });

  it('draws phases as bands and errors as marks', () => {
    const data = chartData(report);
    expect(data.bands).toEqual([
      { from: 1, to: 1.4, kind: 'announce' },
      { from: 1.4, to: 2.4, kind: 'cutover' },
      { from: 2.4, to: 2.9, kind: 'drain' },
      { from: 2, to: 2.5, kind: 'chaos' },
    ]);
    expect(data.errors[1]).toBe(1);
    expect(data.errors[0]).toBeNull();
    expect(data.blue[0]).toBe(1);
    expect(data.x.slice(0, 2)).toEqual([0.5, 1.5]);
  });
});

describe('live view', () => {
  const snapshot: LiveSnapshot = {
    elapsedMs: 12_400, durationMs: 40_000, queriesPerSecond: 431.4, inFlight: 16, phase: 'announce', live: 'blue',
    counts: { ok: 5, retried: 1, moved: 2, rerun: 0, ambiguous: 0, lost: 0 }, dropped: 3,
  };
  it('formats one plain line', () => {
    expect(formatLine(snapshot)).toBe('t=12s 431 q/s in-flight 16 phase announce live blue | ok 5 retried 1 moved 2 rerun 0 ambiguous 0 lost 0 dropped 3');
  });
  it('writes at most one plain line per second', () => {
    const lines: string[] = [];
    const view = plainView((line) => lines.push(line));
    for (const elapsedMs of [0, 200, 900, 1_000, 1_999, 2_100]) view.update({ ...snapshot, elapsedMs });
    view.stop();
    expect(lines.map((line) => line.slice(0, 4))).toEqual(['t=0s', 't=1s', 't=2s']);
  });
});

describe('barView', () => {
  it('draws a progress bar on a terminal stream', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 160, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let drawn = '';
    stream.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    const view = barView(stream as unknown as NodeJS.WriteStream);
    const counts = { ok: 3, retried: 0, moved: 1, rerun: 0, ambiguous: 0, lost: 0 };
    view.update({ elapsedMs: 1_000, durationMs: 4_000, queriesPerSecond: 12, inFlight: 3, phase: 'announce', live: 'blue', counts, dropped: 0 });
    view.update({ elapsedMs: 2_000, durationMs: 4_000, queriesPerSecond: 14, inFlight: 3, phase: 'cutover', live: 'green', counts, dropped: 2 });
    view.stop();
    expect(drawn).toContain('12 q/s | in flight 3 | announce live blue | ok 3 retried 0 moved 1');
    stream.destroy();
  });
});
