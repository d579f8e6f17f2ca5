// Shared set-up of the drill's tests: options from flags and a light query mix.
import { parseDrillArgs, type DrillOptions } from '@e6data-ts/drill';

/** Cheap queries, so short drills measure the drill and not DuckDB under load. */
export const LIGHT_QUERIES: readonly string[] = ['--query', 'SELECT 1', '--query', 'SELECT id, col_varchar FROM mock_table ORDER BY id LIMIT 10'];

/** The options `e6-drill ...args` would run with. */
export function drillOptions(args: readonly string[] = []): DrillOptions {
  const command = parseDrillArgs(args);
  if (command.kind !== 'run') throw new Error(`expected a run, got ${command.kind}`);
  return command.options;
}
