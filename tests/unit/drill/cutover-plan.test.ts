import { chaosFailPoint, fitPhases, planChaos, planCutovers } from '@e6data-ts/drill';
import { drillOptions } from '../../support/drill-fixtures';

describe('planCutovers', () => {
  it('spreads cutovers evenly with stable time before the first and after the last', () => {
    expect(planCutovers(60_000, 5, 'graceful')).toEqual([
      { atMs: 10_000, mode: 'graceful' },
      { atMs: 20_000, mode: 'graceful' },
      { atMs: 30_000, mode: 'graceful' },
      { atMs: 40_000, mode: 'graceful' },
      { atMs: 50_000, mode: 'graceful' },
    ]);
  });

  it('alternates in mixed mode and plans nothing for zero', () => {
    expect(planCutovers(40_000, 4, 'mixed').map((c) => c.mode)).toEqual(['graceful', 'hard', 'graceful', 'hard']);
    expect(planCutovers(40_000, 3, 'hard').every((c) => c.mode === 'hard')).toBe(true);
    expect(planCutovers(40_000, 0, 'graceful')).toEqual([]);
  });

  it('leaves room for the default graceful cutover (announce 1 s + drain 5 s) between starts of the default run', () => {
    const options = drillOptions();
    const plan = planCutovers(options.durationMs, options.cutovers, options.mode);
    expect(plan).toHaveLength(5);
    for (let i = 1; i < plan.length; i += 1) expect((plan[i]?.atMs ?? 0) - (plan[i - 1]?.atMs ?? 0)).toBeGreaterThan(options.announceMs + options.drainMs);
    // ...and for the last one to finish before the run ends.
    expect((plan.at(-1)?.atMs ?? 0) + options.announceMs + options.drainMs).toBeLessThan(options.durationMs);
  });
});

describe('fitPhases', () => {
  it('keeps 1 s announce and 5 s drain when the run leaves room', () => {
    expect(fitPhases(45_000, 5)).toEqual({ announceMs: 1_000, drainMs: 5_000 });
    expect(fitPhases(10_000, 0)).toEqual({ announceMs: 1_000, drainMs: 5_000 });
  });

  it('shortens both in proportion when cutovers are close together', () => {
    // 8 s, 2 cutovers: 2.67 s apart; a cutover may take 80 % of that.
    const fitted = fitPhases(8_000, 2);
    expect(fitted.announceMs + fitted.drainMs).toBeLessThanOrEqual(2_134);
    expect(fitted.drainMs / fitted.announceMs).toBeCloseTo(5, 1);
    const plan = planCutovers(8_000, 2, 'graceful');
    expect((plan[0]?.atMs ?? 0) + fitted.announceMs + fitted.drainMs).toBeLessThan(plan[1]?.atMs ?? 0);
  });
});

describe('planChaos', () => {
  it('puts one event in each quiet gap, cycling through the kinds, never inside a cutover', () => {
    const cutovers = planCutovers(60_000, 5, 'graceful');
    const chaos = planChaos(60_000, cutovers, 4_000);
    expect(chaos.map((c) => c.kind)).toEqual(['access-denied-storm', 'transient-unavailable', 'suspend-resume', 'access-denied-storm', 'transient-unavailable']);
    for (const event of chaos) {
      expect(event.endMs - event.startMs).toBeLessThanOrEqual(1_500);
      for (const c of cutovers) expect(event.endMs <= c.atMs || event.startMs >= c.atMs + 4_000).toBe(true);
    }
  });

  it('skips gaps too short for an event and spreads three events without cutovers', () => {
    expect(planChaos(10_000, planCutovers(10_000, 2, 'graceful'), 3_300)).toHaveLength(0);
    expect(planChaos(40_000, [], 0).map((c) => c.kind)).toEqual(['access-denied-storm', 'transient-unavailable', 'suspend-resume']);
  });
});

describe('chaosFailPoint', () => {
  it('fails calls with access denied or UNAVAILABLE, seeded; suspend-resume uses no fail point', () => {
    expect(chaosFailPoint('access-denied-storm', 7)).toEqual({ mode: { probability: 0.5, seed: 7 }, action: { grpcStatus: 13, details: expect.stringMatching(/^Access denied/) as string } });
    expect(chaosFailPoint('transient-unavailable', 7)?.action).toMatchObject({ grpcStatus: 14 });
    expect(chaosFailPoint('suspend-resume', 7)).toBeNull();
  });
});
