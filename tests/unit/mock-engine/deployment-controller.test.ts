import {
  InvalidMockOptionError,
  MockClusterError,
  type ClusterLogger,
  type PhaseChange,
  type TimerHandle,
  type Timers,
} from '@e6data-ts/mock-engine';
import { ClusterPower, DeploymentController, describePhase, newWorkTarget } from '@e6data-ts/mock-engine/internal';
import { thrownBy } from '../../support/expected-error';

/** Timers and a clock a test moves by hand: nothing fires until advance() says so. */
class ManualTime implements Timers {
  private nowMs = 1_000;
  private seq = 0;
  private queue: Array<{ at: number; seq: number; fn: () => void; live: boolean }> = [];

  now(): number {
    return this.nowMs;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const entry = { at: this.nowMs + ms, seq: this.seq++, fn, live: true };
    this.queue.push(entry);
    return {
      cancel: () => {
        entry.live = false;
      },
    };
  }

  pending(): number {
    return this.queue.filter((e) => e.live).length;
  }

  /** Moves time forward, firing due timers in order (including those they arm). */
  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      this.queue = this.queue.filter((e) => e.live);
      const next = this.queue.filter((e) => e.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (next === undefined) break;
      next.live = false;
      this.nowMs = next.at;
      next.fn();
    }
    this.nowMs = until;
  }
}

function recordingLogger(): ClusterLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
}

function controller(time: ManualTime, options: ConstructorParameters<typeof DeploymentController>[0] = {}): DeploymentController {
  return new DeploymentController({ clock: time, timers: time, ...options });
}

