import { STRATEGIES } from '@e6data-ts/strategy-core';
import { type ClusterState } from '../cluster/cluster-state';
import { type CallCounts } from '../gateway/call-log';
import { type FailPointInfo } from '../fail-points/fail-point-types';

export interface MetricsInput {
  readonly state: ClusterState;
  readonly calls: CallCounts;
  readonly failPoints: readonly FailPointInfo[];
}

const PHASES = ['stable', 'announce', 'cutover'] as const;

/** The cluster's figures in the Prometheus text exposition format (version 0.0.4). */
export function renderMetrics({ state, calls, failPoints }: MetricsInput): string {
  const lines: string[] = [];
  const family = (name: string, type: 'counter' | 'gauge', help: string, samples: Array<[Record<string, string>, number]>): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${formatLabels(labels)} ${value}`);
  };

  const callSamples: Array<[Record<string, string>, number]> = [];
  for (const [rpc, byDeployment] of Object.entries(calls)) {
    for (const [deployment, byOutcome] of Object.entries(byDeployment)) {
      for (const [outcome, count] of Object.entries(byOutcome)) {
        callSamples.push([{ rpc, deployment, outcome }, count ?? 0]);
      }
    }
  }
  family('e6_mock_calls_total', 'counter', 'Calls through the gateway by rpc, deployment and outcome (reset by DELETE /calls).', callSamples);
  family(
    'e6_mock_phase',
    'gauge',
    'The deployment phase: 1 for the current one.',
    PHASES.map((phase) => [{ phase }, state.phase === phase ? 1 : 0]),
  );
  family(
    'e6_mock_live',
    'gauge',
    'The deployment taking new work: 1 for it, 0 for the other.',
    STRATEGIES.map((deployment) => [{ deployment }, state.live === deployment ? 1 : 0]),
  );
  family(
    'e6_mock_draining',
    'gauge',
    'The deployment draining during cutover: 1 for it.',
    STRATEGIES.map((deployment) => [{ deployment }, state.draining === deployment ? 1 : 0]),
  );
  family('e6_mock_deployments_completed_total', 'counter', 'Deployments that reached stable on their target.', [[{}, state.completed]]);
  family('e6_mock_deployment_in_progress', 'gauge', '1 while a deployment runs.', [[{}, state.deployment === null ? 0 : 1]]);
  family('e6_mock_suspended', 'gauge', '1 while the cluster is suspended or resuming.', [[{}, state.suspended ? 1 : 0]]);
  const known = STRATEGIES.flatMap((deployment): Array<[Record<string, string>, number]> => {
    const active = state.deployments[deployment].activeQueries;
    return active === null ? [] : [[{ deployment }, active]];
  });
  if (known.length > 0) family('e6_mock_active_queries', 'gauge', 'Queries each engine holds (in-process engines only).', known);
  family(
    'e6_mock_fail_point_hits_total',
    'counter',
    'Times each registered fail point fired.',
    failPoints.map((point) => [{ rpc: point.rpc }, point.hits]),
  );
  return `${lines.join('\n')}\n`;
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
