import { otherStrategy, parseStrategy, type Strategy } from '@e6data-ts/strategy-core';
import { InvalidMockOptionError, MockClusterError } from '../errors';
import { type ClusterLogger, silentLogger } from '../logger';
import { type Clock, systemClock, type TimerHandle, type Timers, systemTimers } from '../timers';
import { type DeploymentPhase, describePhase, newWorkTarget } from './deployment-phase';
import {
  type DeployMode,
  type DeployOptions,
  type DeployResult,
  type DeployTrigger,
  type DeploymentHandle,
  type DeploymentPlan,
  type DeploymentState,
  type PhaseChange,
} from './deployment-types';

/** How long a graceful deployment announces the new side before switching, unless told otherwise. */
export const DEFAULT_ANNOUNCE_MS = 1_000;
/** How long the old side keeps serving its running queries after a switch, unless told otherwise. */
export const DEFAULT_DRAIN_MS = 5_000;
const DEFAULT_DRAIN_POLL_MS = 50;
const DEFAULT_HISTORY_LIMIT = 200;

export interface DeploymentControllerOptions {
  /** The deployment live at start. Default `blue`. */
  live?: Strategy;
  /** Default announce time of graceful deployments. */
  announceMs?: number;
  /** Default drain time of graceful deployments. */
  drainMs?: number;
  /** When set, a graceful deployment to the other side starts this long after the cluster last became stable. */
  switchEveryMs?: number;
  /**
   * Ends a drain before `drainMs` once `activeQueries(old)` reports 0. Off by
   * default: a real cluster drains by time, and clients must cope with that.
   */
  endDrainWhenIdle?: boolean;
  /** Active queries a deployment holds, or null when unknown (engine in another process). */
  activeQueries?: (deployment: Strategy) => number | null;
  /** How often the idle check runs during a drain. */
  drainPollMs?: number;
  /** Phase changes kept in the history (oldest dropped first). */
  historyLimit?: number;
  clock?: Clock;
  timers?: Timers;
  logger?: ClusterLogger;
}

/** Called at each phase change of a deployment, with the phase entered. */
export type PhaseListener = (change: PhaseChange, phase: DeploymentPhase) => void;

interface Running {
  readonly plan: DeploymentPlan;
  readonly resolve: (result: DeployResult) => void;
  phaseTimer: TimerHandle | null;
  idlePoll: TimerHandle | null;
  phaseEndsAt: number | null;
}

/**
 * Drives blue/green deployments: stable(live) -> announce(next) -> cutover ->
 * stable(next), or a hard switch straight to stable(next). One deployment at
 * a time; every phase change is logged and kept in the history.
 */
export class DeploymentController {
  private current: DeploymentPhase;
  private running: Running | null = null;
  private closed = false;
  private nextId = 1;
  private completed = 0;
  private scheduleTimer: TimerHandle | null = null;
  private nextScheduledAt: number | null = null;
  private readonly history: PhaseChange[] = [];
  private readonly listeners = new Set<PhaseListener>();

  private readonly defaults: { announceMs: number; drainMs: number };
  private readonly switchEveryMs: number | null;
  private readonly endDrainWhenIdle: boolean;
  private readonly activeQueries: (deployment: Strategy) => number | null;
  private readonly drainPollMs: number;
  private readonly historyLimit: number;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly logger: ClusterLogger;

  constructor(options: DeploymentControllerOptions = {}) {
    const live = options.live === undefined ? 'blue' : requireStrategy('live', options.live);
    this.defaults = {
      announceMs: requireDuration('announceMs', options.announceMs ?? DEFAULT_ANNOUNCE_MS),
      drainMs: requireDuration('drainMs', options.drainMs ?? DEFAULT_DRAIN_MS),
    };
    this.switchEveryMs =
      options.switchEveryMs === undefined || options.switchEveryMs === 0
        ? null
        : requirePositive('switchEveryMs', options.switchEveryMs);
    this.endDrainWhenIdle = options.endDrainWhenIdle ?? false;
    this.activeQueries = options.activeQueries ?? ((): null => null);
    this.drainPollMs = requirePositive('drainPollMs', options.drainPollMs ?? DEFAULT_DRAIN_POLL_MS);
    this.historyLimit = requirePositive('historyLimit', options.historyLimit ?? DEFAULT_HISTORY_LIMIT);
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger ?? silentLogger;

    this.current = { tag: 'stable', live };
    this.record(null, 'initial');
    this.armSchedule();
  }

