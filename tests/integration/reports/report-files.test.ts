// Which file a run's report goes to: the full run's report survives a later
// one-tier run, which writes its own page beside it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '../../support/temp-dir';
import { reportFileName, writeTestReport } from '../../support/test-report/write-report';
import { everyTierResults, ROOT, unitOnlyResults } from './synthetic-results';

describe('HTML test report files', () => {
  const tempDir = useTempDir('report-files');

  test('a run over several tiers writes test-report.html; a one-tier run writes <tier>.html', () => {
    expect(reportFileName(['unit', 'integration', 'e2e', 'performance'])).toBe('test-report.html');
    expect(reportFileName(['unit', 'e2e'])).toBe('test-report.html');
    expect(reportFileName(['e2e'])).toBe('e2e.html');
  });

  test('a tier run after the full run leaves the full report as it was', () => {
    const dir = tempDir();
    const options = { rootDir: ROOT, outputDir: dir, title: 'e6data-ts tests' };
    writeTestReport(everyTierResults(), options);
    const full = readFileSync(join(dir, 'test-report.html'), 'utf8');

    expect(writeTestReport(unitOnlyResults(), options)).toBe(join(dir, 'unit.html'));
    expect(readdirSync(dir).sort()).toEqual(['test-report.html', 'unit.html']);
    expect(readFileSync(join(dir, 'test-report.html'), 'utf8')).toBe(full);
    const unit = readFileSync(join(dir, 'unit.html'), 'utf8');
    expect(unit).toContain('<title>e6data-ts tests: unit tier</title>');
    expect(unit).not.toContain('data-tier="e2e"');
  });

  test('a run in which no test file ran writes nothing', () => {
    const dir = tempDir();
    expect(writeTestReport({ startTime: 0, testResults: [] }, { rootDir: ROOT, outputDir: dir, title: 't' })).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});
