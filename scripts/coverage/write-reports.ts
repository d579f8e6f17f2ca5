import { type CoverageMap } from 'istanbul-lib-coverage';
import { createContext } from 'istanbul-lib-report';
import { create, type ReportType } from 'istanbul-reports';

/** The reports the merged coverage is written as: browsable HTML, machine-readable summary and map, and the console table. */
export const MERGED_REPORTS: readonly ReportType[] = ['html', 'json-summary', 'json', 'text'];

/** Writes istanbul reports for a map into `dir` (the `text` report goes to stdout). */
export function writeCoverageReports(map: CoverageMap, dir: string, reports: readonly ReportType[] = MERGED_REPORTS): void {
  const context = createContext({ dir, coverageMap: map, defaultSummarizer: 'nested' });
  for (const report of reports) create(report).execute(context);
}
