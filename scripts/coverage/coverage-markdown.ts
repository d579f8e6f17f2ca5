import { COVERAGE_METRICS, describeFailure, formatPct, type CoverageThresholds, type CoverageTotals, type GateVerdict } from './coverage-gate';

/**
 * The coverage summary as a markdown table with the gate's verdict on top,
 * for a pull request's job summary (`$GITHUB_STEP_SUMMARY`).
 */
export function coverageMarkdown(title: string, totals: CoverageTotals, thresholds: CoverageThresholds, verdict: GateVerdict, inputs: number): string {
  const headline = verdict.passed
    ? '**Coverage gate: passed**'
    : `**Coverage gate: FAILED** (${verdict.failures.map(describeFailure).join('; ')})`;
  const failed = new Set(verdict.passed ? [] : verdict.failures.map((f) => f.metric));
  const rows = COVERAGE_METRICS.map((metric) => {
    const { covered, total, pct } = totals[metric];
    const required = thresholds[metric];
    const threshold = required === undefined ? 'none' : required < 0 ? `at most ${-required} uncovered` : `${required} %`;
    const status = required === undefined ? '' : failed.has(metric) ? 'fail' : 'pass';
    return `| ${metric} | ${covered} | ${total} | ${formatPct(pct)} | ${threshold} | ${status} |`;
  });
  return [
    `### ${title}`,
    '',
    headline,
    '',
    '| metric | covered | total | coverage | threshold | gate |',
    '|---|--:|--:|--:|--:|---|',
    ...rows,
    '',
    `Merged from ${inputs} coverage file${inputs === 1 ? '' : 's'}; thresholds from \`jest.config.ts\` (\`coverageThreshold.global\`).`,
    '',
  ].join('\n');
}