  /** The phase the gateway routes by. */
  phase(): DeploymentPhase {
    return this.current;
  }

  /** True while a deployment runs. */
  isDeploying(): boolean {
    return this.running !== null;
  }

  state(): DeploymentState {
    const phase = this.current;
    const running = this.running;
    return {
      phase: phase.tag,
      live: phase.tag === 'cutover' ? phase.next : phase.live,
      next: phase.tag === 'stable' ? null : phase.next,
      draining: phase.tag === 'cutover' ? phase.old : null,
      deployment: running === null ? null : { ...running.plan, phaseEndsAt: running.phaseEndsAt },
      completed: this.completed,
      switchEveryMs: this.switchEveryMs,
      nextScheduledAt: this.nextScheduledAt,
      history: [...this.history],
    };
  }

  /** Calls `listener` after every phase change; returns a function that stops it. */
  onPhaseChange(listener: PhaseListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Starts a deployment and returns at once with its handle; `handle.done`
   * settles when the cluster is stable again. Throws DEPLOYMENT_IN_PROGRESS
   * while another one runs, INVALID_OPTION for a bad option (including a
   * target that is already live), CLOSED after close().
   */
  start(options: DeployOptions = {}, trigger: DeployTrigger = 'code'): DeploymentHandle {
    if (this.closed) throw new MockClusterError('CLOSED', 'the deployment controller is closed');
    if (this.running !== null) {
      const { id, from, to } = this.running.plan;
      throw new MockClusterError(
        'DEPLOYMENT_IN_PROGRESS',
        `deployment #${id} (${from} -> ${to}) is still running; wait for it to finish before starting another`,
      );
    }
    // With no deployment running the phase is stable, so this is its live side.
    const from = newWorkTarget(this.current);
    const to = options.to === undefined ? otherStrategy(from) : requireStrategy('to', options.to);
    if (to === from) throw new InvalidMockOptionError('to', `${to} is already live`);
    const mode = requireMode(options.mode ?? 'graceful');
    const plan: DeploymentPlan = {
      id: this.nextId++,
      from,
      to,
      mode,
      announceMs: mode === 'hard' ? 0 : requireDuration('announceMs', options.announceMs ?? this.defaults.announceMs),
      drainMs: mode === 'hard' ? 0 : requireDuration('drainMs', options.drainMs ?? this.defaults.drainMs),
      trigger,
      startedAt: this.clock.now(),
    };
    this.cancelSchedule();
    let resolve!: (result: DeployResult) => void;
    const done = new Promise<DeployResult>((r) => {
      resolve = r;
    });
    const running: Running = { plan, resolve, phaseTimer: null, idlePoll: null, phaseEndsAt: null };
    this.running = running;
    this.logger.info(`deployment #${plan.id} started: ${from} -> ${to} (${mode})`, {
      announceMs: plan.announceMs,
      drainMs: plan.drainMs,
      trigger,
    });

    if (mode === 'hard') {
      this.setPhase({ tag: 'stable', live: to }, 'hard-switch');
      this.finish('completed');
    } else {
      this.setPhase({ tag: 'announce', live: from, next: to }, 'start');
      this.arm(plan.announceMs, () => this.beginCutover());
    }
    return { plan, done };
  }

  /** Starts a deployment and resolves when the cluster is stable again. */
  async deploy(options: DeployOptions = {}, trigger: DeployTrigger = 'code'): Promise<DeployResult> {
    return this.start(options, trigger).done;
  }

  /** Stops the schedule and any running deployment (its `done` resolves as `aborted`). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelSchedule();
    if (this.running !== null) this.finish('aborted');
    this.listeners.clear();
  }

  private beginCutover(): void {
    const running = this.running;
    if (running === null) return;
    const { from, to, drainMs } = running.plan;
    this.setPhase({ tag: 'cutover', old: from, next: to }, 'announce-elapsed');
    this.arm(drainMs, () => this.completeDrain('drain-elapsed'));
    if (this.endDrainWhenIdle) this.pollIdle(from);
  }

  private pollIdle(old: Strategy): void {
    const running = this.running;
    if (running === null || this.current.tag !== 'cutover') return;
    if (this.activeQueries(old) === 0) {
      this.completeDrain('drain-idle');
      return;
    }
    running.idlePoll = this.timers.setTimeout(() => this.pollIdle(old), this.drainPollMs);
  }

  private completeDrain(reason: string): void {
    const running = this.running;
    if (running === null) return;
    this.setPhase({ tag: 'stable', live: running.plan.to }, reason);
    this.finish('completed');
  }

  private arm(ms: number, then: () => void): void {
    const running = this.running;
    if (running === null) return;
    running.phaseEndsAt = this.clock.now() + ms;
    running.phaseTimer = this.timers.setTimeout(then, ms);
  }

  private finish(outcome: DeployResult['outcome']): void {
    const running = this.running;
    if (running === null) return;
    running.phaseTimer?.cancel();
    running.idlePoll?.cancel();
    this.running = null;
    const result: DeployResult = { ...running.plan, outcome, finishedAt: this.clock.now() };
    this.logger.info(`deployment #${result.id} ${outcome}: ${describePhase(this.current)}`, {
      tookMs: result.finishedAt - result.startedAt,
    });
    running.resolve(result);
    if (outcome === 'completed') {
      this.completed += 1;
      this.armSchedule();
    }
  }

  private setPhase(next: DeploymentPhase, reason: string): void {
    this.current = next;
    const change = this.record(this.running?.plan.id ?? null, reason);
    this.logger.info(`phase ${change.description}`, { reason, deploymentId: change.deploymentId });
    for (const listener of [...this.listeners]) listener(change, next);
  }

  private record(deploymentId: number | null, reason: string): PhaseChange {
    const phase = this.current;
    const change: PhaseChange = {
      at: this.clock.now(),
      phase: phase.tag,
      description: describePhase(phase),
      live: phase.tag === 'cutover' ? phase.next : phase.live,
      deploymentId,
      reason,
    };
    this.history.push(change);
    if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
    return change;
  }

  private armSchedule(): void {
    this.cancelSchedule();
    const every = this.switchEveryMs;
    if (every === null || this.closed) return;
    this.nextScheduledAt = this.clock.now() + every;
    this.scheduleTimer = this.timers.setTimeout(() => {
      this.scheduleTimer = null;
      this.nextScheduledAt = null;
      // Cannot throw: the schedule is cancelled while a deployment runs and on close.
      this.start({ mode: 'graceful' }, 'schedule');
    }, every);
  }

  private cancelSchedule(): void {
    this.scheduleTimer?.cancel();
    this.scheduleTimer = null;
    this.nextScheduledAt = null;
  }
}

function requireStrategy(field: string, value: unknown): Strategy {
  const parsed = typeof value === 'string' ? parseStrategy(value) : null;
  if (parsed === null || parsed !== value) throw new InvalidMockOptionError(field, `must be 'blue' or 'green'`);
  return parsed;
}

function requireMode(value: unknown): DeployMode {
  if (value === 'graceful' || value === 'hard') return value;
  throw new InvalidMockOptionError('mode', `must be 'graceful' or 'hard'`);
}

/** A whole number of milliseconds, zero or more. */
export function requireDuration(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidMockOptionError(field, 'must be a whole number of milliseconds, 0 or more');
  }
  return value;
}

function requirePositive(field: string, value: unknown): number {
  const ms = requireDuration(field, value);
  if (ms === 0) throw new InvalidMockOptionError(field, 'must be more than 0');
  return ms;
}
