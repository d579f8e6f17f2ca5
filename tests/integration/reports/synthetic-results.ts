// A jest results object as the HTML report reads it, built by hand: four
// tiers, one failing test whose message carries terminal colours and markup,
// one file that failed outside any test, and a skipped test.
import { type AggregatedResultsLike, type AssertionResultLike, type TestFileResultLike } from '../../support/test-report/report-model';

export const ROOT = '/project';

/** The failing test's name and the markup inside its message, which the page must show as text. */
export const FAILING_TEST = 'rejects a token with a bad signature';
export const FAILURE_MARKUP = '<b>not bold</b>';

function test(title: string, status: 'passed' | 'failed' | 'pending', failureMessages: string[] = []): AssertionResultLike {
  return { ancestorTitles: ['auth'], title, status, duration: 12, failureMessages };
}

function file(tier: string, name: string, runtime: number, tests: AssertionResultLike[], extra: Partial<TestFileResultLike> = {}): TestFileResultLike {
  return { testFilePath: `${ROOT}/tests/${tier}/${name}`, displayName: { name: tier }, perfStats: { runtime }, testResults: tests, ...extra };
}

/** Results over every tier, performance listed first to show the report orders tiers itself. */
export function everyTierResults(): AggregatedResultsLike {
  return {
    startTime: Date.UTC(2026, 11, 5, 12, 0, 0),
    testResults: [
      file('performance', 'latency.test.ts', 4_000, [test('median under budget', 'passed')]),
      file('unit', 'b-auth.test.ts', 250, [
        test('accepts a good token', 'passed'),
        test(FAILING_TEST, 'failed', [`\u001b[31mExpected\u001b[39m: AccessDenied\nReceived: ${FAILURE_MARKUP}`]),
        test('skipped: needs a clock with leap seconds', 'pending'),
      ]),
      file('unit', 'a-codec.test.ts', 40, [test('round-trips a batch', 'passed'), test('rejects a short buffer', 'passed')]),
      file('integration', 'gateway.test.ts', 1_500, [test('routes on the strategy header', 'passed')]),
      file('e2e', 'cluster.test.ts', 9_000, [], {
        testExecError: { message: 'global setup failed: no free port' },
        failureMessage: 'global setup failed: no free port',
      }),
    ],
  };
}

/** Results of the unit tier alone, as `pnpm test:unit` produces. */
export function unitOnlyResults(): AggregatedResultsLike {
  const all = everyTierResults();
  return { ...all, testResults: all.testResults.filter((f) => f.testFilePath.includes('/tests/unit/')) };
}
