// The closing lines come last in a real jest run, after jest's coverage table,
// its threshold messages and its own summary. jest runs in a child process on
// a two-file project made here, with stdout and stderr into one file so the
// order on disk is the order of writing.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { useTempDir } from '../../support/temp-dir';

const SUMMARY_REPORTER = resolve(__dirname, '../../support/summary-reporter.cjs');
const JEST_BIN = require.resolve('jest/bin/jest');

const SOURCE = 'exports.sign = (n) => {\n  if (n < 0) return -1;\n  return 1;\n};\n';

/** Runs jest on a project whose one test covers `sign` for the given inputs; returns the interleaved output and exit status. */
function runJest(dir: string, inputs: number[], coverageThreshold: object): { output: string; status: number | null } {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'sign.js'), SOURCE);
  writeFileSync(
    join(dir, 'sign.test.js'),
    `const { sign } = require('./src/sign');\ntest('sign', () => {\n${inputs.map((n) => `  expect(Math.abs(sign(${n}))).toBe(1);\n`).join('')}});\n`,
  );
  const config = {
    rootDir: dir,
    testEnvironment: 'node',
    transform: {},
    reporters: ['default', SUMMARY_REPORTER],
    collectCoverageFrom: ['src/**/*.js'],
    coverageReporters: ['text'],
    coverageThreshold,
  };
  writeFileSync(join(dir, 'jest.config.json'), JSON.stringify(config));
  const log = join(dir, 'out.log');
  const fd = openSync(log, 'w');
  try {
    const run = spawnSync(process.execPath, [JEST_BIN, '--config', join(dir, 'jest.config.json'), '--coverage', '--ci', '--watchman=false'], {
      cwd: dir,
      stdio: ['ignore', fd, fd],
      timeout: 60_000,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    return { output: readFileSync(log, 'utf8'), status: run.status };
  } finally {
    closeSync(fd);
  }
}

function lastLines(output: string, n: number): string[] {
  return output.trimEnd().split('\n').slice(-n);
}

describe('closing lines of a jest run', () => {
  const dir = useTempDir('closing-lines');

  test('gate met: the test counts, then "coverage gate passed" with the totals, after the coverage table and the summary', () => {
    const { output, status } = runJest(dir(), [-2, 3], { global: { lines: 100, branches: 100 } });
    expect(status).toBe(0);
    expect(lastLines(output, 2)).toEqual([
      'tests: 1 passed, 0 failed, 0 skipped',
      'coverage gate passed: statements 100 %, branches 100 % (>= 100), functions 100 %, lines 100 % (>= 100)',
    ]);
    const closing = output.lastIndexOf('tests: 1 passed');
    expect(output.indexOf('% Stmts')).toBeGreaterThan(-1);
    expect(output.indexOf('% Stmts')).toBeLessThan(closing);
    expect(output.indexOf('Ran all test suites')).toBeLessThan(closing);
  }, 90_000);

  test('gate missed: the run fails and the last line names the metric below its threshold', () => {
    const { output, status } = runJest(dir(), [3], { global: { lines: 50, branches: 100 } });
    expect(status).toBe(1);
    expect(output).toMatch(/Jest: "global" coverage threshold for branches \(100%\) not met: 50%|Coverage for branches \(50%\) does not meet "global" threshold \(100%\)/);
    expect(lastLines(output, 2)).toEqual([
      'tests: 1 passed, 0 failed, 0 skipped',
      'coverage gate FAILED (branches 50 % < 100 %): statements 75 %, branches 50 % (>= 100), functions 100 %, lines 100 % (>= 50)',
    ]);
    expect(output.lastIndexOf('does not meet')).toBeLessThan(output.lastIndexOf('tests: 1 passed'));
  }, 90_000);
});
