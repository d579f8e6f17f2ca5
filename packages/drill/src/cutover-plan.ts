// When the drill triggers cutovers and chaos on the mock cluster: pure plans,
// times in ms since the run started.
import { DEFAULT_ANNOUNCE_MS, DEFAULT_DRAIN_MS } from '@e6data-ts/mock-engine';
import { type ChaosEvent } from './report';
import { type CutoverMode } from './drill-options';

/** One cutover the drill will start. */
export interface PlannedCutover {
  readonly atMs: number;
  readonly mode: 'graceful' | 'hard';
}

/**
 * `count` cutovers spread evenly with a stable stretch before the first and
 * after the last: cutover i starts at (i+1)/(count+1) of the run. `mixed`
 * alternates graceful and hard, graceful first.
 */
export function planCutovers(durationMs: number, count: number, mode: CutoverMode): PlannedCutover[] {
  return Array.from({ length: count }, (_, i) => ({
    atMs: Math.round(((i + 1) * durationMs) / (count + 1)),
    mode: mode === 'mixed' ? (i % 2 === 0 ? 'graceful' : 'hard') : mode,
  }));
}

/** Share of the time between cutover starts a graceful cutover may take by default. */
const FIT_SHARE = 0.8;

/**
 * The default announce and drain (the mock cluster's own defaults), shortened in proportion when cutovers come
 * so close together that a whole graceful cutover (announce + drain) would not
 * end before the next one starts.
 */
export function fitPhases(durationMs: number, count: number): { announceMs: number; drainMs: number } {
  if (count === 0) return { announceMs: DEFAULT_ANNOUNCE_MS, drainMs: DEFAULT_DRAIN_MS };
  const budget = (durationMs / (count + 1)) * FIT_SHARE;
  const scale = Math.min(1, budget / (DEFAULT_ANNOUNCE_MS + DEFAULT_DRAIN_MS));
  return { announceMs: Math.round(DEFAULT_ANNOUNCE_MS * scale), drainMs: Math.round(DEFAULT_DRAIN_MS * scale) };
}

const CHAOS_KINDS: ReadonlyArray<ChaosEvent['kind']> = ['access-denied-storm', 'transient-unavailable', 'suspend-resume'];
const CHAOS_MS = 1_500;
const CHAOS_MIN_MS = 200;

/**
 * Chaos between cutovers: one event in the middle of each quiet gap (after a
 * cutover's announce and drain, before the next cutover), cycling through
 * the three kinds, at most 1.5 s each and never more than half the gap. With
 * no cutovers, three events spread over the run.
 */
export function planChaos(durationMs: number, cutovers: readonly PlannedCutover[], graceMs: number): ChaosEvent[] {
  const busy = cutovers.map((cutover) => ({ start: cutover.atMs, end: cutover.atMs + (cutover.mode === 'hard' ? 0 : graceMs) }));
  const gaps: Array<{ start: number; end: number }> = [];
  if (busy.length === 0) {
    for (let i = 0; i < CHAOS_KINDS.length; i += 1) {
      const mid = ((i + 1) * durationMs) / (CHAOS_KINDS.length + 1);
      gaps.push({ start: mid - CHAOS_MS, end: mid + CHAOS_MS });
    }
  } else {
    for (let i = 0; i < busy.length; i += 1) {
      const end = busy[i]?.end ?? 0;
      const next = busy[i + 1]?.start ?? durationMs;
      gaps.push({ start: end, end: next });
    }
  }
  const events: ChaosEvent[] = [];
  for (const gap of gaps) {
    const length = Math.min(CHAOS_MS, (gap.end - gap.start) / 2);
    if (length < CHAOS_MIN_MS) continue;
    const startMs = Math.round((gap.start + gap.end - length) / 2);
    const kind = CHAOS_KINDS[events.length % CHAOS_KINDS.length] ?? 'suspend-resume';
    events.push({ kind, startMs, endMs: startMs + Math.round(length) });
  }
  return events;
}
