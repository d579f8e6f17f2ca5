// The run's last two lines: the test counts and the coverage gate's verdict
// with the totals, computed the way jest and `pnpm coverage:merge` gate.
import { type CoverageMap } from 'istanbul-lib-coverage';
import { CoverageToolError } from '../../../scripts/coverage/coverage-error';
import { checkCoverageGate, describeGate, globalThresholds } from '../../../scripts/coverage/coverage-gate';
import { coverageTotals } from '../../../scripts/coverage/merge-coverage';

/** The part of jest's aggregated results the closing lines read. */
export interface RunCountsLike {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly numTodoTests: number;
  readonly coverageMap?: CoverageMap | null;
}

/** `tests: N passed, N failed, N skipped` and one line on the coverage gate. */
export function closingLines(results: RunCountsLike, coverage: { collected: boolean; threshold: unknown }): [string, string] {
  const skipped = results.numPendingTests + results.numTodoTests;
  const tests = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`;
  return [tests, coverageLine(results.coverageMap ?? null, coverage)];
}

function coverageLine(map: CoverageMap | null, coverage: { collected: boolean; threshold: unknown }): string {
  if (!coverage.collected) return 'coverage gate: not applied (coverage not collected; `pnpm test` collects it and applies the gate)';
  if (map === null) return 'coverage gate: not applied (the run ended before coverage was gathered)';
  let thresholds;
  try {
    thresholds = globalThresholds(coverage.threshold);
  } catch (err) {
    if (!(err instanceof CoverageToolError)) throw err;
    return `coverage gate: see jest's messages above (${err.message})`;
  }
  const totals = coverageTotals(map);
  return describeGate(totals, thresholds, checkCoverageGate(totals, thresholds));
}
