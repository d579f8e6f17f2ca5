import { type PhaseChange } from '@e6data-ts/mock-engine';
import { cutoversFromEvents, cutoversFromHistory, livePhase, phaseAt, windowAt, type CutoverRecord, type DrillClientEvent } from '@e6data-ts/drill';

const T0 = 1_000_000;
const change = (at: number, phase: PhaseChange['phase'], live: 'blue' | 'green', deploymentId: number | null, description: string, reason: string): PhaseChange => ({
  at: T0 + at, phase, live, deploymentId, description, reason,
});

// A graceful blue->green (announce 1 s, drain 3 s) then a hard green->blue.
const HISTORY: PhaseChange[] = [
  change(-500, 'stable', 'blue', null, 'stable(blue)', 'initial'),
  change(2_000, 'announce', 'blue', 1, 'announce(green)', 'start'),
  change(3_000, 'cutover', 'green', 1, 'cutover(blue->green)', 'announce-elapsed'),
  change(6_000, 'stable', 'green', 1, 'stable(green)', 'drain-elapsed'),
  change(9_000, 'stable', 'blue', 2, 'stable(blue)', 'hard-switch'),
];

describe('cutoversFromHistory', () => {
  it('reads graceful and hard cutovers with times relative to the run start', () => {
    expect(cutoversFromHistory(HISTORY, T0)).toEqual<CutoverRecord[]>([
      { id: 1, from: 'blue', to: 'green', mode: 'graceful', source: 'drill', announceAt: 2_000, switchAt: 3_000, stableAt: 6_000 },
      { id: 2, from: 'green', to: 'blue', mode: 'hard', source: 'drill', announceAt: null, switchAt: 9_000, stableAt: 9_000 },
    ]);
  });

  it('keeps a cutover the run ended in the middle of, and drops one that never switched', () => {
    const unfinished = cutoversFromHistory(HISTORY.slice(0, 3), T0);
    expect(unfinished).toHaveLength(1);
    expect(unfinished[0]?.stableAt).toBeNull();
    expect(cutoversFromHistory(HISTORY.slice(0, 2), T0)).toEqual([]);
  });
});

describe('phaseAt', () => {
  const cutovers = cutoversFromHistory(HISTORY, T0);
  it.each([
    [0, 'stable'],
    [1_999, 'stable'],
    [2_000, 'announce'],
    [2_999, 'announce'],
    [3_000, 'cutover'],
    [3_999, 'cutover'],
    [4_000, 'drain'],
    [5_999, 'drain'],
    [6_000, 'stable'],
    [9_000, 'cutover'],
    [9_999, 'cutover'],
    [10_000, 'stable'],
  ])('at %d ms is %s', (t, phase) => {
    expect(phaseAt(t, cutovers)).toBe(phase);
  });

  it('keeps a drain shorter than the settle second all cutover', () => {
    const short: CutoverRecord[] = [{ id: 1, from: 'blue', to: 'green', mode: 'graceful', source: 'drill', announceAt: 0, switchAt: 1_000, stableAt: 1_400 }];
    expect(phaseAt(1_300, short)).toBe('cutover');
    expect(phaseAt(1_500, short)).toBe('stable');
  });
});

describe('livePhase', () => {
  it('splits the mock cutover phase into the first second and the drain', () => {
    expect(livePhase('stable', 0, 5_000)).toBe('stable');
    expect(livePhase('announce', 0, 5_000)).toBe('announce');
    expect(livePhase('cutover', 4_500, 5_000)).toBe('cutover');
    expect(livePhase('cutover', 4_000, 5_000)).toBe('drain');
  });
});

describe('windowAt', () => {
  const switches = [10_000, 30_000, 37_000];
  it.each([
    [0, 'baseline', null],
    [4_999, 'baseline', null],
    [5_000, '-5s..0', 0],
    [9_999, '-5s..0', 0],
    [10_000, '0..1s', 0],
    [10_999, '0..1s', 0],
    [11_000, '1s..5s', 0],
    [14_999, '1s..5s', 0],
    [15_000, '5s..', 0],
    [24_999, '5s..', 0],
    [25_000, '-5s..0', 1],
    // 2 s after switch 1 and 5 s before switch 2: the switch that happened owns its first 5 s.
    [32_000, '1s..5s', 1],
    [35_000, '-5s..0', 2],
    [60_000, '5s..', 2],
  ])('places %d ms in %s of cutover %p', (t, window, cutover) => {
    expect(windowAt(t, switches)).toEqual({ window, cutover });
  });

  it('is all baseline without cutovers', () => {
    expect(windowAt(123, [])).toEqual({ window: 'baseline', cutover: null });
  });
});

describe('cutoversFromEvents', () => {
  type Change = Extract<DrillClientEvent, { type: 'strategyChange' }>;
  const ev = (at: number, reason: string, from: 'blue' | 'green' | null, to: 'blue' | 'green' | null, pending: 'blue' | 'green' | null): Change => ({
    type: 'strategyChange', at, reason, from, to, pending,
  });

  it('reads an announced move and a hard switch found by detection', () => {
    const records = cutoversFromEvents([
      ev(0, 'set', null, 'blue', null),
      ev(2_000, 'pending-set', 'blue', 'blue', 'green'),
      ev(2_600, 'pending-applied', 'blue', 'green', null),
      ev(9_000, 'set', 'green', 'blue', null),
    ]);
    expect(records).toEqual<CutoverRecord[]>([
      { id: 1, from: 'blue', to: 'green', mode: 'graceful', source: 'observed', announceAt: 2_000, switchAt: 2_600, stableAt: 2_600 },
      { id: 2, from: 'green', to: 'blue', mode: 'hard', source: 'observed', announceAt: null, switchAt: 9_000, stableAt: 9_000 },
    ]);
  });

  it('reads a hard switch found by detecting again after the state was cleared', () => {
    const records = cutoversFromEvents([ev(0, 'set', null, 'blue', null), ev(5_000, 'cleared', 'blue', null, null), ev(5_200, 'set', null, 'green', null)]);
    expect(records).toEqual([{ id: 1, from: 'blue', to: 'green', mode: 'hard', source: 'observed', announceAt: null, switchAt: 5_200, stableAt: 5_200 }]);
  });

  it('sees no cutover in the first detection, a re-detection of the same side, or cleared state', () => {
    expect(
      cutoversFromEvents([ev(0, 'set', null, 'blue', null), ev(1, 'cleared', 'blue', null, null), ev(2, 'set', null, 'blue', null), ev(3, 'expired', 'blue', null, null)]),
    ).toEqual([]);
  });
});
