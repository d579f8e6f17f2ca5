import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CoverageMapData, type FileCoverageData } from 'istanbul-lib-coverage';
import { CoverageToolError } from '../../../scripts/coverage/coverage-error';
import { checkCoverageGate, describeGate, globalThresholds } from '../../../scripts/coverage/coverage-gate';
import { findCoverageFiles } from '../../../scripts/coverage/coverage-inputs';
import { coverageMarkdown } from '../../../scripts/coverage/coverage-markdown';
import { coverageTotals, mergeCoverageMaps, parseCoverageJson } from '../../../scripts/coverage/merge-coverage';
import { projectThresholds } from '../../../scripts/coverage/project-thresholds';
import { writeCoverageReports } from '../../../scripts/coverage/write-reports';
import jestConfig from '../../../jest.config';
import { useTempDir } from '../../support/temp-dir';

const FILE = '/project/packages/demo/src/demo.ts';

/** Coverage of one file with four statements on four lines, two functions and one two-way branch, with the given hit counts. */
function demoCoverage(hits: { s: number[]; f: number[]; b: number[] }): CoverageMapData {
  const at = (line: number) => ({ start: { line, column: 0 }, end: { line, column: 20 } });
  const file: FileCoverageData = {
    path: FILE,
    statementMap: { 0: at(1), 1: at(2), 2: at(3), 3: at(4) },
    fnMap: {
      0: { name: 'first', decl: at(1), loc: at(1), line: 1 },
      1: { name: 'second', decl: at(3), loc: at(3), line: 3 },
    },
    branchMap: { 0: { loc: at(2), type: 'if', locations: [at(2), at(2)], line: 2 } },
    s: Object.fromEntries(hits.s.map((n, i) => [i, n])),
    f: Object.fromEntries(hits.f.map((n, i) => [i, n])),
    b: { 0: hits.b },
  };
  return { [FILE]: file };
}

// The unit tier runs the first two statements and the first function and
// takes one side of the branch; the integration tier runs the rest.
const unitTier = demoCoverage({ s: [1, 3, 0, 0], f: [1, 0], b: [2, 0] });
const integrationTier = demoCoverage({ s: [0, 0, 5, 1], f: [0, 4], b: [0, 1] });

describe('coverage:merge: merging coverage maps', () => {
  test('two partial maps of one file merge to the union of what each covered', () => {
    const alone = coverageTotals(mergeCoverageMaps([unitTier]));
    expect(alone.statements).toEqual({ total: 4, covered: 2, pct: 50 });
    expect(alone.branches).toEqual({ total: 2, covered: 1, pct: 50 });

    const merged = mergeCoverageMaps([unitTier, integrationTier]);
    expect(merged.files()).toEqual([FILE]);
    const totals = coverageTotals(merged);
    expect(totals).toEqual({
      statements: { total: 4, covered: 4, pct: 100 },
      branches: { total: 2, covered: 2, pct: 100 },
      functions: { total: 2, covered: 2, pct: 100 },
      lines: { total: 4, covered: 4, pct: 100 },
    });
    // Hit counts add up, as when one process had run both tiers; the inputs stay as they were.
    expect(merged.fileCoverageFor(FILE).data.s).toEqual({ 0: 1, 1: 3, 2: 5, 3: 1 });
    expect((unitTier[FILE] as FileCoverageData).s).toEqual({ 0: 1, 1: 3, 2: 0, 3: 0 });
  });

  test('maps of different files are kept side by side', () => {
    const other = { [FILE.replace('demo.ts', 'other.ts')]: { ...unitTier[FILE], path: FILE.replace('demo.ts', 'other.ts') } } as CoverageMapData;
    const merged = mergeCoverageMaps([unitTier, other]);
    expect(merged.files()).toHaveLength(2);
    expect(coverageTotals(merged).statements).toEqual({ total: 8, covered: 4, pct: 50 });
  });

  test('input that is not a coverage map is refused with the file named, not echoed', () => {
    expect(() => parseCoverageJson('{"a": 1', 'tiers/unit/coverage-final.json')).toThrow(/^tiers\/unit\/coverage-final\.json: not JSON/);
    const notCoverage = () => parseCoverageJson('{"x.ts": {"path": "x.ts", "secret": "hunter2"}}', 'c.json');
    expect(notCoverage).toThrow(CoverageToolError);
    expect(notCoverage).toThrow('c.json: the entry for x.ts is not istanbul file coverage');
    expect(notCoverage).not.toThrow(/hunter2/);
    expect(() => parseCoverageJson('[]', 'c.json')).toThrow('c.json: expected an object');
  });
});

