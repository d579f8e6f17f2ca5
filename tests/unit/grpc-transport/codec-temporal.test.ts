import fc from 'fast-check';
import { DecodeError, decodeChunk, encodeChunk, VectorType as VT } from '@e6data-ts/grpc-transport';
import { D, T, data, field, i64, list, oneColumn, str } from '../../support/vectors/thrift-builder';

// DATE, DATETIME/TIMESTAMP and TIMESTAMP_TZ values: integer calendar math over
// int64 microseconds, floored before 1970, with years past 9999 and before 0
// in ISO 8601 expanded form.

const MICROS_PER_DAY = 86_400_000_000n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const decodeOne = (type: number, micros: bigint, zone?: string): unknown => {
  const zones = zone === undefined ? [] : [field(T.LIST, 2, list(T.STRING, [str(zone)]))];
  const variant = type === VT.DATE ? D.dateData : D.timeData;
  return decodeChunk(oneColumn({ size: 1, type, data: data(variant, field(T.LIST, 1, list(T.I64, [i64(micros)])), ...zones) })).rows[0]![0];
};
const timestamp = (micros: bigint): unknown => decodeOne(VT.TIMESTAMP, micros);
const date = (micros: bigint): unknown => decodeOne(VT.DATE, micros);
const zoned = (micros: bigint, zone: string): unknown => decodeOne(VT.TIMESTAMP_TZ, micros, zone);

/** Our expected text from a Date in its range: toISOString's fields with our year form and microseconds. */
function expectedFromDate(ms: number, extraMicros: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : y > 9999 ? `+${y}` : `-${String(-y).padStart(6, '0')}`;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const micros = String(d.getUTCMilliseconds() * 1000 + extraMicros).padStart(6, '0');
  return `${year}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${micros}Z`;
}

describe('TIMESTAMP / DATETIME', () => {
  it.each([
    [0n, '1970-01-01T00:00:00.000000Z'],
    [1n, '1970-01-01T00:00:00.000001Z'],
    [-1n, '1969-12-31T23:59:59.999999Z'],
    [-1_000_000n, '1969-12-31T23:59:59.000000Z'],
    [-999_999n, '1969-12-31T23:59:59.000001Z'],
    // The reference client prints this instant as 1969-12-30T47:59:59.
    [-(86_400n + 1n) * 1_000_000n, '1969-12-30T23:59:59.000000Z'],
    [951_782_400_000_000n, '2000-02-29T00:00:00.000000Z'],
    [1_704_164_400_123_456n, '2024-01-02T03:00:00.123456Z'],
    [253_402_300_799_999_999n, '9999-12-31T23:59:59.999999Z'],
    [253_402_300_800_000_000n, '+10000-01-01T00:00:00.000000Z'],
    [-62_167_219_200_000_000n, '0000-01-01T00:00:00.000000Z'],
    [-62_167_219_200_000_001n, '-000001-12-31T23:59:59.999999Z'],
    [INT64_MAX, '+294247-01-10T04:00:54.775807Z'],
    [INT64_MIN, '-290308-12-21T19:59:05.224192Z'],
  ])('%p µs is %s', (micros, text) => {
    expect(timestamp(micros)).toBe(text);
  });

  it('agrees with Date wherever Date reaches, to the microsecond (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }), fc.integer({ min: 0, max: 999 }), (ms, extra) => {
        expect(timestamp(BigInt(ms) * 1000n + BigInt(extra))).toBe(expectedFromDate(ms, extra));
      }),
      { numRuns: 2000 },
    );
  });

  it('is monotonic across the whole int64 range (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX - 1n }), (micros) => {
        const a = timestamp(micros) as string;
        const b = timestamp(micros + 1n) as string;
        const key = (s: string): string => s.replace(/^\+/, '').padStart(30, '0');
        if (!a.startsWith('-') && !b.startsWith('-')) expect(key(a) < key(b)).toBe(true);
        expect(a).not.toBe(b);
      }),
      { numRuns: 500 },
    );
  });
});

describe('DATE', () => {
  it.each([
    [0n, '1970-01-01'],
    [-1n, '1969-12-31'],
    [-MICROS_PER_DAY, '1969-12-31'],
    [-MICROS_PER_DAY - 1n, '1969-12-30'],
    [1_700_000_000_000_000n, '2023-11-14'],
    [11_016n * MICROS_PER_DAY, '2000-02-29'],
    [-141_427n * MICROS_PER_DAY, '1582-10-15'],
    [2_932_897n * MICROS_PER_DAY, '+10000-01-01'],
    [-719_529n * MICROS_PER_DAY, '-000001-12-31'],
    [INT64_MAX, '+294247-01-10'],
    [INT64_MIN, '-290308-12-21'],
  ])('%p µs is %s', (micros, text) => {
    expect(date(micros)).toBe(text);
  });

  it('agrees with Date for every day Date can hold (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000_000, max: 100_000_000 }), fc.bigInt({ min: 0n, max: MICROS_PER_DAY - 1n }), (day, within) => {
        expect(date(BigInt(day) * MICROS_PER_DAY + within)).toBe(expectedFromDate(day * 86_400_000, 0).slice(0, -17));
      }),
      { numRuns: 2000 },
    );
  });

  it('a run of rows on the same and different days', () => {
    const values = [0n, 1n, MICROS_PER_DAY, MICROS_PER_DAY + 5n, -1n, null];
    const bytes = encodeChunk({ vectors: [{ type: 'DATE', values }] });
    expect(decodeChunk(bytes).rows.map((r) => r[0])).toEqual(['1970-01-01', '1970-01-01', '1970-01-02', '1970-01-02', '1969-12-31', null]);
  });
});

