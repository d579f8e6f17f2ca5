import { type ClusterLogger, silentLogger } from '../logger';
import { type TimerHandle, type Timers, systemTimers } from '../timers';

/** What ClusterService `status` answers (docs/wire.md section 3). */
export type PowerStatus = 'active' | 'suspended' | 'resuming';

export interface ClusterPowerOptions {
  /** Time from `resume` to `active`; 0 resumes at once. */
  resumeDelayMs?: number;
  timers?: Timers;
  logger?: ClusterLogger;
}

/**
 * Whether the cluster takes queries. Suspended and resuming clusters answer
 * every engine call with HTTP 503; `resume` moves to `resuming` and, after
 * the resume delay, to `active`.
 */
export class ClusterPower {
  private current: PowerStatus = 'active';
  private resumeTimer: TimerHandle | null = null;
  private waiters: Array<() => void> = [];
  private readonly resumeDelayMs: number;
  private readonly timers: Timers;
  private readonly logger: ClusterLogger;

  constructor(options: ClusterPowerOptions = {}) {
    this.resumeDelayMs = options.resumeDelayMs ?? 0;
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger ?? silentLogger;
  }

  status(): PowerStatus {
    return this.current;
  }

  /** Suspends at once (a resume in progress is abandoned). Returns the new status. */
  suspend(): PowerStatus {
    this.resumeTimer?.cancel();
    this.resumeTimer = null;
    if (this.current !== 'suspended') this.set('suspended');
    return this.current;
  }

  /** Starts resuming a suspended cluster; does nothing to an active or resuming one. Returns the new status. */
  resume(): PowerStatus {
    if (this.current !== 'suspended') return this.current;
    if (this.resumeDelayMs === 0) {
      this.set('active');
      return this.current;
    }
    this.set('resuming');
    this.resumeTimer = this.timers.setTimeout(() => {
      this.resumeTimer = null;
      this.set('active');
    }, this.resumeDelayMs);
    return this.current;
  }

  /** Resolves when the cluster is active (at once if it is). */
  whenActive(): Promise<void> {
    if (this.current === 'active') return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Cancels a pending resume. Waiters of whenActive() are released so nothing hangs on a closed cluster. */
  close(): void {
    this.resumeTimer?.cancel();
    this.resumeTimer = null;
    this.release();
  }

  private set(next: PowerStatus): void {
    this.logger.info(`cluster ${next}`, { from: this.current });
    this.current = next;
    if (next === 'active') this.release();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
