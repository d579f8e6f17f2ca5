import { type Strategy } from '@e6data-ts/strategy-core';
import { type DeploymentState } from '../deployment/deployment-types';
import { type PowerStatus } from './cluster-power';

/** One deployment's engine as the cluster knows it. */
export interface DeploymentInfo {
  readonly host: string;
  readonly port: number;
  /** Queries the engine holds; null when the engine runs in another process. */
  readonly activeQueries: number | null;
}

/** Everything `GET /state` reports. */
export interface ClusterState extends DeploymentState {
  readonly power: PowerStatus;
  /** True while suspended or resuming: engine calls get HTTP 503. */
  readonly suspended: boolean;
  readonly deployments: Readonly<Record<Strategy, DeploymentInfo>>;
}
