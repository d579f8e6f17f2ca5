// Rule 8: HTTP 503 means the cluster is suspended. With auto-resume on, the
// connector asks ClusterService for the status, resumes, polls until the
// cluster is active and retries once; with it off, or from a status it cannot
// resume from, a typed error.
import { E6DataError } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { fail, failures, respond } from '../../support/fake-engine-client';
import { useTestEnvironment } from '../../support/test-environment';

describe('rule 8: suspended cluster', () => {
  const env = useTestEnvironment({ random: () => 0 });

  test('503 -> status suspended -> resume -> poll until active -> the call retried once', async () => {
    const { engine } = env();
    const connection = await env().connect({ cluster: 'main' });
    const retries: unknown[] = [];
    connection.on('retry', (e) => retries.push(e));
    engine.clusterStatus = 'suspended';

    const result = await connection.query('SELECT 1');

    expect(result.rows).toEqual([[1n]]);
    const cluster = engine.calls.filter((c) => c.method.startsWith('cluster.')).map((c) => `${c.method}:${String((c.response as { status?: string } | undefined)?.status)}`);
    expect(cluster).toEqual(['cluster.status:suspended', 'cluster.resume:active', 'cluster.status:active']);
    const status = engine.callsOf('cluster.status')[0]!;
    expect(status.request).toEqual({ user: env().config.username, password: env().config.password });
    expect(status.headers).toEqual({ 'cluster-name': 'main' });
    expect(engine.callsOf('prepareStatementV2').map((c) => c.outcome)).toEqual(['failed', 'ok']);
    expect(retries).toEqual([{ method: 'prepareStatementV2', reason: 'cluster-suspended', attempt: 1, delayMs: 0 }]);
  });

  test('status resuming: polled again until active', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.clusterStatus = 'suspended';
    engine.resumePolls = 1;
    await connection.getSchemaNames();
    expect(engine.callsOf('cluster.status').map((c) => (c.response as { status: string }).status)).toEqual(['suspended', 'resuming', 'active']);
    expect(engine.callsOf('cluster.resume')).toHaveLength(1);
  });

  test('retried once only: a second 503 after the resume is raised', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.always('getSchemaNamesV2', fail(failures.suspended));
    const err = await rejectionOf(connection.getSchemaNames(), E6DataError);
    expect(err).toMatchObject({ code: 'CLUSTER_SUSPENDED', stage: 'rejected' });
    expect(engine.callsOf('getSchemaNamesV2')).toHaveLength(2);
  });

  test('autoResume false: the 503 is raised at once, stage rejected, no ClusterService call', async () => {
    const { engine } = env();
    const connection = await env().connect({ autoResume: false });
    engine.clusterStatus = 'suspended';
    const err = await rejectionOf(connection.query('SELECT 1'), E6DataError);
    expect(err).toMatchObject({ code: 'CLUSTER_SUSPENDED', stage: 'rejected' });
    expect(engine.calls.filter((c) => c.method.startsWith('cluster.'))).toEqual([]);
    expect(engine.callsOf('prepareStatementV2')).toHaveLength(1);
  });

  test('a status it cannot resume from: CLUSTER_RESUME_FAILED naming the status', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.clusterStatus = 'suspended';
    engine.always('cluster.status', respond({ status: 'deleting' }));
    const err = await rejectionOf(connection.query('SELECT 1'), E6DataError);
    expect(err).toMatchObject({ code: 'CLUSTER_RESUME_FAILED', stage: 'rejected' });
    expect(err.message).toContain('"deleting"');
    expect(engine.callsOf('cluster.resume')).toHaveLength(0);
  });

  test('a cluster that never becomes active: CLUSTER_RESUME_FAILED after resumeTimeoutMs', async () => {
    const { engine } = env();
    const connection = await env().connect({ resumeTimeoutMs: 300 });
    engine.clusterStatus = 'suspended';
    engine.always('cluster.resume', respond({ status: 'resuming' }));
    engine.always('cluster.status', respond({ status: 'suspended' }));
    const err = await rejectionOf(connection.getSchemaNames(), E6DataError);
    expect(err.code).toBe('CLUSTER_RESUME_FAILED');
    expect(err.message).toContain('resume timeout 300 ms');
  });

  test('suspended again while it resumed: resumed again, and the call goes through', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.clusterStatus = 'suspended';
    engine.resumePolls = 1;
    // The first poll after the resume finds the cluster suspended again (someone suspended it meanwhile).
    engine.on('cluster.status', respond({ status: 'suspended' }));
    engine.on('cluster.status', (_call, fake) => {
      fake.clusterStatus = 'suspended';
      return { status: 'suspended' };
    });
    await connection.getSchemaNames();
    const cluster = engine.calls.filter((c) => c.method.startsWith('cluster.')).map((c) => `${c.method}:${(c.response as { status: string }).status}`);
    expect(cluster).toEqual([
      'cluster.status:suspended',
      'cluster.resume:resuming',
      'cluster.status:suspended',
      'cluster.resume:resuming',
      'cluster.status:resuming',
      'cluster.status:active',
    ]);
  });

  test('a cluster suspended again after every resume: resumed three times in all, then CLUSTER_RESUME_FAILED at once, not at resumeTimeoutMs', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.clusterStatus = 'suspended';
    engine.always('cluster.resume', respond({ status: 'resuming' }));
    engine.always('cluster.status', respond({ status: 'suspended' }));
    const started = Date.now();
    const err = await rejectionOf(connection.getSchemaNames(), E6DataError);
    expect(err).toMatchObject({ code: 'CLUSTER_RESUME_FAILED', stage: 'rejected' });
    expect(err.message).toBe('the cluster was suspended again after each of 3 resumes');
    expect(engine.callsOf('cluster.resume')).toHaveLength(3);
    // Three polls apart (500 ms each), far from the 5-minute resume timeout.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test('still suspended right after a resume that has not taken effect: not resumed again', async () => {
    const { engine } = env();
    const connection = await env().connect({ resumeTimeoutMs: 1_200 });
    engine.clusterStatus = 'suspended';
    engine.always('cluster.resume', respond({ status: 'suspended' }));
    engine.always('cluster.status', respond({ status: 'suspended' }));
    const err = await rejectionOf(connection.getSchemaNames(), E6DataError);
    expect(err.code).toBe('CLUSTER_RESUME_FAILED');
    expect(engine.callsOf('cluster.resume')).toHaveLength(1);
  });

  test('concurrent callers share one resume', async () => {
    const { engine } = env();
    const connection = await env().connect();
    engine.clusterStatus = 'suspended';
    await Promise.all(Array.from({ length: 10 }, () => connection.getSchemaNames()));
    expect(engine.callsOf('cluster.resume')).toHaveLength(1);
  });
});
