import { formatOffset, parseFixedOffset } from './fixed-offset';
import { type ZoneRule } from './zone-rule';

// Region ids (`Asia/Kolkata`): the offset depends on the instant and comes
// from Intl, which costs microseconds per question and tens of microseconds
// per formatter. So a zone's answers are kept per UTC day, and its rule is
// shared by every chunk that names it.

/** Intl handles only Date's range (±8.64e15 ms); offsets past it are those at the edge. */
const MAX_INTL_SECONDS = 8.64e12;
/** Bound on a zone's day cache, so values spread over many years cannot grow it without limit. */
const MAX_CACHED_DAYS = 4096;
/** Bound on the shared rules (each keeps up to MAX_CACHED_DAYS days, some 120 KB), so a stream of distinct zone ids cannot grow them without limit. */
const MAX_SHARED_ZONES = 64;

/** A UTC day's changes of offset: `offsets[i]` holds from `at[i - 1]` (the day's start for i = 0) until `at[i]` (the day's end after the last). */
interface DayChanges {
  at: number[];
  offsets: number[];
}

class RegionZone implements ZoneRule {
  private readonly fmt: Intl.DateTimeFormat;
  /**
   * What each UTC day holds: one offset, or its changes. A day whose first
   * and last second share an offset is taken to keep it throughout (zones do
   * not change and change back within one day); a day whose ends differ has
   * each change found by bisection, about 17 questions, instead of one per
   * row.
   */
  private readonly days = new Map<number, number | DayChanges>();
  // The span [spanFrom, spanTo) of epoch seconds the last answer holds for:
  // rows arrive clustered in time, so most need neither the day map nor Intl.
  private spanFrom = Number.POSITIVE_INFINITY;
  private spanTo = Number.NEGATIVE_INFINITY;
  private spanOffset = 0;
  private suffixOffset = Number.NaN;
  private suffix = '';

  /** Throws RangeError for a zone Intl does not know. */
  constructor(zone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  }

  offsetAt(epochSeconds: number): number {
    if (epochSeconds >= this.spanFrom && epochSeconds < this.spanTo) return this.spanOffset;
    const day = Math.floor(epochSeconds / 86400);
    const start = day * 86400;
    let known = this.days.get(day);
    if (known === undefined) {
      known = this.learn(start);
      if (this.days.size >= MAX_CACHED_DAYS) this.days.clear();
      this.days.set(day, known);
    }
    if (typeof known === 'number') return this.hold(start, start + 86400, known);
    const { at, offsets } = known;
    let i = 0;
    while (i < at.length && epochSeconds >= at[i]!) i++;
    return this.hold(i === 0 ? start : at[i - 1]!, i === at.length ? start + 86400 : at[i]!, offsets[i]!);
  }

  suffixAt(offsetSeconds: number): string {
    if (offsetSeconds !== this.suffixOffset) {
      this.suffixOffset = offsetSeconds;
      this.suffix = formatOffset(offsetSeconds);
    }
    return this.suffix;
  }

  /** The offsets of the UTC day starting at epoch second `start`. */
  private learn(start: number): number | DayChanges {
    const end = start + 86399;
    const first = this.ask(start);
    const last = this.ask(end);
    if (first === last) return first;
    const at: number[] = [];
    const offsets = [first];
    let current = first;
    let from = start;
    while (current !== last) {
      // ask(lo) is `current` and ask(hi) is not: narrow down to the first second that leaves it.
      let lo = from;
      let hi = end;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (this.ask(mid) === current) lo = mid;
        else hi = mid;
      }
      current = this.ask(hi);
      at.push(hi);
      offsets.push(current);
      from = hi;
    }
    return { at, offsets };
  }

  private hold(from: number, to: number, offset: number): number {
    this.spanFrom = from;
    this.spanTo = to;
    this.spanOffset = offset;
    return offset;
  }

  private ask(epochSeconds: number): number {
    const clamped = Math.max(-MAX_INTL_SECONDS, Math.min(MAX_INTL_SECONDS, epochSeconds));
    const part = this.fmt.formatToParts(new Date(clamped * 1000)).find((p) => p.type === 'timeZoneName');
    // longOffset renders `GMT`, `GMT+05:30` or `GMT+05:53:28`.
    return parseFixedOffset(part?.value ?? 'GMT') ?? 0;
  }
}

const shared = new Map<string, RegionZone>();

/**
 * The rule of region `zone`, created once and shared: the offsets it learns
 * are facts of the zone database, the same for every caller, and a query's
 * batches name the same few zones again and again. Undefined for a zone Intl
 * does not know.
 */
export function regionZone(zone: string): RegionZone | undefined {
  let rule = shared.get(zone);
  if (rule === undefined) {
    try {
      rule = new RegionZone(zone);
    } catch {
      // Intl throws RangeError for an unknown time zone; callers raise their own typed error.
      return undefined;
    }
    if (shared.size >= MAX_SHARED_ZONES) shared.clear();
    shared.set(zone, rule);
  }
  return rule;
}
