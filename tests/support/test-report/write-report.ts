import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReportModel, type AggregatedResultsLike } from './report-model';
import { renderReportHtml } from './render-report';

/** The file name of the full run's report, which a single tier's run never overwrites. */
export const FULL_REPORT_FILE = 'test-report.html';

/**
 * Where a run's report goes: a run whose tests all belong to one tier
 * (`pnpm test:unit`, or one file) writes `<tier>.html`; a run over several
 * tiers writes the full report.
 */
export function reportFileName(tiers: readonly string[]): string {
  return tiers.length === 1 ? `${tiers[0]}.html` : FULL_REPORT_FILE;
}

/** Writes the run's report into `outputDir` and returns its path, or null when no test file ran. */
export function writeTestReport(results: AggregatedResultsLike, options: { rootDir: string; outputDir: string; title: string }): string | null {
  const model = buildReportModel(results, { title: options.title, rootDir: options.rootDir });
  if (model.tiers.length === 0) return null;
  const tiers = model.tiers.map((t) => t.name);
  const path = join(options.outputDir, reportFileName(tiers));
  const title = tiers.length === 1 ? `${options.title}: ${tiers[0]} tier` : options.title;
  mkdirSync(options.outputDir, { recursive: true });
  writeFileSync(path, renderReportHtml({ ...model, title }));
  return path;
}
