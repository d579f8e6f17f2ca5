// Shared set-up of the drill's tests: options from flags, a light query mix,
// a temporary directory removed after the suite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDrillArgs, type DrillOptions } from '@e6data-ts/drill';

/** Cheap queries, so short drills measure the drill and not DuckDB under load. */
export const LIGHT_QUERIES: readonly string[] = ['--query', 'SELECT 1', '--query', 'SELECT id, col_varchar FROM mock_table ORDER BY id LIMIT 10'];

/** The options `e6-drill ...args` would run with. */
export function drillOptions(args: readonly string[] = []): DrillOptions {
  const command = parseDrillArgs(args);
  if (command.kind !== 'run') throw new Error(`expected a run, got ${command.kind}`);
  return command.options;
}

/** A fresh temporary directory for the suite (call at describe level); returns its path getter. */
export function useTempDir(prefix: string): () => string {
  let dir: string | null = null;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === null) throw new Error('the temporary directory exists only while the suite runs');
    return dir;
  };
}
