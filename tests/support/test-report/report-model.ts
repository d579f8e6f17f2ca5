// The HTML test report's model: jest's aggregated results regrouped by tier
// (the jest project's displayName), with counts per tier and per file.

/** A test's outcome as the report shows it. */
export type TestStatus = 'passed' | 'failed' | 'skipped';

/** The part of one jest assertion result the report reads. */
export interface AssertionResultLike {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  readonly status: string;
  readonly duration?: number | null;
  readonly failureMessages: readonly string[];
}

/** The part of one jest test-file result the report reads. */
export interface TestFileResultLike {
  readonly testFilePath: string;
  readonly displayName?: { readonly name: string } | string;
  readonly perfStats: { readonly runtime: number };
  readonly failureMessage?: string | null;
  readonly testExecError?: { readonly message: string } | null;
  readonly testResults: readonly AssertionResultLike[];
}

/** The part of jest's aggregated results the report reads. */
export interface AggregatedResultsLike {
  readonly startTime: number;
  readonly testResults: readonly TestFileResultLike[];
}

/** Passed, failed and skipped counts. */
export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** One test in the report. */
export interface ReportTest {
  readonly name: string;
  readonly status: TestStatus;
  readonly durationMs: number;
  /** Failure messages with terminal colour codes removed. */
  readonly failures: readonly string[];
}

/** One test file in the report; `error` is set when the file failed outside any test (it did not compile, a hook threw). */
export interface ReportFile {
  readonly path: string;
  readonly durationMs: number;
  readonly counts: Counts;
  readonly failed: boolean;
  readonly error: string | null;
  readonly tests: readonly ReportTest[];
}

/** One tier's section. */
export interface ReportTier {
  readonly name: string;
  readonly counts: Counts;
  readonly durationMs: number;
  readonly files: readonly ReportFile[];
}

/** Everything the report renders. */
export interface ReportModel {
  readonly title: string;
  readonly startedAt: Date;
  readonly counts: Counts;
  readonly tiers: readonly ReportTier[];
}

/** The tiers in the order of the test pyramid; any other project follows, by name. */
export const TIER_ORDER: readonly string[] = ['unit', 'integration', 'e2e', 'performance'];

// Colour codes that jest writes into failure messages for terminals.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Regroups jest's results by tier; `rootDir` makes file paths relative. */
export function buildReportModel(results: AggregatedResultsLike, options: { title: string; rootDir: string }): ReportModel {
  const byTier = new Map<string, ReportFile[]>();
  for (const file of results.testResults) {
    const tier = tierOf(file, options.rootDir);
    const files = byTier.get(tier) ?? [];
    files.push(toReportFile(file, options.rootDir));
    byTier.set(tier, files);
  }
  const tiers = [...byTier.entries()]
    .sort(([a], [b]) => tierRank(a) - tierRank(b) || a.localeCompare(b))
    .map(([name, files]): ReportTier => {
      files.sort((a, b) => a.path.localeCompare(b.path));
      return { name, files, counts: sumCounts(files.map((f) => f.counts)), durationMs: files.reduce((sum, f) => sum + f.durationMs, 0) };
    });
  return { title: options.title, startedAt: new Date(results.startTime), counts: sumCounts(tiers.map((t) => t.counts)), tiers };
}

function toReportFile(file: TestFileResultLike, rootDir: string): ReportFile {
  const tests = file.testResults.map(
    (t): ReportTest => ({
      name: [...t.ancestorTitles, t.title].join(' › '),
      status: statusOf(t.status),
      durationMs: t.duration ?? 0,
      failures: t.failureMessages.map(stripAnsi),
    }),
  );
  const counts = sumCounts(tests.map((t) => ({ passed: t.status === 'passed' ? 1 : 0, failed: t.status === 'failed' ? 1 : 0, skipped: t.status === 'skipped' ? 1 : 0 })));
  // A file can fail with no failing test: a syntax error, a throwing hook, a leak check.
  const execError = file.testExecError?.message ?? (counts.failed === 0 && file.failureMessage ? file.failureMessage : null);
  return {
    path: relativePath(file.testFilePath, rootDir),
    durationMs: Math.max(0, file.perfStats.runtime),
    counts,
    failed: counts.failed > 0 || execError !== null,
    error: execError === null ? null : stripAnsi(execError),
    tests,
  };
}

function tierOf(file: TestFileResultLike, rootDir: string): string {
  const name = typeof file.displayName === 'string' ? file.displayName : file.displayName?.name;
  if (name) return name;
  const match = /^tests\/([^/]+)\//.exec(relativePath(file.testFilePath, rootDir));
  return match?.[1] ?? 'other';
}

function statusOf(status: string): TestStatus {
  if (status === 'passed') return 'passed';
  if (status === 'failed') return 'failed';
  return 'skipped';
}

function tierRank(name: string): number {
  const rank = TIER_ORDER.indexOf(name);
  return rank === -1 ? TIER_ORDER.length : rank;
}

function sumCounts(counts: readonly Counts[]): Counts {
  return counts.reduce((sum, c) => ({ passed: sum.passed + c.passed, failed: sum.failed + c.failed, skipped: sum.skipped + c.skipped }), {
    passed: 0,
    failed: 0,
    skipped: 0,
  });
}

function relativePath(path: string, rootDir: string): string {
  const root = rootDir.endsWith('/') ? rootDir : `${rootDir}/`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
