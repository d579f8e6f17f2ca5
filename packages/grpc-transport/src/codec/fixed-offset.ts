import { type ZoneRule } from './zone-rule';

// Fixed-offset zone ids (`+05:30`, `-0800`, `Z`, `UTC+01:00`, Java ZoneOffset
// forms) and the offset text every TIMESTAMP_TZ value ends in. UTC is
// rendered as `+00:00`, never `Z` (the reference client prints the same, via
// isoformat()).

const PREFIX_RE = /^(?:UTC|GMT|UT)(?=[+-]|$)/i;
/** `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`. */
const OFFSET_RE = /^([+-])(?:(\d{1,2})|(\d{2})(?::(\d{2})(?::(\d{2}))?|(\d{2})(\d{2})?))$/;
/** Java's ZoneOffset range. */
const MAX_OFFSET_SECONDS = 18 * 3600;

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

export class FixedZone implements ZoneRule {
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