describe('DeploymentController', () => {
  it('starts stable on blue by default, or on the live deployment it is given', () => {
    const time = new ManualTime();
    const blue = controller(time);
    expect(blue.phase()).toEqual({ tag: 'stable', live: 'blue' });
    expect(blue.state()).toMatchObject({ phase: 'stable', live: 'blue', next: null, draining: null, deployment: null, completed: 0 });
    expect(blue.state().history).toEqual([
      { at: 1_000, phase: 'stable', description: 'stable(blue)', live: 'blue', deploymentId: null, reason: 'initial' },
    ]);
    const green = controller(time, { live: 'green' });
    expect(green.phase()).toEqual({ tag: 'stable', live: 'green' });
    blue.close();
    green.close();
  });

  it('walks a graceful deployment through announce, cutover and drain, recording each phase with its time', async () => {
    const time = new ManualTime();
    const logger = recordingLogger();
    const c = controller(time, { logger });
    const seen: string[] = [];
    c.onPhaseChange((change) => seen.push(change.description));

    const handle = c.start({ announceMs: 100, drainMs: 300 });
    expect(handle.plan).toMatchObject({ id: 1, from: 'blue', to: 'green', mode: 'graceful', announceMs: 100, drainMs: 300, trigger: 'code', startedAt: 1_000 });
    expect(c.phase()).toEqual({ tag: 'announce', live: 'blue', next: 'green' });
    expect(c.state()).toMatchObject({ phase: 'announce', live: 'blue', next: 'green', draining: null });
    expect(c.state().deployment).toMatchObject({ id: 1, phaseEndsAt: 1_100 });
    expect(c.isDeploying()).toBe(true);

    time.advance(99);
    expect(c.phase().tag).toBe('announce');
    time.advance(1);
    expect(c.phase()).toEqual({ tag: 'cutover', old: 'blue', next: 'green' });
    expect(c.state()).toMatchObject({ phase: 'cutover', live: 'green', next: 'green', draining: 'blue' });
    expect(c.state().deployment).toMatchObject({ phaseEndsAt: 1_400 });

    time.advance(300);
    expect(c.phase()).toEqual({ tag: 'stable', live: 'green' });
    const result = await handle.done;
    expect(result).toMatchObject({ id: 1, outcome: 'completed', startedAt: 1_000, finishedAt: 1_400 });
    expect(c.isDeploying()).toBe(false);
    expect(c.state().completed).toBe(1);

    expect(seen).toEqual(['announce(green)', 'cutover(blue->green)', 'stable(green)']);
    const history = c.state().history.map((h: PhaseChange) => [h.at, h.description, h.reason, h.deploymentId]);
    expect(history).toEqual([
      [1_000, 'stable(blue)', 'initial', null],
      [1_000, 'announce(green)', 'start', 1],
      [1_100, 'cutover(blue->green)', 'announce-elapsed', 1],
      [1_400, 'stable(green)', 'drain-elapsed', 1],
    ]);
    expect(logger.lines).toEqual(
      expect.arrayContaining([
        'info deployment #1 started: blue -> green (graceful)',
        'info phase announce(green)',
        'info phase cutover(blue->green)',
        'info phase stable(green)',
        'info deployment #1 completed: stable(green)',
      ]),
    );
    expect(time.pending()).toBe(0);
    c.close();
  });

  it('deploys back and forth: the default target is always the deployment that is not live', async () => {
    const time = new ManualTime();
    const c = controller(time, { announceMs: 10, drainMs: 10 });
    const first = c.deploy();
    time.advance(20);
    await expect(first).resolves.toMatchObject({ from: 'blue', to: 'green' });
    const second = c.deploy();
    time.advance(20);
    await expect(second).resolves.toMatchObject({ id: 2, from: 'green', to: 'blue' });
    expect(c.phase()).toEqual({ tag: 'stable', live: 'blue' });
    c.close();
  });

  it('switches at once in hard mode: no announce, no drain', async () => {
    const time = new ManualTime();
    const c = controller(time);
    const handle = c.start({ mode: 'hard', announceMs: 500, drainMs: 500 });
    expect(handle.plan).toMatchObject({ mode: 'hard', announceMs: 0, drainMs: 0 });
    expect(c.phase()).toEqual({ tag: 'stable', live: 'green' });
    await expect(handle.done).resolves.toMatchObject({ outcome: 'completed', finishedAt: 1_000 });
    expect(c.state().history.map((h) => h.reason)).toEqual(['initial', 'hard-switch']);
    expect(time.pending()).toBe(0);
    c.close();
  });

  it('refuses a second deployment while one runs, naming the running one', () => {
    const time = new ManualTime();
    const c = controller(time);
    c.start({ announceMs: 100, drainMs: 100 });
    const caught = thrownBy(() => c.start(), MockClusterError);
    expect(caught).toMatchObject({ code: 'DEPLOYMENT_IN_PROGRESS' });
    expect(caught.message).toBe('deployment #1 (blue -> green) is still running; wait for it to finish before starting another');
    c.close();
  });

  it('refuses bad deployment options with an error naming the field', () => {
    const time = new ManualTime();
    const c = controller(time);
    expect(() => c.start({ to: 'blue' })).toThrow(new InvalidMockOptionError('to', 'blue is already live'));
    expect(() => c.start({ to: 'purple' as never })).toThrow("to: must be 'blue' or 'green'");
    expect(() => c.start({ mode: 'slow' as never })).toThrow("mode: must be 'graceful' or 'hard'");
    expect(() => c.start({ announceMs: -1 })).toThrow('announceMs: must be a whole number of milliseconds, 0 or more');
    expect(() => c.start({ drainMs: 1.5 })).toThrow('drainMs: must be a whole number of milliseconds, 0 or more');
    expect(c.isDeploying()).toBe(false);
    c.close();
  });

  it('refuses bad constructor options', () => {
    expect(() => new DeploymentController({ live: 'Blue' as never })).toThrow("live: must be 'blue' or 'green'");
    expect(() => new DeploymentController({ switchEveryMs: -5 })).toThrow(InvalidMockOptionError);
    expect(() => new DeploymentController({ drainPollMs: 0 })).toThrow('drainPollMs: must be more than 0');
    expect(() => new DeploymentController({ historyLimit: 0 })).toThrow('historyLimit: must be more than 0');
  });

  it('uses the configured default announce and drain times', () => {
    const time = new ManualTime();
    const c = controller(time, { announceMs: 7, drainMs: 9 });
    expect(c.start().plan).toMatchObject({ announceMs: 7, drainMs: 9 });
    c.close();
  });

  it('ends the drain early once the old deployment holds no query, when asked to', async () => {
    const time = new ManualTime();
    let active = 2;
    const asked: string[] = [];
    const c = controller(time, {
      endDrainWhenIdle: true,
      drainPollMs: 10,
      activeQueries: (deployment) => {
        asked.push(deployment);
        return active;
      },
    });
    const handle = c.start({ announceMs: 0, drainMs: 10_000 });
    time.advance(0);
    expect(c.phase().tag).toBe('cutover');
    time.advance(50);
    expect(c.phase().tag).toBe('cutover');
    active = 0;
    time.advance(10);
    expect(c.phase()).toEqual({ tag: 'stable', live: 'green' });
    await expect(handle.done).resolves.toMatchObject({ finishedAt: 1_060 });
    expect(new Set(asked)).toEqual(new Set(['blue']));
    expect(c.state().history.at(-1)?.reason).toBe('drain-idle');
    expect(time.pending()).toBe(0);
    c.close();
  });

  it('drains by time alone when the engine cannot report its queries', async () => {
    const time = new ManualTime();
    const c = controller(time, { endDrainWhenIdle: true, drainPollMs: 10, activeQueries: () => null });
    const handle = c.start({ announceMs: 0, drainMs: 100 });
    time.advance(99);
    expect(c.phase().tag).toBe('cutover');
    time.advance(1);
    await expect(handle.done).resolves.toMatchObject({ outcome: 'completed' });
    expect(c.state().history.at(-1)?.reason).toBe('drain-elapsed');
    c.close();
  });

  it('runs scheduled graceful deployments every switchEveryMs after the cluster last became stable', () => {
    const time = new ManualTime();
    const c = controller(time, { switchEveryMs: 1_000, announceMs: 100, drainMs: 100 });
    expect(c.state()).toMatchObject({ switchEveryMs: 1_000, nextScheduledAt: 2_000 });
    time.advance(999);
    expect(c.phase().tag).toBe('stable');
    time.advance(1);
    expect(c.phase()).toEqual({ tag: 'announce', live: 'blue', next: 'green' });
    expect(c.state().deployment).toMatchObject({ trigger: 'schedule' });
    expect(c.state().nextScheduledAt).toBeNull();
    time.advance(200);
    expect(c.phase()).toEqual({ tag: 'stable', live: 'green' });
    expect(c.state().nextScheduledAt).toBe(3_200);
    time.advance(1_200);
    expect(c.phase()).toEqual({ tag: 'stable', live: 'blue' });
    expect(c.state().completed).toBe(2);
    c.close();
    expect(time.pending()).toBe(0);
  });

  it('restarts the schedule after a deployment started by hand', () => {
    const time = new ManualTime();
    const c = controller(time, { switchEveryMs: 1_000 });
    time.advance(500);
    c.start({ mode: 'hard' });
    expect(c.state().nextScheduledAt).toBe(2_500);
    c.close();
  });

  it('aborts a running deployment on close: done resolves as aborted and nothing stays armed', async () => {
    const time = new ManualTime();
    const c = controller(time, { switchEveryMs: 5_000 });
    const handle = c.start({ announceMs: 100, drainMs: 100 });
    c.close();
    await expect(handle.done).resolves.toMatchObject({ outcome: 'aborted' });
    expect(time.pending()).toBe(0);
    expect(c.phase().tag).toBe('announce');
    expect(() => c.start()).toThrow(MockClusterError);
    expect(() => c.start()).toThrow('the deployment controller is closed');
    c.close();
  });

  it('keeps only the newest phase changes', () => {
    const time = new ManualTime();
    const c = controller(time, { historyLimit: 3 });
    // initial blue, then green, blue, green, blue: the first two fall out.
    for (let i = 0; i < 4; i++) c.start({ mode: 'hard' });
    expect(c.state().history.map((h) => h.description)).toEqual(['stable(blue)', 'stable(green)', 'stable(blue)']);
    c.close();
  });

  it('stops calling a listener once it unsubscribes', () => {
    const time = new ManualTime();
    const c = controller(time);
    const seen: string[] = [];
    const stop = c.onPhaseChange((change) => seen.push(change.description));
    c.start({ mode: 'hard' });
    stop();
    c.start({ mode: 'hard' });
    expect(seen).toEqual(['stable(green)']);
    c.close();
  });
});

