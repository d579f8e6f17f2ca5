// Phases of a run and windows relative to each cutover. Times are
// milliseconds since the run started.
import { type PhaseChange } from '@e6data-ts/mock-engine';
import { type Deployment } from './drill-options';

/**
 * Where the cluster stood when a query started:
 * - `stable`: no deployment in progress.
 * - `announce`: the next deployment is announced; both take work.
 * - `cutover`: the first second after new work moved (or a hard switch).
 * - `drain`: the rest of the time the old deployment serves the queries it holds.
 */
export type DrillPhase = 'stable' | 'announce' | 'cutover' | 'drain';

/** Every DrillPhase, in the order a cutover goes through them. */
export const DRILL_PHASES: readonly DrillPhase[] = Object.freeze(['stable', 'announce', 'cutover', 'drain']);

/** How long after the switch a query counts as started in the `cutover` phase. */
export const CUTOVER_SETTLE_MS = 1_000;

/** Windows relative to a cutover's switch (t=0). `baseline`: before the first cutover's window. */
export type CutoverWindow = 'baseline' | '-5s..0' | '0..1s' | '1s..5s' | '5s..';

/** Every CutoverWindow, in time order around a switch. */
export const CUTOVER_WINDOWS: readonly CutoverWindow[] = Object.freeze(['baseline', '-5s..0', '0..1s', '1s..5s', '5s..']);

const PRE_WINDOW_MS = 5_000;
const NEAR_WINDOW_MS = 5_000;

/** One cutover as the drill saw it. */
export interface CutoverRecord {
  /** The cluster's deployment id (mock) or a running number (observed). */
  readonly id: number;
  readonly from: Deployment;
  readonly to: Deployment;
  readonly mode: 'graceful' | 'hard';
  /** `drill`: the drill started it on the mock; `observed`: seen on a cluster the drill does not drive. */
  readonly source: 'drill' | 'observed';
  /** When the announce began; null for a hard switch (or none seen). */
  readonly announceAt: number | null;
  /** When new work moved to `to`: t=0 of the cutover windows. */
  readonly switchAt: number;
  /** When the cluster was stable on `to` again; null if the run ended first. */
  readonly stableAt: number | null;
}

/**
 * Cutovers from the mock cluster's phase history. Changes before `runStart`
 * are ignored except to complete a cutover already under way; times become
 * relative to `runStart`.
 */
export function cutoversFromHistory(history: readonly PhaseChange[], runStart: number, modes: ReadonlyMap<number, 'graceful' | 'hard'> = new Map()): CutoverRecord[] {
  interface Building {
    id: number;
    from: Deployment | null;
    to: Deployment;
    announceAt: number | null;
    switchAt: number | null;
    stableAt: number | null;
    hard: boolean;
  }
  const byId = new Map<number, Building>();
  let live: Deployment | null = null;
  for (const change of history) {
    const id = change.deploymentId;
    const at = change.at - runStart;
    if (id === null) {
      live = change.live;
      continue;
    }
    let entry = byId.get(id);
    if (entry === undefined) {
      entry = { id, from: live, to: change.live, announceAt: null, switchAt: null, stableAt: null, hard: false };
      byId.set(id, entry);
    }
    switch (change.phase) {
      case 'announce':
        entry.announceAt = at;
        // During announce `live` is still the old side; the target is in the description.
        entry.from = change.live;
        entry.to = targetOf(change.description) ?? entry.to;
        break;
      case 'cutover':
        entry.switchAt = at;
        entry.to = change.live;
        break;
      case 'stable':
        entry.stableAt = at;
        entry.to = change.live;
        if (change.reason === 'hard-switch') {
          entry.hard = true;
          entry.switchAt = at;
        }
        break;
    }
    live = change.live;
  }
  const records: CutoverRecord[] = [];
  for (const entry of byId.values()) {
    if (entry.switchAt === null) continue; // announced but never switched within the history
    records.push({
      id: entry.id,
      from: entry.from ?? (entry.to === 'blue' ? 'green' : 'blue'),
      to: entry.to,
      mode: modes.get(entry.id) ?? (entry.hard ? 'hard' : 'graceful'),
      source: 'drill',
      announceAt: entry.announceAt,
      switchAt: entry.switchAt,
      stableAt: entry.stableAt,
    });
  }
  return records.sort((a, b) => a.switchAt - b.switchAt);
}

function targetOf(description: string): Deployment | null {
  const match = /announce\((blue|green)\)/.exec(description);
  return match?.[1] === 'blue' || match?.[1] === 'green' ? match[1] : null;
}

/** The phase at time `t`, given the run's cutovers (sorted by switch time). */
export function phaseAt(t: number, cutovers: readonly CutoverRecord[]): DrillPhase {
  for (const cutover of cutovers) {
    if (cutover.announceAt !== null && t >= cutover.announceAt && t < cutover.switchAt) return 'announce';
    if (t < cutover.switchAt) continue;
    const settleEnd = cutover.switchAt + CUTOVER_SETTLE_MS;
    const end = cutover.stableAt ?? Number.POSITIVE_INFINITY;
    if (cutover.mode === 'hard' || cutover.stableAt === cutover.switchAt) {
      if (t < settleEnd) return 'cutover';
      continue;
    }
    if (t < Math.min(settleEnd, end)) return 'cutover';
    if (t < end) return 'drain';
  }
  return 'stable';
}

/**
 * The drill's phase from the mock's current phase tag: the mock's `cutover`
 * is the drill's `cutover` for its first second, `drain` after that.
 */
export function livePhase(tag: 'stable' | 'announce' | 'cutover', changedAt: number, now: number): DrillPhase {
  if (tag !== 'cutover') return tag;
  return now - changedAt < CUTOVER_SETTLE_MS ? 'cutover' : 'drain';
}

/** Where `t` falls relative to the cutovers' switch times (sorted ascending). */
export interface WindowPlace {
  readonly window: CutoverWindow;
  /** Index into the switch times; null for `baseline`. */
  readonly cutover: number | null;
}

/**
 * Places `t` in one cutover's window. The last switch at or before `t` owns
 * it for 5 s after the switch; then the next switch owns the 5 s before it;
 * what is left belongs to the last switch's `5s..` window.
 */
export function windowAt(t: number, switchTimes: readonly number[]): WindowPlace {
  let last = -1;
  for (let i = 0; i < switchTimes.length; i += 1) {
    if ((switchTimes[i] ?? Number.POSITIVE_INFINITY) <= t) last = i;
    else break;
  }
  if (last >= 0) {
    const since = t - (switchTimes[last] ?? 0);
    if (since < CUTOVER_SETTLE_MS) return { window: '0..1s', cutover: last };
    if (since < NEAR_WINDOW_MS) return { window: '1s..5s', cutover: last };
  }
  const next = switchTimes[last + 1];
  if (next !== undefined && next - t <= PRE_WINDOW_MS) return { window: '-5s..0', cutover: last + 1 };
  if (last >= 0) return { window: '5s..', cutover: last };
  return { window: 'baseline', cutover: null };
}
