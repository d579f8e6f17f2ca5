import { FixedZone, parseFixedOffset } from './fixed-offset';
import { regionZone } from './region-zone';
import { type ZoneRule } from './zone-rule';

// Row zones of TIMESTAMP_TZ values: a fixed offset (fixed-offset.ts) or a
// region id, whose offset depends on the instant (region-zone.ts).

/**
 * Hands out a rule per zone id, looking each id up once. Returns undefined
 * for a zone that is neither a fixed offset nor a region Intl knows.
 */
export class ZoneRules {
  private readonly rules = new Map<string, ZoneRule | undefined>();

  get(zone: string): ZoneRule | undefined {
    if (this.rules.has(zone)) return this.rules.get(zone);
    const fixed = parseFixedOffset(zone);
    const rule = fixed === undefined ? regionZone(zone) : new FixedZone(fixed);
    this.rules.set(zone, rule);
    return rule;
  }
}
