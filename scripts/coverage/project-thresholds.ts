// The gate's single source of truth is jest.config.ts: `pnpm test` enforces
// its coverageThreshold through jest, and the merged gate reads the same object.
import jestConfig from '../../jest.config';
import { globalThresholds, type CoverageThresholds } from './coverage-gate';

/** The project's global coverage thresholds, as `pnpm test` applies them. */
export function projectThresholds(): CoverageThresholds {
  return globalThresholds(jestConfig.coverageThreshold);
}
