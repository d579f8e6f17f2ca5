import fc from 'fast-check';
import { DecodeError, decodeChunk, encodeChunk, VectorType as VT, type VectorTypeName } from '@e6data-ts/grpc-transport';
import { D, T, data, field, i32, i64, list, oneColumn, str } from '../../support/vectors/thrift-builder';

// The temporal decoders take shortcuts: double arithmetic for microseconds
// within ±2^53, a remembered day per column, direct-mapped caches of civil
// dates and DATE texts, zones found by their bytes, region offsets learnt per
// day (a change of offset found by bisection) and shared between chunks.
// Every row here is checked against an oracle built on Date and Intl, at the
// edges where a shortcut hands over to the general path.

const DAY = 86_400_000_000n;
const TWO_53 = 2n ** 53n;

const p2 = (n: number): string => String(n).padStart(2, '0');

function yearText(y: number): string {
  if (y >= 0 && y <= 9999) return String(y).padStart(4, '0');
  return y > 9999 ? `+${y}` : `-${String(-y).padStart(6, '0')}`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff` of `micros` seen `offsetSeconds` from UTC, from Date's fields (its range suffices here). */
function localText(micros: bigint, offsetSeconds: number): string {
  const ms = floorDiv(micros, 1000n);
  const extra = Number(micros - ms * 1000n);
  const d = new Date(Number(ms) + offsetSeconds * 1000);
  const us = String(d.getUTCMilliseconds() * 1000 + extra).padStart(6, '0');
  return `${yearText(d.getUTCFullYear())}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${us}`;
}

const timestampText = (micros: bigint): string => `${localText(micros, 0)}Z`;
const dateText = (micros: bigint): string => localText(micros, 0).slice(0, -16);

function offsetText(seconds: number): string {
  const a = Math.abs(seconds);
  const hm = `${seconds < 0 ? '-' : '+'}${p2(Math.floor(a / 3600))}:${p2(Math.floor((a % 3600) / 60))}`;
  return a % 60 === 0 ? hm : `${hm}:${p2(a % 60)}`;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** The offset Intl gives `zone` at `micros`, in seconds. */
function intlOffset(zone: string, micros: bigint): number {
  let fmt = formats.get(zone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formats.set(zone, fmt);
  }
  const name = fmt.formatToParts(new Date(Number(floorDiv(micros, 1000n)))).find((p) => p.type === 'timeZoneName')!.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name)!;
  if (m[1] === undefined) return 0;
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -seconds : seconds;
}

function zonedText(micros: bigint, zone: string): string {
  const fixed = /^([+-])(\d{2}):(\d{2})$/.exec(zone);
  const offset = fixed ? (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 3600 + Number(fixed[3]) * 60) : intlOffset(zone, micros);
  return `${localText(micros, offset)}${offsetText(offset)}`;
}

function column(type: VectorTypeName, values: (bigint | null)[], zones?: string[]): unknown[] {
  return decodeChunk(encodeChunk({ vectors: [{ type, values, ...(zones ? { zones } : {}) }] })).rows.map((r) => r[0]);
}

/** Decodes `micros` as DATE, TIMESTAMP, DATETIME and TIMESTAMP_TZ (in `zone`) and checks every row against the oracle. */
function expectAllTypes(micros: (bigint | null)[], zone = 'Asia/Kolkata'): void {
  const or = <T>(f: (m: bigint) => T) => (m: bigint | null): T | null => (m === null ? null : f(m));
  expect(column('DATE', micros)).toEqual(micros.map(or(dateText)));
  expect(column('TIMESTAMP', micros)).toEqual(micros.map(or(timestampText)));
  expect(column('DATETIME', micros)).toEqual(micros.map(or(timestampText)));
  expect(column('TIMESTAMP_TZ', micros, micros.map(() => zone))).toEqual(micros.map(or((m) => zonedText(m, zone))));
}

describe('microseconds around ±2^53, where double arithmetic hands over to 32-bit halves', () => {
  const around = (center: bigint): bigint[] => [-3n, -2n, -1n, 0n, 1n, 2n, 3n].flatMap((k) => [center + k, center + k * 1_000_000n, center + k * DAY]);

  it.each([
    ['2^53', TWO_53],
    ['-2^53', -TWO_53],
  ])('rows around %s agree with Date in every type', (_name, center) => {
    expectAllTypes(around(center));
    expectAllTypes(around(center), '+05:30');
  });

  it('random instants within a day of ±2^53 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.bigInt({ min: -DAY, max: DAY })), { minLength: 1, maxLength: 20 }), (pairs) => {
        expectAllTypes(pairs.map(([negative, delta]) => (negative ? -TWO_53 : TWO_53) + delta));
      }),
      { numRuns: 200 },
    );
  });
});

describe('day boundaries and negative microseconds', () => {
  it.each([
    [-1n, '1969-12-31T23:59:59.999999Z'],
    [-DAY, '1969-12-31T00:00:00.000000Z'],
    [-DAY - 1n, '1969-12-30T23:59:59.999999Z'],
    [-DAY + 1n, '1969-12-31T00:00:00.000001Z'],
    [DAY - 1n, '1970-01-01T23:59:59.999999Z'],
    [DAY, '1970-01-02T00:00:00.000000Z'],
    [-1_000_001n, '1969-12-31T23:59:58.999999Z'],
  ])('%p µs is %s', (micros, text) => {
    expect(column('TIMESTAMP', [micros])).toEqual([text]);
    expect(column('DATE', [micros])).toEqual([text.slice(0, 10)]);
  });

  it('one column crossing midnights in both directions, before and after 1970', () => {
    const days = [-20_000n, -1n, 0n, 1n, 19_000n];
    const micros = days.flatMap((d) => [d * DAY - 1n, d * DAY, d * DAY + 1n, (d + 1n) * DAY - 1n]);
    expectAllTypes(micros);
    expectAllTypes([...micros].reverse());
  });

  it('any instant within ±2^53 µs, rows in any order (property)', () => {
    const instant = fc.oneof(
      fc.bigInt({ min: -TWO_53, max: TWO_53 }),
      fc.tuple(fc.integer({ min: -104_000, max: 104_000 }), fc.constantFrom(-1n, 0n, 1n)).map(([d, k]) => BigInt(d) * DAY + k),
    );
    fc.assert(
      fc.property(fc.array(fc.option(instant, { freq: 8 }), { minLength: 1, maxLength: 40 }), (micros) => {
        expectAllTypes(micros);
      }),
      { numRuns: 300 },
    );
  });
});

describe('per-column caches', () => {
  it('DATE rows over thousands of scattered days (more than the cache holds) and repeats', () => {
    const days = Array.from({ length: 5000 }, (_, i) => BigInt(((i * 7919) % 60_000) - 30_000));
    const micros = [...days, ...days.slice(0, 500)].map((d, i) => (i % 13 === 5 ? null : d * DAY + BigInt(i % 3) * 3_600_000_000n));
    expect(column('DATE', micros)).toEqual(micros.map((m) => (m === null ? null : dateText(m))));
  });

  it('days that share a cache slot, alternating', () => {
    const micros = Array.from({ length: 64 }, (_, i) => BigInt((i % 4) * 1024 + (i % 2) * 4096) * DAY + BigInt(i));
    expectAllTypes(micros);
  });

  it('four-digit and expanded years alternating in one column', () => {
    const rows: [bigint, string][] = [
      [0n, '1970-01-01T00:00:00.000000Z'],
      [253_402_300_800_000_000n, '+10000-01-01T00:00:00.000000Z'],
      [1n, '1970-01-01T00:00:00.000001Z'],
      [253_402_300_799_999_999n, '9999-12-31T23:59:59.999999Z'],
      [DAY, '1970-01-02T00:00:00.000000Z'],
      [-62_167_219_200_000_001n, '-000001-12-31T23:59:59.999999Z'],
      [DAY + 1n, '1970-01-02T00:00:00.000001Z'],
      [2n ** 63n - 1n, '+294247-01-10T04:00:54.775807Z'],
      [-(2n ** 63n), '-290308-12-21T19:59:05.224192Z'],
      [-62_167_219_200_000_000n, '0000-01-01T00:00:00.000000Z'],
      [2n * DAY, '1970-01-03T00:00:00.000000Z'],
    ];
    const micros = rows.map(([m]) => m);
    expect(column('TIMESTAMP', micros)).toEqual(rows.map(([, t]) => t));
    expect(column('DATE', micros)).toEqual(rows.map(([, t]) => t.slice(0, t.indexOf('T'))));
    expect(column('TIMESTAMP_TZ', micros, micros.map(() => '+00:00'))).toEqual(rows.map(([, t]) => `${t.slice(0, -1)}+00:00`));
  });

  it('INT96 Julian days beyond the int64 microsecond range keep exact dates', () => {
    // 400 Gregorian years are 146,097 days: 14,600 cycles from 1970-01-01 is 5,840,000 years away.
    const cycles = 14_600 * 146_097;
    const int96 = (julianDay: number, nanos: bigint): Buffer => Buffer.concat([i32(julianDay), i64(nanos)]);
    const bytes = oneColumn({
      size: 3,
      type: VT.INT96,
      data: data(D.varcharData, field(T.LIST, 1, list(T.STRING, [str(int96(2_440_588 + cycles, 1_000n)), str(int96(2_440_588 - cycles, 0n)), str(int96(2_440_588, 0n))]))),
    });
    expect(decodeChunk(bytes).rows.map((r) => r[0])).toEqual(['+5841970-01-01T00:00:00.000001Z', '-5838030-01-01T00:00:00.000000Z', '1970-01-01T00:00:00.000000Z']);
  });

  it('INT96 nanoseconds before the day\'s start count back into the previous day', () => {
    const bytes = oneColumn({
      size: 1,
      type: VT.INT96,
      data: data(D.varcharData, field(T.LIST, 1, list(T.STRING, [str(Buffer.concat([i32(2_440_589), i64(-1_000n)]))]))),
    });
    expect(decodeChunk(bytes).rows).toEqual([['1970-01-01T23:59:59.999999Z']]);
  });
});

describe('TIMESTAMP_TZ region zones', () => {
  /** The first second of the UTC day `day` at which `zone`'s offset differs from its offset at the day's start, by bisection over Intl. */
  function changeSecond(zone: string, day: number): number {
    const at = (s: number): number => intlOffset(zone, BigInt(s) * 1_000_000n);
    let lo = day * 86400;
    let hi = lo + 86399;
    const first = at(lo);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (at(mid) === first) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /** UTC days of 2024 whose first and last second differ in offset. */
  function changeDays(zone: string): number[] {
    const days: number[] = [];
    for (let day = 19_723; day < 19_723 + 366; day++) {
      if (intlOffset(zone, BigInt(day * 86400) * 1_000_000n) !== intlOffset(zone, BigInt(day * 86400 + 86399) * 1_000_000n)) days.push(day);
    }
    return days;
  }

  it.each(['America/New_York', 'Europe/Paris', 'Australia/Lord_Howe', 'Australia/Sydney', 'America/Santiago', 'Pacific/Chatham', 'America/St_Johns', 'Africa/Casablanca'])(
    '%s: every row of its 2024 transition days, to the second around each change',
    (zone) => {
      const days = changeDays(zone);
      expect(days.length).toBeGreaterThan(0);
      const micros: bigint[] = [];
      for (const day of days) {
        const change = changeSecond(zone, day);
        for (const s of [change - 2, change - 1, change, change + 1, day * 86400, day * 86400 + 86399]) micros.push(BigInt(s) * 1_000_000n + 999_999n, BigInt(s) * 1_000_000n);
        for (let s = day * 86400; s < day * 86400 + 86400; s += 97) micros.push(BigInt(s) * 1_000_000n + 123n);
      }
      // Twice: once learning the days, once from the zone's shared rule.
      for (let i = 0; i < 2; i++) expect(column('TIMESTAMP_TZ', micros, micros.map(() => zone))).toEqual(micros.map((m) => zonedText(m, zone)));
    },
  );

  it('historical local mean time: the change at an odd second is exact', () => {
    const zone = 'Asia/Kolkata';
    // 1854-06-28: Kolkata moved from local mean time (+05:53:28) to Howrah mean time (+05:53:20).
    const day = Math.floor(Date.UTC(1854, 5, 27, 12) / 86_400_000);
    const change = changeSecond(zone, day);
    const micros = [change - 1, change, change + 1].map((s) => BigInt(s) * 1_000_000n);
    const texts = column('TIMESTAMP_TZ', micros, micros.map(() => zone));
    expect(texts).toEqual(micros.map((m) => zonedText(m, zone)));
    expect(new Set(texts.map((t) => (t as string).slice(26))).size).toBe(2);
  });

  it('every zone Intl knows, interleaved with fixed offsets in one column', () => {
    const regions = Intl.supportedValuesOf('timeZone');
    const zones: string[] = [];
    const micros: bigint[] = [];
    const instants = [1_719_835_200_000_000n, 1_704_164_400_123_456n, -1_000_000_000_000_000n];
    for (const [i, instant] of instants.entries()) {
      for (const [k, zone] of regions.entries()) {
        zones.push(zone, k % 2 === 0 ? '+05:30' : '-08:00');
        micros.push(instant + BigInt(k), instant - BigInt(k * i));
      }
    }
    const expected = micros.map((m, i) => zonedText(m, zones[i]!));
    expect(column('TIMESTAMP_TZ', micros, zones)).toEqual(expected);
    expect(column('TIMESTAMP_TZ', micros, zones)).toEqual(expected);
  });

  it('a day with two changes of offset resolves each part to the second (an invented zone)', () => {
    const day = 20_000;
    const first = day * 86400 + 3_600;
    const second = day * 86400 + 7_200;
    const fake = (seconds: number): string => (seconds < first ? 'GMT+01:00' : seconds < second ? 'GMT+02:00' : 'GMT+03:00');
    const RealFormat = Intl.DateTimeFormat;
    const spy = jest.spyOn(Intl, 'DateTimeFormat').mockImplementation(((locales?: string | string[], options?: Intl.DateTimeFormatOptions) => {
      if (options?.timeZone !== 'Test/Two_Changes') return new RealFormat(locales, options);
      return { formatToParts: (date: Date) => [{ type: 'timeZoneName', value: fake(date.getTime() / 1000) }] } as unknown as Intl.DateTimeFormat;
    }) as unknown as typeof Intl.DateTimeFormat);
    try {
      const seconds = [day * 86400, first - 1, first, second - 1, second, day * 86400 + 86399, first - 1, second];
      const micros = seconds.map((x) => BigInt(x) * 1_000_000n);
      const offsets = seconds.map((x) => (x < first ? 3600 : x < second ? 7200 : 10800));
      expect(column('TIMESTAMP_TZ', micros, micros.map(() => 'Test/Two_Changes'))).toEqual(micros.map((m, i) => `${localText(m, offsets[i]!)}${offsetText(offsets[i]!)}`));
    } finally {
      spy.mockRestore();
    }
  });

  it('an unknown zone among known ones is refused, naming its row', () => {
    const zones = ['Europe/Paris', '+05:30', 'Europe/Paris', 'Mars/Olympus_Mons', 'Europe/Paris'];
    const bytes = oneColumn({
      size: 5,
      type: VT.TIMESTAMP_TZ,
      data: data(D.timeData, field(T.LIST, 1, list(T.I64, zones.map(() => i64(0n)))), field(T.LIST, 2, list(T.STRING, zones.map((z) => str(z))))),
    });
    let caught: unknown;
    try {
      decodeChunk(bytes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DecodeError);
    expect((caught as DecodeError).code).toBe('BAD_ZONE');
    expect((caught as DecodeError).message).toContain('row 3');
  });

  it('a NULL row is not asked for its zone', () => {
    const bytes = oneColumn({
      size: 2,
      type: VT.TIMESTAMP_TZ,
      nulls: [true, false],
      data: data(D.timeData, field(T.LIST, 1, list(T.I64, [i64(0n), i64(0n)])), field(T.LIST, 2, list(T.STRING, [str('not a zone'), str('Asia/Tokyo')]))),
    });
    expect(decodeChunk(bytes).rows).toEqual([[null], ['1970-01-01T09:00:00.000000+09:00']]);
  });
});