describe('coverage:merge: the gate', () => {
  const partial = coverageTotals(mergeCoverageMaps([unitTier]));

  test('totals at or above every threshold pass', () => {
    const verdict = checkCoverageGate(partial, { lines: 50, statements: 50, branches: 50, functions: 50 });
    expect(verdict).toEqual({ passed: true });
    expect(describeGate(partial, { lines: 50 }, verdict)).toBe(
      'coverage gate passed: statements 50 %, branches 50 %, functions 50 %, lines 50 % (>= 50)',
    );
  });

  test('below a threshold fails and names the metric', () => {
    const verdict = checkCoverageGate(partial, { lines: 50, branches: 85 });
    expect(verdict).toEqual({ passed: false, failures: [{ metric: 'branches', kind: 'percent', actual: 50, required: 85 }] });
    expect(describeGate(partial, { lines: 50, branches: 85 }, verdict)).toMatch(/^coverage gate FAILED \(branches 50 % < 85 %\): statements 50 %, branches 50 % \(>= 85\)/);
  });

  test('a negative threshold is a maximum of uncovered items, as in jest', () => {
    expect(checkCoverageGate(partial, { statements: -2 })).toEqual({ passed: true });
    expect(checkCoverageGate(partial, { statements: -1 })).toEqual({
      passed: false,
      failures: [{ metric: 'statements', kind: 'uncovered', actual: 2, required: 1 }],
    });
  });

  test('no thresholds: the gate passes and says none is set', () => {
    const verdict = checkCoverageGate(partial, {});
    expect(describeGate(partial, {}, verdict)).toMatch(/^coverage gate: no thresholds set: /);
  });

  test('thresholds come from jest.config.ts, the same object `pnpm test` enforces', () => {
    expect(projectThresholds()).toEqual(jestConfig.coverageThreshold?.global);
    expect(Object.keys(projectThresholds()).sort()).toEqual(['branches', 'functions', 'lines', 'statements']);
  });

  test('thresholds the merged gate cannot apply like jest are refused', () => {
    expect(() => globalThresholds({ global: { lines: 90 }, './packages/x/': { lines: 50 } })).toThrow(
      'only "global" is supported by the merged gate, found "./packages/x/"',
    );
    expect(() => globalThresholds({ global: { line: 90 } })).toThrow('unknown metric "line"');
    expect(() => globalThresholds({ global: { lines: '90' } })).toThrow('coverageThreshold.global.lines: must be a number');
    expect(globalThresholds(undefined)).toEqual({});
  });

  test('the job summary is a markdown table with the verdict', () => {
    const thresholds = { lines: 90, branches: 40 };
    const md = coverageMarkdown('Coverage (Node 20)', partial, thresholds, checkCoverageGate(partial, thresholds), 4);
    expect(md).toContain('### Coverage (Node 20)');
    expect(md).toContain('**Coverage gate: FAILED** (lines 50 % < 90 %)');
    expect(md).toContain('| lines | 2 | 4 | 50 % | 90 % | fail |');
    expect(md).toContain('| branches | 1 | 2 | 50 % | 40 % | pass |');
    expect(md).toContain('| functions | 1 | 2 | 50 % | none |  |');
    expect(md).toContain('Merged from 4 coverage files');
  });
});

describe('coverage:merge: files on disk', () => {
  const tempDir = useTempDir('coverage-merge');

  test('finds coverage-final.json at any depth, skipping the output folder', () => {
    const dir = tempDir();
    for (const sub of ['coverage-unit-node20/unit', 'coverage-e2e-node20/e2e', 'merged']) {
      mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, sub, 'coverage-final.json'), '{}');
    }
    writeFileSync(join(dir, 'coverage-e2e-node20', 'coverage-summary.json'), '{}');
    const found = findCoverageFiles([dir], join(dir, 'merged'));
    expect(found.map((f) => f.slice(dir.length + 1))).toEqual([
      'coverage-e2e-node20/e2e/coverage-final.json',
      'coverage-unit-node20/unit/coverage-final.json',
    ]);
    expect(() => findCoverageFiles([join(dir, 'missing')])).toThrow(/missing: no such file or directory/);
  });

  test('writes the merged json map and summary', () => {
    const dir = tempDir();
    const map = mergeCoverageMaps([unitTier, integrationTier]);
    writeCoverageReports(map, dir, ['json', 'json-summary']);
    const summary = JSON.parse(readFileSync(join(dir, 'coverage-summary.json'), 'utf8'));
    expect(summary.total.lines).toMatchObject({ total: 4, covered: 4, pct: 100 });
    const written = parseCoverageJson(readFileSync(join(dir, 'coverage-final.json'), 'utf8'), 'written');
    expect(coverageTotals(mergeCoverageMaps([written])).branches.covered).toBe(2);
    expect(existsSync(join(dir, 'index.html'))).toBe(false);
  });
});
