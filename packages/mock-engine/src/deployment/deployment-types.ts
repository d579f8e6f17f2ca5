import { type Strategy } from '@e6data-ts/strategy-core';
import { type PhaseTag } from './deployment-phase';

/** `graceful`: announce, cutover, drain. `hard`: switch at once, to exercise client recovery. */
export type DeployMode = 'graceful' | 'hard';

/** Who asked for a deployment (kept in the history for whoever reads it later). */
export type DeployTrigger = 'code' | 'admin' | 'schedule';

/** How to deploy: the target side, graceful or hard, and the phase timings. */
export interface DeployOptions {
  /** The deployment to move to; defaults to the one that is not live. */
  to?: Strategy;
  /** Defaults to `graceful`. */
  mode?: DeployMode;
  /** How long both deployments take work while responses announce `to` (graceful only). */
  announceMs?: number;
  /** How long the old deployment keeps serving its queries after cutover (graceful only). */
  drainMs?: number;
}

/** One deployment as it was started. */
export interface DeploymentPlan {
  readonly id: number;
  readonly from: Strategy;
  readonly to: Strategy;
  readonly mode: DeployMode;
  readonly announceMs: number;
  readonly drainMs: number;
  readonly trigger: DeployTrigger;
  readonly startedAt: number;
}

/**
 * How a deployment ended: `completed` (stable on `to`) or `aborted` (the
 * cluster closed first; the phase stayed where it was).
 */
export interface DeployResult extends DeploymentPlan {
  readonly outcome: 'completed' | 'aborted';
  readonly finishedAt: number;
}

/** A started deployment. `done` settles (never rejects) when it is over. */
export interface DeploymentHandle {
  readonly plan: DeploymentPlan;
  readonly done: Promise<DeployResult>;
}

/** One phase change, as recorded in the history. */
export interface PhaseChange {
  readonly at: number;
  readonly phase: PhaseTag;
  /** e.g. `announce(green)`, `cutover(blue->green)`. */
  readonly description: string;
  /** The deployment taking new work after the change. */
  readonly live: Strategy;
  /** The id of the deployment that caused the change; null for the initial state. */
  readonly deploymentId: number | null;
  /** Why the change happened: `start`, `announce-elapsed`, `drain-elapsed`, `drain-idle`, `hard-switch`. */
  readonly reason: string;
}

/** A JSON-friendly view of the controller, served by the admin API. */
export interface DeploymentState {
  readonly phase: PhaseTag;
  /** Takes new work now: calls without a `strategy` header go here. */
  readonly live: Strategy;
  /** The target of the deployment in progress, if any. */
  readonly next: Strategy | null;
  /** During cutover: the old deployment still serving the queries it holds. */
  readonly draining: Strategy | null;
  /** The deployment in progress and when its current phase is due to end. */
  readonly deployment: (DeploymentPlan & { readonly phaseEndsAt: number | null }) | null;
  /** Deployments that reached stable on their target since start. */
  readonly completed: number;
  readonly switchEveryMs: number | null;
  readonly nextScheduledAt: number | null;
  readonly history: readonly PhaseChange[];
}