describe('deployment phases', () => {
  it('name the deployment that takes new work and describe themselves', () => {
    expect(newWorkTarget({ tag: 'stable', live: 'green' })).toBe('green');
    expect(newWorkTarget({ tag: 'announce', live: 'blue', next: 'green' })).toBe('blue');
    expect(newWorkTarget({ tag: 'cutover', old: 'blue', next: 'green' })).toBe('green');
    expect(describePhase({ tag: 'cutover', old: 'green', next: 'blue' })).toBe('cutover(green->blue)');
  });
});

describe('ClusterPower (suspend and resume)', () => {
  it('is active until suspended, and resumes after the resume delay', async () => {
    const time = new ManualTime();
    const logger = recordingLogger();
    const power = new ClusterPower({ resumeDelayMs: 100, timers: time, logger });
    expect(power.status()).toBe('active');
    await expect(power.whenActive()).resolves.toBeUndefined();
    expect(power.suspend()).toBe('suspended');
    expect(power.suspend()).toBe('suspended');
    let active = false;
    void power.whenActive().then(() => {
      active = true;
    });
    expect(power.resume()).toBe('resuming');
    expect(power.resume()).toBe('resuming');
    time.advance(99);
    await Promise.resolve();
    expect(power.status()).toBe('resuming');
    expect(active).toBe(false);
    time.advance(1);
    await Promise.resolve();
    expect(power.status()).toBe('active');
    expect(active).toBe(true);
    expect(power.resume()).toBe('active');
    expect(logger.lines).toEqual(['info cluster suspended', 'info cluster resuming', 'info cluster active']);
  });

  it('resumes at once without a delay', () => {
    const power = new ClusterPower();
    power.suspend();
    expect(power.resume()).toBe('active');
  });

  it('abandons a resume when suspended again, and releases waiters on close', async () => {
    const time = new ManualTime();
    const power = new ClusterPower({ resumeDelayMs: 100, timers: time });
    power.suspend();
    power.resume();
    expect(power.suspend()).toBe('suspended');
    expect(time.pending()).toBe(0);
    const waiting = power.whenActive();
    power.resume();
    power.close();
    await expect(waiting).resolves.toBeUndefined();
    expect(time.pending()).toBe(0);
  });
});

describe('MockClusterError.from', () => {
  it('keeps a MockClusterError and wraps anything else with code UNKNOWN, keeping the cause', () => {
    const own = new MockClusterError('CLOSED', 'closed');
    expect(MockClusterError.from(own)).toBe(own);
    const wrapped = MockClusterError.from(new RangeError('boom'));
    expect(wrapped).toMatchObject({ code: 'UNKNOWN', message: 'boom', name: 'MockClusterError' });
    expect(wrapped.cause).toBeInstanceOf(RangeError);
    expect(MockClusterError.from('text')).toMatchObject({ code: 'UNKNOWN', message: 'unexpected failure: text' });
    expect(new InvalidMockOptionError('port', 'must be a number')).toMatchObject({ code: 'INVALID_OPTION', field: 'port', message: 'port: must be a number', name: 'InvalidMockOptionError' });
  });
});
