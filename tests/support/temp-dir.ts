import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useFixture } from './fixture';

/**
 * A fresh directory under the system's temp folder for each test (or for the
 * whole block with `per: 'all'`), removed with its content afterwards.
 * The returned function gives its path.
 */
export function useTempDir(prefix: string, options: { per?: 'all' | 'each' } = {}): () => string {
  const running = useFixture(
    () => {
      const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
      return Promise.resolve({ path, close: () => Promise.resolve(rmSync(path, { recursive: true, force: true })) });
    },
    { per: options.per ?? 'each' },
  );
  return () => running().path;
}
