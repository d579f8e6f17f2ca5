// Row zones of TIMESTAMP_TZ values: a fixed offset (`+05:30`, `-0800`, `Z`,
// `UTC+01:00`, Java ZoneOffset forms) or a region id (`Asia/Kolkata`), whose
// offset depends on the instant and is resolved with Intl.
//
// UTC is rendered as `+00:00`, never `Z`, so every TIMESTAMP_TZ value ends in
// a numeric offset (the reference client prints the same, via isoformat()).

const PREFIX_RE = /^(?:UTC|GMT|UT)(?=[+-]|$)/i;
/** `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`. */
const OFFSET_RE = /^([+-])(?:(\d{1,2})|(\d{2})(?::(\d{2})(?::(\d{2}))?|(\d{2})(\d{2})?))$/;
/** Java's ZoneOffset range. */
const MAX_OFFSET_SECONDS = 18 * 3600;
/** Intl handles only Date's range (±8.64e15 ms); offsets past it are those at the edge. */
const MAX_INTL_SECONDS = 8.64e12;

/** Offset seconds of a fixed-offset zone id, or undefined when `zone` is not one (a region id, or garbage). */
export function parseFixedOffset(zone: string): number | undefined {
  const rest = zone.replace(PREFIX_RE, '');
  if (rest === '' || rest === 'Z' || rest === 'z') return 0;
  const m = OFFSET_RE.exec(rest);
  if (!m) return undefined;
  const h = Number(m[2] ?? m[3]);
  const mi = Number(m[4] ?? m[6] ?? 0);
  const s = Number(m[5] ?? m[7] ?? 0);
  if (mi > 59 || s > 59) return undefined;
  const total = h * 3600 + mi * 60 + s;
  if (total > MAX_OFFSET_SECONDS) return undefined;
  return m[1] === '-' ? -total : total;
}

/** `+HH:MM`, or `+HH:MM:SS` when the offset has seconds (historical local mean times). */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const a = Math.abs(offsetSeconds);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  const s = a % 60;
  const hm = `${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return s === 0 ? hm : `${hm}:${String(s).padStart(2, '0')}`;
}

/** Resolves the offset of one zone at given instants. */
export interface ZoneRule {
  /** Offset seconds at `epochSeconds`. */
  offsetAt(epochSeconds: number): number;
  /** `offsetSeconds` (as returned by `offsetAt`) as text; cached for fixed zones. */
  suffixAt(offsetSeconds: number): string;
}

class FixedZone implements ZoneRule {
  readonly suffix: string;
  constructor(readonly offset: number) {
    this.suffix = formatOffset(offset);
  }
  offsetAt(): number {
    return this.offset;
  }
  suffixAt(): string {
    return this.suffix;
  }
}

class RegionZone implements ZoneRule {
  private readonly fmt: Intl.DateTimeFormat;
  /**
   * Offset per UTC day, or NaN for a day with a transition in it. Asking Intl
   * costs microseconds, so a day whose first and last second share an offset
   * is taken to keep it throughout (zones do not change and change back
   * within one day), and rows on that day need no further question.
   */
  private readonly days = new Map<number, number>();
  // Within a transition day, rows often share a minute.
  private lastMinute = Number.NaN;
  private lastOffset = 0;

  constructor(zone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  }

  offsetAt(epochSeconds: number): number {
    const day = Math.floor(epochSeconds / 86400);
    let known = this.days.get(day);
    if (known === undefined) {
      const first = this.ask(day * 86400);
      known = first === this.ask(day * 86400 + 86399) ? first : Number.NaN;
      if (this.days.size >= MAX_CACHED_DAYS) this.days.clear();
      this.days.set(day, known);
    }
    if (!Number.isNaN(known)) return known;
    const minute = Math.floor(epochSeconds / 60);
    if (minute !== this.lastMinute) {
      this.lastMinute = minute;
      this.lastOffset = this.ask(epochSeconds);
    }
    return this.lastOffset;
  }

  suffixAt(offsetSeconds: number): string {
    return formatOffset(offsetSeconds);
  }

  private ask(epochSeconds: number): number {
    const clamped = Math.max(-MAX_INTL_SECONDS, Math.min(MAX_INTL_SECONDS, epochSeconds));
    const part = this.fmt.formatToParts(new Date(clamped * 1000)).find((p) => p.type === 'timeZoneName');
    // longOffset renders `GMT`, `GMT+05:30` or `GMT+05:53:28`.
    return parseFixedOffset(part?.value ?? 'GMT') ?? 0;
  }
}

/** Bound on the per-zone day cache, so a batch spread over many years cannot grow it without limit. */
const MAX_CACHED_DAYS = 4096;

/**
 * Hands out a rule per zone id, creating each once. Returns undefined for a
 * zone that is neither a fixed offset nor a region Intl knows.
 */
export class ZoneRules {
  private readonly rules = new Map<string, ZoneRule | undefined>();

  get(zone: string): ZoneRule | undefined {
    if (this.rules.has(zone)) return this.rules.get(zone);
    const rule = createRule(zone);
    this.rules.set(zone, rule);
    return rule;
  }
}

function createRule(zone: string): ZoneRule | undefined {
  const fixed = parseFixedOffset(zone);
  if (fixed !== undefined) return new FixedZone(fixed);
  try {
    return new RegionZone(zone);
  } catch {
    // Intl throws RangeError for an unknown time zone; callers raise their own typed error.
    return undefined;
  }
}
