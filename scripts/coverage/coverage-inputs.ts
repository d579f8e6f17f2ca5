import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CoverageToolError } from './coverage-error';

/** The file name jest and istanbul's `json` reporter give a coverage map. */
export const COVERAGE_FILE_NAME = 'coverage-final.json';

/**
 * Expands the command line's paths: a file is taken as given, a directory is
 * searched for `coverage-final.json` files at any depth (downloaded artifacts
 * nest one folder per job). Paths under `exclude` (the output folder) are
 * skipped so a second run does not read its own result back.
 */
export function findCoverageFiles(paths: readonly string[], exclude?: string): string[] {
  const skip = exclude === undefined ? undefined : resolve(exclude);
  const found: string[] = [];
  for (const path of paths) {
    const absolute = resolve(path);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      throw new CoverageToolError('NO_INPUT', `${path}: no such file or directory`);
    }
    if (stats.isFile()) found.push(absolute);
    else walk(absolute, skip, found);
  }
  return [...new Set(found)].sort();
}

/** Reads a file as UTF-8, naming the file when it cannot. */
export function readCoverageFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CoverageToolError('BAD_INPUT', `${path}: cannot be read (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

function walk(dir: string, skip: string | undefined, found: string[]): void {
  if (dir === skip) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, skip, found);
    else if (entry.isFile() && entry.name === COVERAGE_FILE_NAME) found.push(path);
  }
}
