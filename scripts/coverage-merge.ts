// `pnpm coverage:merge [--out dir] [--markdown file] [--title text] [path...]`
//
// Merges the coverage-final.json files of separate runs (the pull-request
// pipeline's one job per tier), writes the merged reports and applies the
// gate of `pnpm test`. Exit status: 0 passed, 1 below a threshold, 2 bad
// arguments or input.
import { appendFileSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CoverageToolError } from './coverage/coverage-error';
import { checkCoverageGate, describeFailure, describeGate } from './coverage/coverage-gate';
import { findCoverageFiles, readCoverageFile } from './coverage/coverage-inputs';
import { coverageMarkdown } from './coverage/coverage-markdown';
import { coverageTotals, mergeCoverageMaps, parseCoverageJson } from './coverage/merge-coverage';
import { projectThresholds } from './coverage/project-thresholds';
import { writeCoverageReports } from './coverage/write-reports';

const USAGE = 'usage: pnpm coverage:merge [--out coverage/merged] [--markdown file] [--title text] [file-or-directory...] (default: coverage)';

function main(argv: readonly string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: 'string', default: 'coverage/merged' },
        markdown: { type: 'string' },
        title: { type: 'string', default: 'Coverage (all tiers merged)' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new CoverageToolError('BAD_ARGUMENTS', `${err instanceof Error ? err.message : String(err)}\n${USAGE}`, { cause: err });
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  const files = findCoverageFiles(positionals.length > 0 ? positionals : ['coverage'], values.out);
  if (files.length === 0) {
    throw new CoverageToolError('NO_INPUT', `no coverage-final.json found under ${positionals.join(', ') || 'coverage'}; run the tiers with --coverage first`);
  }
  const map = mergeCoverageMaps(files.map((file) => parseCoverageJson(readCoverageFile(file), file)));
  const thresholds = projectThresholds();
  const totals = coverageTotals(map);
  const verdict = checkCoverageGate(totals, thresholds);

  console.log(`merging ${files.length} coverage file${files.length === 1 ? '' : 's'}:\n${files.map((f) => `  ${f}`).join('\n')}`);
  mkdirSync(values.out, { recursive: true });
  writeCoverageReports(map, values.out);
  if (values.markdown !== undefined) appendFileSync(values.markdown, coverageMarkdown(values.title, totals, thresholds, verdict, files.length));
  console.log(`merged coverage report: ${values.out}/index.html`);
  console.log(describeGate(totals, thresholds, verdict));
  if (!verdict.passed) {
    console.error(`coverage:merge: below the threshold of jest.config.ts: ${verdict.failures.map(describeFailure).join('; ')}`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof CoverageToolError)) throw err;
  console.error(`coverage:merge: ${err.message}`);
  process.exitCode = 2;
}
