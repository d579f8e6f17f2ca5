// The HTML report: one self-contained file (uPlot's script and styles inlined,
// no network fetch) with a timeline chart and the same tables as stdout.
import { readFileSync } from 'node:fs';
import { type LatencySummary } from './latency';
import { CUTOVER_SETTLE_MS, CUTOVER_WINDOWS, DRILL_PHASES } from './phases';
import { QUERY_CLASSES } from './query-class';
import { type DrillReport } from './report';

/** uPlot's browser build and stylesheet, read from the installed package. */
export function uplotAssets(): { script: string; css: string } {
  return {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Inline script text must not close its element early. */
function scriptText(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}

function htmlTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const head = header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const num = (value: number): string => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
const latencyCells = (s: LatencySummary): string[] => [String(s.count), num(s.p50Ms), num(s.p90Ms), num(s.p99Ms), num(s.maxMs)];
const LATENCY_HEADER = ['queries', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];
const seconds = (t: number | null): string => (t === null ? '-' : (t / 1_000).toFixed(2));

/** The data the chart script reads. */
export function chartData(report: DrillReport): {
  x: number[];
  blue: number[];
  green: number[];
  other: number[];
  p99: number[];
  errors: Array<number | null>;
  bands: Array<{ from: number; to: number; kind: 'announce' | 'cutover' | 'drain' | 'chaos' }>;
} {
  const perSecond = 1_000 / report.timeline.bucketMs;
  const buckets = report.timeline.buckets;
  const bands: ReturnType<typeof chartData>['bands'] = [];
  for (const c of report.cutovers) {
    if (c.announceAt !== null && c.announceAt < c.switchAt) bands.push({ from: c.announceAt / 1_000, to: c.switchAt / 1_000, kind: 'announce' });
    const settle = c.switchAt + CUTOVER_SETTLE_MS;
    const stable = c.stableAt ?? report.durationMs;
    bands.push({ from: c.switchAt / 1_000, to: (c.mode === 'hard' ? settle : Math.min(settle, Math.max(stable, c.switchAt + 100))) / 1_000, kind: 'cutover' });
    if (c.mode !== 'hard' && stable > settle) bands.push({ from: settle / 1_000, to: stable / 1_000, kind: 'drain' });
  }
  for (const event of report.chaos) bands.push({ from: event.startMs / 1_000, to: event.endMs / 1_000, kind: 'chaos' });
  return {
    // Each point at the middle of its second, so it lines up with the phase bands.
    x: buckets.map((b) => (b.t + report.timeline.bucketMs / 2) / 1_000),
    blue: buckets.map((b) => b.blue * perSecond),
    green: buckets.map((b) => b.green * perSecond),
    other: buckets.map((b) => b.unknown * perSecond),
    p99: buckets.map((b) => b.p99Ms),
    errors: buckets.map((b) => (b.errors > 0 ? b.errors * perSecond : null)),
    bands,
  };
}

// Runs in the page: draws the timeline with uPlot, phases as bands under the series.
const CHART_SCRIPT = `
(function () {
  var d = JSON.parse(document.getElementById('drill-data').textContent);
  var colors = { announce: 'rgba(255,193,7,0.22)', cutover: 'rgba(220,53,69,0.25)', drain: 'rgba(13,110,253,0.12)', chaos: 'rgba(108,117,125,0.22)' };
  var el = document.getElementById('timeline');
  var width = Math.max(600, Math.min(1200, el.clientWidth || 1000));
  var opts = {
    title: 'Queries per second by deployment, p99 latency, cutover phases',
    width: width, height: 380,
    scales: { x: { time: false }, qps: { auto: true }, ms: { auto: true } },
    axes: [
      { label: 'seconds since start' },
      { scale: 'qps', label: 'queries/s' },
      { scale: 'ms', side: 1, label: 'p99 ms', grid: { show: false } }
    ],
    series: [
      { label: 't (s)' },
      { label: 'blue q/s', scale: 'qps', stroke: '#0d6efd', width: 2 },
      { label: 'green q/s', scale: 'qps', stroke: '#198754', width: 2 },
      { label: 'unknown q/s', scale: 'qps', stroke: '#6c757d', width: 1 },
      { label: 'p99 ms', scale: 'ms', stroke: '#6f42c1', width: 1, dash: [5, 4] },
      { label: 'errors/s', scale: 'qps', stroke: '#dc3545', width: 0, paths: function () { return null; }, points: { show: true, size: 9, fill: '#dc3545', stroke: '#dc3545' } }
    ],
    hooks: {
      drawClear: [function (u) {
        var ctx = u.ctx;
        ctx.save();
        d.bands.forEach(function (b) {
          var x0 = u.valToPos(b.from, 'x', true), x1 = u.valToPos(b.to, 'x', true);
          ctx.fillStyle = colors[b.kind];
          ctx.fillRect(x0, u.bbox.top, Math.max(2, x1 - x0), u.bbox.height);
        });
        ctx.restore();
      }]
    }
  };
  window.drillChart = new uPlot(opts, [d.x, d.blue, d.green, d.other, d.p99, d.errors], el);
  document.body.setAttribute('data-chart', 'ready');
})();
`;

/** The whole HTML document of a report. */
export function renderHtml(report: DrillReport, assets: { script: string; css: string } = uplotAssets()): string {
  const { counts } = report;
  const title = `e6-drill report: ${report.verdict.pass ? 'PASS' : 'FAIL'}`;
  const kinds = Object.entries(counts.errorKinds).sort(([, a], [, b]) => b - a);
  const sections = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="verdict ${report.verdict.pass ? 'pass' : 'fail'}">${escapeHtml(report.verdict.summary)}</p>`,
    `<p>${escapeHtml(
      `${counts.queries} queries in ${(report.durationMs / 1_000).toFixed(1)} s, started ${report.startedAt}, target ${report.target.kind} ${report.target.address}, ` +
        `${report.clients} client(s), ${report.options.workers} workers${report.options.rate === null ? '' : `, ${report.options.rate} starts/s`}, mode ${report.options.mode}` +
        `${report.interrupted ? ' (interrupted)' : ''}`,
    )}</p>`,
    '<div id="timeline"></div>',
    '<p class="legend"><span class="b announce"></span>announce <span class="b cutover"></span>cutover (first second after the switch) <span class="b drain"></span>drain <span class="b chaos"></span>chaos</p>',
    '<h2>Queries by class</h2>',
    htmlTable([...QUERY_CLASSES, 'dropped starts', 'retries', 'detections'], [[...QUERY_CLASSES.map((cls) => String(counts.byClass[cls])), String(counts.dropped), String(counts.retries), String(counts.detections)]]),
    '<h2>Errors by kind</h2>',
    kinds.length === 0 ? '<p>none</p>' : htmlTable(['kind', 'queries'], kinds.map(([kind, n]) => [kind, String(n)])),
    '<h2>Cutovers</h2>',
    report.cutovers.length === 0
      ? '<p>none</p>'
      : htmlTable(
          ['id', 'from', 'to', 'mode', 'seen by', 'announce s', 'switch s', 'stable s', '0..1s p99 ms', '0..1s max ms'],
          report.cutovers.map((c, i) => {
            const first = report.latency.perCutover[i]?.['0..1s'];
            return [String(c.id), c.from, c.to, c.mode, c.source, seconds(c.announceAt), seconds(c.switchAt), seconds(c.stableAt), first === undefined ? '-' : num(first.p99Ms), first === undefined ? '-' : num(first.maxMs)];
          }),
        ),
    '<h2>Latency by phase</h2>',
    htmlTable(['phase', ...LATENCY_HEADER], DRILL_PHASES.map((phase) => [phase, ...latencyCells(report.latency.byPhase[phase])])),
    '<h2>Latency by window around each switch (t=0)</h2>',
    htmlTable(['window', ...LATENCY_HEADER], CUTOVER_WINDOWS.map((w) => [w, ...latencyCells(report.latency.byWindow[w])])),
    '<h2>All queries</h2>',
    htmlTable(['', ...LATENCY_HEADER], [['all', ...latencyCells(report.latency.overall)]]),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${assets.css}</style>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #212529; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #dee2e6; padding: 0.25rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.verdict { font-weight: bold; font-size: 1.2rem; }
.pass { color: #198754; } .fail { color: #dc3545; }
.legend .b { display: inline-block; width: 1rem; height: 0.8rem; margin: 0 0.3rem 0 1rem; vertical-align: middle; }
.b.announce { background: rgba(255,193,7,0.5); } .b.cutover { background: rgba(220,53,69,0.5); }
.b.drain { background: rgba(13,110,253,0.3); } .b.chaos { background: rgba(108,117,125,0.4); }
</style>
</head>
<body>
${sections.join('\n')}
<script id="drill-data" type="application/json">${scriptJson(chartData(report))}</script>
<script>${scriptText(assets.script)}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}
