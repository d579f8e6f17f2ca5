// `pnpm release:pack [--out DIR] [PACKAGE...]`: builds the publishable packages
// from clean dist/ folders, in dependency order, and packs them into the npm
// tarballs a user installs. With package names, only those packages and the
// workspace packages they depend on; without, every package. pnpm pack rewrites
// each `workspace:*` dependency to the version it points at, so the tarballs
// install with plain npm outside this repository. Prints the tarballs' paths.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(__dirname, '..');
const PACKAGES_DIR = join(ROOT, 'packages');
const DEFAULT_OUT = join(ROOT, 'dist', 'packages');
/** A whole build of every package takes well under a minute; this only stops a hung compiler. */
const STEP_TIMEOUT_MS = 5 * 60_000;

/** pnpm as this script was started with it (npm_execpath), else the one on PATH. */
function pnpmCommand(): { command: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(execPath)) {
    return /\.[cm]?js$/.test(execPath) ? { command: process.execPath, args: [execPath] } : { command: execPath, args: [] };
  }
  return { command: 'pnpm', args: [] };
}

function run(args: readonly string[]): void {
  const pnpm = pnpmCommand();
  const result = spawnSync(pnpm.command, [...pnpm.args, ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: STEP_TIMEOUT_MS });
  if (result.error) throw new Error(`pnpm ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`pnpm ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
  const out = resolve(values.out ?? DEFAULT_OUT);
  // `--filter name...` selects the package and everything it depends on.
  const selection = positionals.length === 0 ? ['-r'] : positionals.flatMap((name) => ['--filter', `${name}...`]);

  // A file left in dist/ by an earlier build of a source that is gone would ship too.
  for (const name of readdirSync(PACKAGES_DIR)) rmSync(join(PACKAGES_DIR, name, 'dist'), { recursive: true, force: true });
  run([...selection, '--sort', 'build']);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  run([...selection, 'pack', '--pack-destination', out]);
  for (const file of readdirSync(out).filter((entry) => entry.endsWith('.tgz')).sort()) console.log(join(out, file));
}

try {
  main();
} catch (err) {
  console.error(`release:pack: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
