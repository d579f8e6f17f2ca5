import { WORK_STARTING_METHODS } from '@e6data-ts/grpc-transport';
import { type CallInput, type ClusterState, type DeploymentPhase } from '@e6data-ts/mock-engine';
import { CallLog, isWorkStarting, renderMetrics, routeCall } from '@e6data-ts/mock-engine/internal';
import { clusterState } from '../../support/cluster-state';

const PER_QUERY = [
  'executeStatement',
  'executeStatementV2',
  'getResultMetadata',
  'getNextResultBatch',
  'status',
  'explain',
  'explainAnalyze',
  'clear',
  'cancelQuery',
  'clearOrCancelQuery',
];
const WORK_STARTING = [...WORK_STARTING_METHODS];

describe('routeCall', () => {
  const stableBlue: DeploymentPhase = { tag: 'stable', live: 'blue' };
  const announceGreen: DeploymentPhase = { tag: 'announce', live: 'blue', next: 'green' };
  const cutover: DeploymentPhase = { tag: 'cutover', old: 'blue', next: 'green' };

  it('tells work-starting calls from per-query calls by method name alone', () => {
    for (const method of WORK_STARTING) expect(isWorkStarting(method)).toBe(true);
    for (const method of [...PER_QUERY, 'healthCheck', 'noSuchMethod']) expect(isWorkStarting(method)).toBe(false);
    expect(WORK_STARTING).toEqual(expect.arrayContaining(['authenticate', 'prepareStatement', 'prepareStatementV2', 'getTablesV2', 'dryRunV2']));
  });

  it('stable: only the live deployment takes calls; a call without strategy goes to it', () => {
    for (const method of [...WORK_STARTING, ...PER_QUERY]) {
      expect(routeCall(stableBlue, 'blue', method)).toEqual({ action: 'forward', target: 'blue', announce: null });
      expect(routeCall(stableBlue, null, method)).toEqual({ action: 'forward', target: 'blue', announce: null });
      expect(routeCall(stableBlue, 'green', method)).toEqual({ action: 'reject', target: 'green', reason: 'green is not live (blue is)' });
    }
  });

  it('announce: both deployments take everything and every answer announces the next one', () => {
    for (const method of [...WORK_STARTING, ...PER_QUERY]) {
      expect(routeCall(announceGreen, 'blue', method)).toEqual({ action: 'forward', target: 'blue', announce: 'green' });
      expect(routeCall(announceGreen, 'green', method)).toEqual({ action: 'forward', target: 'green', announce: 'green' });
      expect(routeCall(announceGreen, null, method)).toEqual({ action: 'forward', target: 'blue', announce: 'green' });
    }
  });

  it('cutover: the next deployment takes all new work; the old one serves only its queries, still announcing', () => {
    for (const method of WORK_STARTING) {
      expect(routeCall(cutover, 'blue', method)).toEqual({
        action: 'reject',
        target: 'blue',
        reason: `blue is draining and takes no new work (${method})`,
      });
      expect(routeCall(cutover, 'green', method)).toEqual({ action: 'forward', target: 'green', announce: null });
      expect(routeCall(cutover, null, method)).toEqual({ action: 'forward', target: 'green', announce: null });
    }
    for (const method of [...PER_QUERY, 'healthCheck']) {
      expect(routeCall(cutover, 'blue', method)).toEqual({ action: 'forward', target: 'blue', announce: 'green' });
      expect(routeCall(cutover, 'green', method)).toEqual({ action: 'forward', target: 'green', announce: null });
    }
  });
});

