// The coverage gate with jest's own semantics, so that the merged coverage of
// the pull-request pipeline and `pnpm test` pass or fail on the same numbers:
// a positive threshold is a minimum percentage, a negative one the most
// uncovered items allowed, and a percentage is istanbul's (two decimals, floored).
import { CoverageToolError } from './coverage-error';

/** The four metrics istanbul counts and jest's `coverageThreshold` can name, in jest's order. */
export const COVERAGE_METRICS = ['statements', 'branches', 'functions', 'lines'] as const;

/** One of {@link COVERAGE_METRICS}. */
export type CoverageMetric = (typeof COVERAGE_METRICS)[number];

/** Thresholds per metric as jest reads them; a metric left out is not gated. */
export type CoverageThresholds = Partial<Record<CoverageMetric, number>>;

/** Covered and total items of one metric, with istanbul's percentage. */
export interface MetricTotals {
  readonly total: number;
  readonly covered: number;
  readonly pct: number;
}

/** The totals of every metric over a coverage map. */
export type CoverageTotals = Record<CoverageMetric, MetricTotals>;

/** One metric below its threshold: `actual` is a percentage or, for a negative threshold, an uncovered count. */
export interface GateFailure {
  readonly metric: CoverageMetric;
  readonly kind: 'percent' | 'uncovered';
  readonly actual: number;
  readonly required: number;
}

/** The gate's verdict: passed, or the metrics that failed. */
export type GateVerdict = { readonly passed: true } | { readonly passed: false; readonly failures: readonly GateFailure[] };

/**
 * Reads the global thresholds out of a jest `coverageThreshold` setting.
 * Per-path thresholds are refused: the merged gate could not apply them the way jest does.
 */
export function globalThresholds(coverageThreshold: unknown): CoverageThresholds {
  if (coverageThreshold === undefined) return {};
  if (typeof coverageThreshold !== 'object' || coverageThreshold === null || Array.isArray(coverageThreshold)) {
    throw new CoverageToolError('BAD_THRESHOLDS', 'coverageThreshold: must be an object such as { global: { lines: 90 } }');
  }
  const keys = Object.keys(coverageThreshold);
  const perPath = keys.filter((key) => key !== 'global');
  if (perPath.length > 0) {
    throw new CoverageToolError(
      'BAD_THRESHOLDS',
      `coverageThreshold: only "global" is supported by the merged gate, found ${perPath.map((k) => JSON.stringify(k)).join(', ')}`,
    );
  }
  const global: unknown = (coverageThreshold as Record<string, unknown>).global;
  if (global === undefined) return {};
  if (typeof global !== 'object' || global === null || Array.isArray(global)) {
    throw new CoverageToolError('BAD_THRESHOLDS', 'coverageThreshold.global: must be an object of metric -> number');
  }
  const thresholds: CoverageThresholds = {};
  for (const [key, value] of Object.entries(global)) {
    if (!isMetric(key)) {
      throw new CoverageToolError('BAD_THRESHOLDS', `coverageThreshold.global: unknown metric "${key}" (known: ${COVERAGE_METRICS.join(', ')})`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value > 100) {
      throw new CoverageToolError('BAD_THRESHOLDS', `coverageThreshold.global.${key}: must be a number at most 100`);
    }
    thresholds[key] = value;
  }
  return thresholds;
}

/** Applies the thresholds to the totals the way jest does. */
export function checkCoverageGate(totals: CoverageTotals, thresholds: CoverageThresholds): GateVerdict {
  const failures: GateFailure[] = [];
  for (const metric of COVERAGE_METRICS) {
    const required = thresholds[metric];
    if (required === undefined) continue;
    const { total, covered, pct } = totals[metric];
    if (required < 0) {
      const uncovered = total - covered;
      if (uncovered > -required) failures.push({ metric, kind: 'uncovered', actual: uncovered, required: -required });
    } else if (pct < required) {
      failures.push({ metric, kind: 'percent', actual: pct, required });
    }
  }
  return failures.length === 0 ? { passed: true } : { passed: false, failures };
}

/**
 * One line for a log: whether the gate passed and every metric's figure, e.g.
 * `coverage gate passed: statements 93.1 % (>= 90), branches 86.2 % (>= 85), ...` or
 * `coverage gate FAILED (branches 84.1 % < 85 %): statements 93.1 % (>= 90), ...`.
 */
export function describeGate(totals: CoverageTotals, thresholds: CoverageThresholds, verdict: GateVerdict): string {
  const figures = COVERAGE_METRICS.map((metric) => `${metric} ${formatPct(totals[metric].pct)}${describeThreshold(thresholds[metric], totals[metric])}`);
  if (verdict.passed) {
    const gated = COVERAGE_METRICS.some((metric) => thresholds[metric] !== undefined);
    return `${gated ? 'coverage gate passed' : 'coverage gate: no thresholds set'}: ${figures.join(', ')}`;
  }
  return `coverage gate FAILED (${verdict.failures.map(describeFailure).join('; ')}): ${figures.join(', ')}`;
}

/** `branches 84.12 % < 85 %` or `functions 12 uncovered > 10 allowed`. */
export function describeFailure(failure: GateFailure): string {
  return failure.kind === 'percent'
    ? `${failure.metric} ${formatPct(failure.actual)} < ${failure.required} %`
    : `${failure.metric} ${failure.actual} uncovered > ${failure.required} allowed`;
}

/** A percentage as `93.12 %`, trailing zeros dropped. */
export function formatPct(pct: number): string {
  return `${Number(pct.toFixed(2))} %`;
}

function describeThreshold(required: number | undefined, totals: MetricTotals): string {
  if (required === undefined) return '';
  return required < 0 ? ` (${totals.total - totals.covered} uncovered, at most ${-required})` : ` (>= ${required})`;
}

function isMetric(key: string): key is CoverageMetric {
  return (COVERAGE_METRICS as readonly string[]).includes(key);
}
