// Renders the report model as one self-contained HTML page: inline CSS, no
// script, no font or image, so it opens from an artifact download or a file
// URL with no network. Failing files and tests are open; the rest fold.
import { type Counts, type ReportFile, type ReportModel, type ReportTest, type ReportTier } from './report-model';

/** The report as a complete HTML document. */
export function renderReportHtml(model: ReportModel): string {
  const slowestMs = Math.max(1, ...model.tiers.flatMap((tier) => tier.files.map((f) => f.durationMs)));
  const ids = new TestIds();
  const tiers = model.tiers.map((tier) => renderTier(tier, slowestMs, ids)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(model.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(model.title)}</h1>
<p class="totals" data-passed="${model.counts.passed}" data-failed="${model.counts.failed}" data-skipped="${model.counts.skipped}">${countsText(model.counts)}, started ${esc(model.startedAt.toISOString())}</p>
<nav>${model.tiers.map((tier) => `<a class="tab${tier.files.some((f) => f.failed) ? ' failed' : ''}" href="#tier-${esc(tier.name)}">${esc(tier.name)} <small>${countsText(tier.counts)}</small></a>`).join('')}</nav>
</header>
${renderFailureIndex(model, ids)}
${tiers}
</body>
</html>
`;
}

/** Anchors for failing tests, handed out in render order so the failure index links to them. */
class TestIds {
  private readonly byTest = new Map<ReportTest, string>();

  idFor(test: ReportTest): string {
    let id = this.byTest.get(test);
    if (id === undefined) {
      id = `test-${this.byTest.size + 1}`;
      this.byTest.set(test, id);
    }
    return id;
  }
}

function renderFailureIndex(model: ReportModel, ids: TestIds): string {
  const items: string[] = [];
  for (const tier of model.tiers) {
    for (const file of tier.files) {
      if (file.error !== null) items.push(`<li>${esc(tier.name)} › ${esc(file.path)}: the file failed to run</li>`);
      for (const test of file.tests) {
        if (test.status === 'failed') items.push(`<li><a href="#${ids.idFor(test)}">${esc(tier.name)} › ${esc(file.path)} › ${esc(test.name)}</a></li>`);
      }
    }
  }
  if (items.length === 0) return '';
  return `<section class="failures" id="failures"><h2>Failures (${items.length})</h2><ul>${items.join('')}</ul></section>`;
}

function renderTier(tier: ReportTier, slowestMs: number, ids: TestIds): string {
  const c = tier.counts;
  return `<section class="tier" id="tier-${esc(tier.name)}" data-tier="${esc(tier.name)}" data-passed="${c.passed}" data-failed="${c.failed}" data-skipped="${c.skipped}">
<h2>${esc(tier.name)} <small class="counts">${countsText(c)} in ${tier.files.length} file${tier.files.length === 1 ? '' : 's'}, ${formatMs(tier.durationMs)}${brokenText(tier)}</small></h2>
<table>
<thead><tr><th>file and tests</th><th class="num">passed</th><th class="num">failed</th><th class="num">skipped</th><th class="time">file time</th></tr></thead>
<tbody>
${tier.files.map((file) => renderFile(file, slowestMs, ids)).join('\n')}
</tbody>
</table>
</section>`;
}

function renderFile(file: ReportFile, slowestMs: number, ids: TestIds): string {
  // The slowest file's bar is BAR_REM wide; a file that took any time at all stays visible.
  const width = file.durationMs <= 0 ? 0 : Math.max(0.15, (file.durationMs / slowestMs) * BAR_REM);
  const error = file.error === null ? '' : `<pre class="failure">${esc(file.error)}</pre>`;
  return `<tr class="file ${file.failed ? 'failed' : 'passed'}" data-file="${esc(file.path)}">
<td><details${file.failed ? ' open' : ''}><summary>${file.failed ? '✗' : '✓'} ${esc(file.path)}</summary>${error}<ul>${file.tests.map((t) => renderTest(t, ids)).join('')}</ul></details></td>
<td class="num">${file.counts.passed}</td><td class="num">${file.counts.failed}</td><td class="num">${file.counts.skipped}</td>
<td class="time"><span class="bar" style="width:${width.toFixed(2)}rem"></span><span class="ms">${formatMs(file.durationMs)}</span></td>
</tr>`;
}

function renderTest(test: ReportTest, ids: TestIds): string {
  const mark = test.status === 'passed' ? '✓' : test.status === 'failed' ? '✗' : '○';
  const id = test.status === 'failed' ? ` id="${ids.idFor(test)}"` : '';
  const failures = test.failures.map((f) => `<pre class="failure">${esc(f)}</pre>`).join('');
  return `<li class="test ${test.status}"${id} data-status="${test.status}">${mark} ${esc(test.name)} <small>${formatMs(test.durationMs)}</small>${failures}</li>`;
}

function brokenText(tier: ReportTier): string {
  const broken = tier.files.filter((f) => f.error !== null).length;
  return broken === 0 ? '' : `; ${broken} file${broken === 1 ? '' : 's'} failed to run`;
}

function countsText(c: Counts): string {
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const BAR_REM = 9;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 2rem 3rem; color: #1f2328; }
header { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #d0d7de; }
h1 { font-size: 1.4rem; margin: .5rem 0; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
small { color: #57606a; font-weight: normal; }
nav { display: flex; gap: .5rem; flex-wrap: wrap; }
.tab { padding: .3rem .7rem; border: 1px solid #d0d7de; border-radius: 6px; text-decoration: none; color: inherit; }
.tab.failed, .failures { border-color: #cf222e; }
.failures { border: 1px solid; border-radius: 6px; padding: 0 1rem; margin-top: 1rem; background: #fff5f5; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .25rem .5rem; border-bottom: 1px solid #eaeef2; }
.num { text-align: right; width: 4.5rem; }
.time { width: 14rem; }
.bar { display: inline-block; height: .8rem; background: #54aeff; margin-right: .4rem; vertical-align: middle; }
tr.failed summary, li.failed { color: #cf222e; }
li.skipped { color: #8c959f; }
ul { list-style: none; padding-left: 1rem; margin: .25rem 0; }
pre.failure { white-space: pre-wrap; background: #fff5f5; border-left: 3px solid #cf222e; padding: .5rem; color: #1f2328; overflow-x: auto; }
summary { cursor: pointer; }
`;