describe('CallLog', () => {
  const call = (overrides: Partial<CallInput> = {}): CallInput => ({
    rpc: 'authenticate',
    deployment: 'blue',
    strategy: 'blue',
    clusterName: 'c1',
    plannerIp: null,
    outcome: 'ok',
    grpcStatus: 0,
    httpStatus: 200,
    failPoint: null,
    durationMs: 1,
    ...overrides,
  });

  it('numbers records, stamps them with the clock and counts by rpc, deployment and outcome', () => {
    let now = 500;
    const log = new CallLog({ clock: { now: () => now++ } });
    log.record(call());
    log.record(call({ deployment: 'green', outcome: 'rejected', grpcStatus: null, httpStatus: 456 }));
    log.record(call({ rpc: 'ClusterService/status', deployment: null }));
    log.record(call());
    const snap = log.snapshot();
    expect(snap.total).toBe(4);
    expect(snap.dropped).toBe(0);
    expect(snap.entries.map((e) => [e.seq, e.at])).toEqual([
      [1, 500],
      [2, 501],
      [3, 502],
      [4, 503],
    ]);
    expect(snap.counts).toEqual({
      authenticate: { blue: { ok: 2 }, green: { rejected: 1 } },
      'ClusterService/status': { none: { ok: 1 } },
    });
    expect(log.count('authenticate')).toBe(3);
    expect(log.count('authenticate', 'blue')).toBe(2);
    expect(log.count('authenticate', undefined, 'rejected')).toBe(1);
    expect(log.count('authenticate', 'green', 'ok')).toBe(0);
    expect(log.count('getNextResultBatch')).toBe(0);
  });

  it('keeps only the newest records but counts every call', () => {
    const log = new CallLog({ limit: 2 });
    for (let i = 0; i < 5; i++) log.record(call({ durationMs: i }));
    const snap = log.snapshot();
    expect(snap.entries.map((e) => e.durationMs)).toEqual([3, 4]);
    expect(snap).toMatchObject({ total: 5, dropped: 3, limit: 2 });
    expect(log.count('authenticate')).toBe(5);
  });

  it('cuts long header values short and forgets everything on reset', () => {
    const log = new CallLog();
    log.record(call({ strategy: 'x'.repeat(100), plannerIp: '10.0.0.1' }));
    const entry = log.snapshot().entries[0];
    expect(entry?.strategy).toBe(`${'x'.repeat(64)}…`);
    expect(entry?.plannerIp).toBe('10.0.0.1');
    log.reset();
    expect(log.snapshot()).toMatchObject({ total: 0, dropped: 0, entries: [], counts: {} });
  });

  it('hands out snapshots that later calls do not change', () => {
    const log = new CallLog();
    log.record(call());
    const snap = log.snapshot();
    log.record(call());
    expect(snap.counts.authenticate?.blue?.ok).toBe(1);
    expect(snap.entries).toHaveLength(1);
  });
});

describe('renderMetrics', () => {
  // Cutover from blue to green, with two queries still draining on blue.
  const state = (overrides: Partial<ClusterState> = {}): ClusterState =>
    clusterState({
      phase: 'cutover',
      live: 'green',
      next: 'green',
      draining: 'blue',
      completed: 3,
      deployments: {
        blue: { host: '127.0.0.1', port: 1, activeQueries: 2 },
        green: { host: '127.0.0.1', port: 2, activeQueries: 0 },
      },
      ...overrides,
    });

  it('writes the Prometheus text format with calls, phase, live, drain, deployments, suspension and fail points', () => {
    const text = renderMetrics({
      state: state(),
      calls: { authenticate: { blue: { ok: 2, rejected: 1 } }, 'weird"rpc\\\n': { none: { ok: 1 } } },
      failPoints: [{ rpc: 'status', mode: 'alwaysOn', action: { delayMs: 1 }, deployment: null, hits: 4, remaining: null }],
    });
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '# TYPE e6_mock_calls_total counter',
        'e6_mock_calls_total{rpc="authenticate",deployment="blue",outcome="ok"} 2',
        'e6_mock_calls_total{rpc="authenticate",deployment="blue",outcome="rejected"} 1',
        'e6_mock_calls_total{rpc="weird\\"rpc\\\\\\n",deployment="none",outcome="ok"} 1',
        '# TYPE e6_mock_phase gauge',
        'e6_mock_phase{phase="stable"} 0',
        'e6_mock_phase{phase="cutover"} 1',
        'e6_mock_live{deployment="green"} 1',
        'e6_mock_live{deployment="blue"} 0',
        'e6_mock_draining{deployment="blue"} 1',
        'e6_mock_deployments_completed_total 3',
        'e6_mock_deployment_in_progress 0',
        'e6_mock_suspended 0',
        'e6_mock_active_queries{deployment="blue"} 2',
        'e6_mock_active_queries{deployment="green"} 0',
        'e6_mock_fail_point_hits_total{rpc="status"} 4',
      ]),
    );
    // Every sample belongs to a family declared with HELP and TYPE.
    const declared = new Set(lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
    for (const sample of lines.filter((l) => !l.startsWith('#'))) {
      expect(declared.has(sample.split(/[{ ]/)[0])).toBe(true);
    }
  });

  it('leaves out active queries it does not know and reports suspension', () => {
    const text = renderMetrics({
      state: state({
        suspended: true,
        power: 'suspended',
        deployments: { blue: { host: 'h', port: 1, activeQueries: null }, green: { host: 'h', port: 2, activeQueries: null } },
      }),
      calls: {},
      failPoints: [],
    });
    expect(text).not.toContain('e6_mock_active_queries');
    expect(text).toContain('e6_mock_suspended 1\n');
  });
});
