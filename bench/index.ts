// Runs every suite under bench/suites (or those whose file name contains one of
// the command-line words: `pnpm bench codec`). Prints figures; asserts nothing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSuite } from './harness';

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const dir = join(__dirname, 'suites');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark suite matches ${filters.join(' ') || '(any)'} in ${dir}`);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}; figures are noisy: compare ratios within one run`);
  for (const file of files) {
    const mod = (await import(join(dir, file))) as { default: BenchSuite };
    console.log(`\n== ${mod.default.title} (${file})`);
    await mod.default.run();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
