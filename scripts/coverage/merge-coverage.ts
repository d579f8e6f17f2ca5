// Merging istanbul coverage maps is left to istanbul-lib-coverage: it unions
// hit counts per statement, function and branch, which is exactly what the
// tiers' separate runs of one code base need.
import { createCoverageMap, type CoverageMap, type CoverageMapData } from 'istanbul-lib-coverage';
import { CoverageToolError } from './coverage-error';
import { COVERAGE_METRICS, type CoverageTotals } from './coverage-gate';

/** Merges coverage maps (the content of `coverage-final.json` files) into one, leaving the inputs untouched. */
export function mergeCoverageMaps(maps: readonly CoverageMapData[]): CoverageMap {
  const merged = createCoverageMap({});
  // istanbul adopts the first map's objects and adds later hit counts into them.
  for (const map of maps) merged.merge(structuredClone(map));
  return merged;
}

/** The totals of every metric over a map, as istanbul counts them. */
export function coverageTotals(map: CoverageMap): CoverageTotals {
  const summary = map.getCoverageSummary();
  const totals = {} as Record<(typeof COVERAGE_METRICS)[number], { total: number; covered: number; pct: number }>;
  for (const metric of COVERAGE_METRICS) {
    const { total, covered, pct } = summary[metric];
    totals[metric] = { total, covered, pct };
  }
  return totals;
}

/**
 * Parses one `coverage-final.json`; `source` names it in the error, which
 * says what is wrong rather than echoing the content.
 */
export function parseCoverageJson(text: string, source: string): CoverageMapData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CoverageToolError('BAD_INPUT', `${source}: not JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CoverageToolError('BAD_INPUT', `${source}: expected an object of file path -> file coverage`);
  }
  for (const [file, coverage] of Object.entries(parsed)) {
    if (!isFileCoverage(coverage)) {
      throw new CoverageToolError('BAD_INPUT', `${source}: the entry for ${file} is not istanbul file coverage (needs path, statementMap, s, fnMap, f, branchMap, b)`);
    }
  }
  return parsed as CoverageMapData;
}

function isFileCoverage(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.path === 'string' && ['statementMap', 's', 'fnMap', 'f', 'branchMap', 'b'].every((key) => typeof v[key] === 'object' && v[key] !== null);
}
