import { type ZoneRules } from './zone-offset';
import { type ZoneRule } from './zone-rule';

/**
 * Resolves TIMESTAMP_TZ row zones straight from their bytes in the input.
 * Turning a zone's bytes into a string and looking it up costs far more than
 * the rest of a row, and a column repeats a handful of zones, often
 * interleaved. So each distinct byte sequence is decoded and looked up once:
 * later rows find it by a hash of their bytes and one byte comparison with
 * the first row that carried it. Direct-mapped: zones that share a slot only
 * cost a repeated lookup, never a wrong answer.
 */
export class ZoneByBytes {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly rules: (ZoneRule | undefined)[];
  private readonly mask: number;
  private lastStart = -1;
  private lastEnd = -1;
  private lastRule: ZoneRule | undefined;

  /** `slots` is a power of two. */
  constructor(
    private readonly buf: Buffer,
    private readonly view: DataView,
    private readonly zones: ZoneRules,
    slots = 256,
  ) {
    this.starts = new Int32Array(slots).fill(-1);
    this.ends = new Int32Array(slots);
    this.rules = new Array<ZoneRule | undefined>(slots);
    this.mask = slots - 1;
  }

  /** The rule of the zone whose UTF-8 text is `buf[start, end)`; undefined for an unknown zone. */
  ruleAt(start: number, end: number): ZoneRule | undefined {
    // Runs of one zone: one comparison with the previous row.
    if (this.lastStart >= 0 && this.sameBytes(this.lastStart, this.lastEnd, start, end)) return this.lastRule;
    const slot = this.hash(start, end) & this.mask;
    const known = this.starts[slot]!;
    let rule: ZoneRule | undefined;
    if (known >= 0 && this.sameBytes(known, this.ends[slot]!, start, end)) {
      rule = this.rules[slot];
    } else {
      rule = this.zones.get(this.buf.toString('utf8', start, end));
      this.starts[slot] = start;
      this.ends[slot] = end;
      this.rules[slot] = rule;
    }
    this.lastStart = start;
    this.lastEnd = end;
    this.lastRule = rule;
    return rule;
  }

  /** Length and first and last four bytes: enough to tell apart the zones of one column. */
  private hash(start: number, end: number): number {
    const length = end - start;
    let h = Math.imul(length, 0x9e3779b1);
    if (length >= 4) {
      h ^= this.view.getInt32(start);
      h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ this.view.getInt32(end - 4);
    } else {
      for (let i = start; i < end; i++) h = Math.imul(h ^ this.buf[i]!, 0x85ebca6b);
    }
    return h ^ (h >>> 13);
  }

  private sameBytes(a: number, aEnd: number, b: number, bEnd: number): boolean {
    const length = aEnd - a;
    if (bEnd - b !== length) return false;
    const view = this.view;
    let i = 0;
    for (; i + 4 <= length; i += 4) if (view.getInt32(a + i) !== view.getInt32(b + i)) return false;
    const buf = this.buf;
    for (; i < length; i++) if (buf[a + i] !== buf[b + i]) return false;
    return true;
  }
}
