// Rule 12: every error says how far its request got. One failure of each kind,
// through the connector, with the stage it must carry.
import {
  ClosedError,
  ConfigurationError,
  CutoverHoldError,
  E6DataError,
  QueryLostError,
  type Connection,
  type Stage,
} from '@e6data-ts/connector';
import { fail, failures, grpcFailure, type FakeEngine } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

interface Case {
  name: string;
  stage: Stage;
  code: string;
  type?: abstract new (...args: never[]) => E6DataError;
  options?: Record<string, unknown>;
  run(connection: Connection, engine: FakeEngine): Promise<unknown>;
}

const cases: Case[] = [
  { name: 'a bad option', stage: 'not-sent', code: 'INVALID_CONFIGURATION', type: ConfigurationError, run: (c) => c.query('SELECT 1', undefined, { timeoutMs: -1 }) },
  {
    name: 'a closed connection',
    stage: 'not-sent',
    code: 'CLOSED',
    type: ClosedError,
    run: async (c) => {
      await c.close();
      return c.query('SELECT 1');
    },
  },
  {
    name: 'no connection established, retries spent',
    stage: 'not-sent',
    code: 'UNAVAILABLE',
    options: { retry: { maxAttempts: 1 } },
    run: (c, e) => {
      e.always('getSchemaNamesV2', fail(failures.notSent));
      return c.getSchemaNames();
    },
  },
  {
    name: 'both deployments refuse (456)',
    stage: 'rejected',
    code: 'CUTOVER_HOLD_EXPIRED',
    type: CutoverHoldError,
    options: { cutoverHoldMs: 50 },
    run: (c, e) => {
      e.takesNewWork.clear();
      return c.getSchemaNames();
    },
  },
  {
    name: 'suspended, auto-resume off (503)',
    stage: 'rejected',
    code: 'CLUSTER_SUSPENDED',
    options: { autoResume: false },
    run: (c, e) => {
      e.clusterStatus = 'suspended';
      return c.getSchemaNames();
    },
  },
  {
    name: 'access denied, retries spent',
    stage: 'rejected',
    code: 'ACCESS_DENIED',
    options: { retry: { maxAttempts: 1 } },
    run: (c, e) => {
      e.always('getSchemaNamesV2', fail(failures.accessDenied));
      return c.getSchemaNames();
    },
  },
  {
    name: 'connection dropped during execute',
    stage: 'ambiguous',
    code: 'UNAVAILABLE',
    run: (c, e) => {
      e.on('executeStatementV2', fail(failures.dropped));
      return c.query('SELECT 1');
    },
  },
  {
    name: 'the engine failed the query',
    stage: 'executed',
    code: 'CALL_FAILED',
    run: (c, e) => {
      e.on('executeStatementV2', fail(() => grpcFailure(13, 'division by zero')));
      return c.query('SELECT 1/0');
    },
  },
  {
    name: 'the query\'s deployment went away (456 on a batch)',
    stage: 'executed',
    code: 'QUERY_LOST',
    type: QueryLostError,
    run: (c, e) => {
      e.on('getNextResultBatch', fail(failures.strategyMismatch));
      return c.query('SELECT 1');
    },
  },
];

describe('rule 12: the stage of each error kind', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const connection = await env().connect(c.options ?? {});
    let caught: unknown;
    try {
      await c.run(connection, env().engine);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(c.type ?? E6DataError);
    expect(caught).toMatchObject({ stage: c.stage, code: c.code });
  });
});
