// Runs every suite under bench/suites (or those whose file name contains one of
// the command-line words: `pnpm bench codec`). Prints figures; asserts nothing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSuite } from './harness';

const EXIT_USAGE = 2;

/**
 * About how long each suite runs on a quiet 2-core machine, in seconds, so a
 * run can say up front what it will take. A suite not listed counts a minute.
 */
const TYPICAL_SECONDS: Readonly<Record<string, number>> = { strategy: 10, codec: 60, gateway: 120, connector: 150 };
const UNLISTED_SECONDS = 60;

/** `gateway` for `gateway.bench.ts`. */
function suiteName(file: string): string {
  return file.replace(/\.bench\.ts$/, '');
}

/** "about 3 minutes" / "about 40 seconds", rounded the way a person would say it. */
function describeDuration(seconds: number): string {
  if (seconds < 90) return `about ${Math.max(10, Math.round(seconds / 10) * 10)} seconds`;
  return `about ${Math.round(seconds / 60)} minutes`;
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const dir = join(__dirname, 'suites');
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const names = all.map(suiteName);
  const unmatched = filters.filter((word) => !all.some((f) => f.includes(word)));
  if (unmatched.length > 0 || all.length === 0) {
    const what = unmatched.map((word) => JSON.stringify(word)).join(', ') || '(any)';
    process.stderr.write(`pnpm bench: no benchmark suite matches ${what}; suites: ${names.join(', ') || `none in ${dir}`}\n`);
    process.stderr.write('Usage: pnpm bench [suite...]   (no suite: run them all)\n');
    return EXIT_USAGE;
  }
  const files = all.filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)));
  const seconds = files.reduce((sum, f) => sum + (TYPICAL_SECONDS[suiteName(f)] ?? UNLISTED_SECONDS), 0);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}; figures are noisy: compare ratios within one run`);
  console.log(`running ${files.map(suiteName).join(', ')}: ${describeDuration(seconds)} on a quiet 2-core machine, longer under load`);
  for (const file of files) {
    const mod = (await import(join(dir, file))) as { default: BenchSuite };
    console.log(`\n== ${mod.default.title} (${file})`);
    await mod.default.run();
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A suite that crashed: its stack is what tells where.
    console.error(err);
    process.exitCode = 1;
  },
);
