// Auto-resume: a suspended cluster answers query calls with HTTP 503. The
// ClusterService on the same address tells its status and resumes it; new
// work waits (polling) until it is active, up to the resume timeout.
import { type EngineClient } from '@e6data-ts/grpc-transport';
import { SingleFlight } from '@e6data-ts/strategy-core';
import { E6DataError } from '../errors';
import { log, type ConnectorLogger } from '../options/logger';
import { callDeadline, sleep, type Operation } from '../routing/operation';

export interface ClusterResumerDeps {
  client: EngineClient;
  username: string;
  password: string;
  cluster: string;
  connectTimeoutMs: number;
  resumeTimeoutMs: number;
  /** Time between status polls while the cluster resumes (default 500 ms). */
  pollMs?: number;
  logger: ConnectorLogger;
  now(): number;
}

const DEFAULT_POLL_MS = 500;
/**
 * Resume calls one wait sends at most. A cluster reported `suspended` after
 * its resume had taken effect (it answered or reported `resuming` or
 * `active`) was suspended again: waiting on would only run out the resume
 * timeout, so it is resumed again, this many times in all; suspended again
 * after the last, the wait fails at once rather than hang until the timeout.
 * (A cluster still `suspended` right after a resume that has not taken effect
 * yet is left to it.)
 */
const MAX_RESUMES = 3;
const TAKING_EFFECT = new Set(['resuming', 'active']);

export class ClusterResumer {
  private readonly flight = new SingleFlight<'resume', void>();

  constructor(private readonly deps: ClusterResumerDeps) {}

  /** Resolves once the cluster reports `active`; every concurrent caller shares one resume. */
  resume(op: Operation): Promise<void> {
    return this.flight.run('resume', () => this.run(op));
  }

  private async run(op: Operation): Promise<void> {
    const { deps } = this;
    const until = Math.min(op.deadline, deps.now() + deps.resumeTimeoutMs);
    const credentials = { user: deps.username, password: deps.password };
    const callOptions = (): { headers: { clusterName: string }; deadline: number; signal?: AbortSignal } => ({
      headers: { clusterName: deps.cluster },
      deadline: Math.min(until, callDeadline(op, deps.connectTimeoutMs, deps.now())),
      ...(op.signal === undefined ? {} : { signal: op.signal }),
    });
    let resumes = 0;
    let tookEffect = false;
    for (;;) {
      const status = (await deps.client.cluster.status(credentials, callOptions())).status.trim().toLowerCase();
      if (status === 'active') {
        if (resumes > 0) log(deps.logger, 'info', 'e6data: the cluster is active again', {});
        return;
      }
      if (status === 'resuming') tookEffect = true;
      else if (status === 'suspended') {
        if (tookEffect && resumes === MAX_RESUMES) {
          throw new E6DataError(`the cluster was suspended again after each of ${MAX_RESUMES} resumes`, {
            code: 'CLUSTER_RESUME_FAILED',
            stage: 'rejected',
            method: 'ClusterService.status',
          });
        }
        if (resumes === 0 || tookEffect) {
          log(deps.logger, 'info', resumes === 0 ? 'e6data: the cluster is suspended; resuming it' : 'e6data: the cluster was suspended again; resuming it again', { resumes });
          const answer = await deps.client.cluster.resume(credentials, callOptions());
          resumes += 1;
          tookEffect = TAKING_EFFECT.has(answer.status.trim().toLowerCase());
        }
      } else {
        throw new E6DataError(`the cluster reports status "${status.slice(0, 40)}", from which it cannot be resumed`, {
          code: 'CLUSTER_RESUME_FAILED',
          stage: 'rejected',
          method: 'ClusterService.status',
        });
      }
      const pollMs = deps.pollMs ?? DEFAULT_POLL_MS;
      if (deps.now() + pollMs >= until) {
        throw new E6DataError(`the cluster did not become active in time (resume timeout ${deps.resumeTimeoutMs} ms, last status "${status}")`, {
          code: 'CLUSTER_RESUME_FAILED',
          stage: 'rejected',
          method: 'ClusterService.status',
        });
      }
      await sleep(pollMs, op.signal);
    }
  }
}