describe('TIMESTAMP_TZ', () => {
  const instant = 1_704_164_400_000_000n; // 2024-01-02T03:00:00Z

  it.each([
    ['+05:30', '2024-01-02T08:30:00.000000+05:30'],
    ['-08:00', '2024-01-01T19:00:00.000000-08:00'],
    ['+0530', '2024-01-02T08:30:00.000000+05:30'],
    ['+05', '2024-01-02T08:00:00.000000+05:00'],
    ['-3', '2024-01-02T00:00:00.000000-03:00'],
    ['+05:30:15', '2024-01-02T08:30:15.000000+05:30:15'],
    ['UTC+01:00', '2024-01-02T04:00:00.000000+01:00'],
    ['GMT-02:30', '2024-01-02T00:30:00.000000-02:30'],
    ['+14:00', '2024-01-02T17:00:00.000000+14:00'],
    ['Z', '2024-01-02T03:00:00.000000+00:00'],
    ['UTC', '2024-01-02T03:00:00.000000+00:00'],
    ['GMT', '2024-01-02T03:00:00.000000+00:00'],
    ['', '2024-01-02T03:00:00.000000+00:00'],
    ['Asia/Kolkata', '2024-01-02T08:30:00.000000+05:30'],
    ['America/New_York', '2024-01-01T22:00:00.000000-05:00'],
    ['Europe/London', '2024-01-02T03:00:00.000000+00:00'],
    ['Australia/Lord_Howe', '2024-01-02T14:00:00.000000+11:00'],
  ])('zone %p', (zone, text) => {
    expect(zoned(instant, zone)).toBe(text);
  });

  it('a region id resolves the offset in force at each instant (daylight saving)', () => {
    const july = 1_719_835_200_000_000n; // 2024-07-01T12:00:00Z
    expect(zoned(july, 'America/New_York')).toBe('2024-07-01T08:00:00.000000-04:00');
    expect(zoned(july, 'Europe/London')).toBe('2024-07-01T13:00:00.000000+01:00');
    // One microsecond either side of the 2024-03-10 07:00Z spring-forward in New York.
    const change = 1_710_054_000_000_000n;
    expect(zoned(change - 1n, 'America/New_York')).toBe('2024-03-10T01:59:59.999999-05:00');
    expect(zoned(change, 'America/New_York')).toBe('2024-03-10T03:00:00.000000-04:00');
  });

  it.each(['+05:60', '+19:00', '+05:30:61', 'UTC+', 'Mars/Olympus_Mons'])('refuses zone %p', (zone) => {
    let caught: unknown;
    try {
      zoned(instant, zone);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DecodeError);
    expect((caught as DecodeError).code).toBe('BAD_ZONE');
  });

  it('rows on a transition day resolve the offset per instant, sharing it within a minute', () => {
    const afterChange = 1_710_054_000_000_000n + 3_600_000_000n; // 2024-03-10T08:00:00Z
    const bytes = oneColumn({
      size: 3,
      type: VT.TIMESTAMP_TZ,
      data: data(
        D.timeData,
        field(T.LIST, 1, list(T.I64, [i64(afterChange), i64(afterChange + 1_000_000n), i64(afterChange - 7_200_000_000n)])),
        field(T.LIST, 2, list(T.STRING, [str('America/New_York'), str('America/New_York'), str('America/New_York')])),
      ),
    });
    expect(decodeChunk(bytes).rows.map((r) => r[0])).toEqual([
      '2024-03-10T04:00:00.000000-04:00',
      '2024-03-10T04:00:01.000000-04:00',
      '2024-03-10T01:00:00.000000-05:00',
    ]);
  });

  it('a region zone over thousands of distinct days agrees with Intl on every row', () => {
    const days = 6000;
    const micros = Array.from({ length: days }, (_, i) => -1_000_000_000_000_000n + BigInt(i) * 86_400_000_000n * 11n + 43_200_000_000n);
    const rows = decodeChunk(encodeChunk({ vectors: [{ type: 'TIMESTAMP_TZ', values: micros, zones: micros.map(() => 'Europe/Paris') }] })).rows;
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' });
    for (let i = 0; i < days; i += 1) {
      const name = fmt.formatToParts(new Date(Number(micros[i]! / 1000n))).find((p) => p.type === 'timeZoneName')!.value;
      const expected = name === 'GMT' ? '+00:00' : name.slice(3);
      expect((rows[i]![0] as string).endsWith(expected)).toBe(true);
    }
  });

  it('historical local mean time keeps its seconds', () => {
    expect(zoned(-3_786_825_600_000_000n, 'Asia/Kolkata')).toBe('1850-01-01T05:53:28.000000+05:53:28');
  });

  it('a region id outside the range Intl handles uses the offset at its edge', () => {
    expect(zoned(INT64_MAX, 'Asia/Kolkata')).toBe('+294247-01-10T09:30:54.775807+05:30');
  });

  it('rows of one column each use their own zone, before 1970 too', () => {
    const bytes = oneColumn({
      size: 3,
      type: VT.TIMESTAMP_TZ,
      data: data(D.timeData, field(T.LIST, 1, list(T.I64, [i64(-1n), i64(-1n), i64(-1n)])), field(T.LIST, 2, list(T.STRING, [str('+01:00'), str('-01:00'), str('Asia/Tokyo')]))),
    });
    expect(decodeChunk(bytes).rows.map((r) => r[0])).toEqual([
      '1970-01-01T00:59:59.999999+01:00',
      '1969-12-31T22:59:59.999999-01:00',
      '1970-01-01T08:59:59.999999+09:00',
    ]);
  });
});
