// `pnpm bench` as a newcomer mistypes it: a suite name that does not exist gets
// the list of suites and the usage exit code, not a stack trace.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './support/mock-cluster-runtime';

const TSX_CLI = require.resolve('tsx/cli');

async function bench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [TSX_CLI, join('bench', 'index.ts'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

describe('pnpm bench', () => {
  it('names the valid suites and exits 2 for an unknown one, without a stack trace', async () => {
    const run = await bench(['bogus']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const suites = readdirSync(join(REPO_ROOT, 'bench', 'suites'))
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => f.replace(/\.bench\.ts$/, ''))
      .sort();
    expect(suites).toEqual(expect.arrayContaining(['gateway', 'strategy']));
    expect(run.stderr).toBe(
      `pnpm bench: no benchmark suite matches "bogus"; suites: ${suites.join(', ')}\nUsage: pnpm bench [suite...]   (no suite: run them all)\n`,
    );
  }, 60_000);

  it('refuses a run where any word matches no suite, before running anything', async () => {
    const run = await bench(['strategy', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('no benchmark suite matches "nope"');
  }, 60_000);
});
