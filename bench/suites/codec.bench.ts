// Result codec throughput. Shapes of 100,000 rows:
// - friendly: LONG, STRING, DOUBLE, INTEGER, BOOLEAN with small numbers,
//   ASCII text and NULLs in the text column only (the first shape this suite
//   had; every other shape is also reported as a ratio to it);
// - realistic: the same five types as real tables fill them: LONG across the
//   whole int64 range, text with accents, CJK and emoji, NULLs in every
//   column. This is the shape to judge row decoding by: the reference Python
//   client's C-accelerated decoder does about 3 M cells/s on it;
// - wide: 50 columns of the realistic kinds (20,000 rows, the same cell count);
// - temporal and decimal columns, clustered in time as tables are, and
//   scattered over two centuries and many zones (the worst case for the
//   decoders' caches).
// Each is timed through decodeChunk (rows) and decodeChunkColumns (columns),
// plus the encoder and a 50-column result metadata. Machine load is printed
// before and after: on a shared machine, figures taken under load are low.
import { loadavg } from 'node:os';
import {
  decodeChunk,
  decodeChunkColumns,
  decodeResultMetadata,
  encodeChunk,
  encodeResultMetadata,
  type EncodeChunkInput,
  type EncodeVector,
  type ResultMetadata,
} from '@e6data-ts/grpc-transport';
import { consume, measureSync, printTable, type BenchResult, type BenchSuite } from '../harness';

const ROWS = 100_000;
const WIDE_ROWS = 20_000;
const WIDE_COLUMNS = 50;

export function benchChunkInput(rows = ROWS): EncodeChunkInput {
  const ids: bigint[] = [];
  const names: (string | null)[] = [];
  const prices: number[] = [];
  const counts: number[] = [];
  const flags: boolean[] = [];
  for (let i = 0; i < rows; i++) {
    ids.push(BigInt(i) * 7_919n - 50_000n);
    names.push(i % 10 === 3 ? null : `customer-${i % 5000}-${(i * 31) % 977}`);
    prices.push((i % 1000) * 1.25 - 300.5);
    counts.push((i * 17) % 100_000 - 50_000);
    flags.push(i % 3 === 0);
  }
  return {
    rowCount: rows,
    vectors: [
      { type: 'LONG', values: ids },
      { type: 'STRING', values: names },
      { type: 'DOUBLE', values: prices },
      { type: 'INTEGER', values: counts },
      { type: 'BOOLEAN', values: flags },
    ],
  };
}

/** Deterministic uint32s (xorshift32), so every run times the same bytes. */
function randomSource(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Words real text columns hold: ASCII, Latin accents, CJK, Hangul, Cyrillic, Arabic and emoji (some with modifiers). */
const WORDS = [
  'order', 'customer', 'shipped', 'Main St', 'north', 'account', 'pending', 'total', 'invoice', 'Berlin',
  'Zoë', 'Ångström', 'café', 'São Paulo', 'Müller', 'Straße', 'naïve', 'Kraków', 'Øresund', 'jalapeño',
  '東京都', '新宿区', '北京市', '株式会社', '大阪', 'データ', '서울특별시', '한국어', 'Москва', 'القاهرة',
  '🎉', '👍🏽', '🚀 launch', '☕', '✓ done', '€ 12,50', '¥1500', '👨‍👩‍👧', '🇫🇷', '—',
];

/** One realistic column of `kind` (0 LONG .. 4 BOOLEAN), NULL in about one row in `nullEvery`. */
function realisticColumn(kind: number, rows: number, seed: number, nullEvery: number): EncodeVector {
  const next = randomSource(seed);
  const values: unknown[] = [];
  for (let i = 0; i < rows; i++) {
    if (next() % nullEvery === 0) {
      values.push(null);
      continue;
    }
    switch (kind) {
      case 0:
        values.push(BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next())));
        break;
      case 1: {
        const words = 1 + (next() % 4);
        let s = WORDS[next() % WORDS.length]!;
        for (let k = 1; k < words; k++) s += ` ${WORDS[next() % WORDS.length]!}`;
        values.push(s);
        break;
      }
      case 2:
        values.push((next() / 4_294_967_296 - 0.5) * 10 ** (next() % 12));
        break;
      case 3:
        values.push(next() | 0);
        break;
      default:
        values.push((next() & 1) === 1);
    }
  }
  return { type: (['LONG', 'STRING', 'DOUBLE', 'INTEGER', 'BOOLEAN'] as const)[kind]!, values };
}

/** The realistic 5-column shape: LONG full range, non-ASCII STRING, DOUBLE, INTEGER, BOOLEAN, NULLs in every column. */
export function realisticChunkInput(rows = ROWS): EncodeChunkInput {
  const nullEvery = [20, 10, 15, 25, 30];
  return { rowCount: rows, vectors: nullEvery.map((every, kind) => realisticColumn(kind, rows, 1 + kind * 7_919, every)) };
}

/** 50 columns cycling through the realistic kinds, each with its own values. */
function wideChunkInput(rows = WIDE_ROWS): EncodeChunkInput {
  return {
    rowCount: rows,
    vectors: Array.from({ length: WIDE_COLUMNS }, (_, c) => realisticColumn(c % 5, rows, 101 + c * 7_919, 10 + (c % 7) * 5)),
  };
}

/** A second shape: temporal and decimal columns, whose values are formatted text. */
function temporalChunkInput(rows = ROWS): EncodeChunkInput {
  const micros: bigint[] = [];
  const zones: string[] = [];
  const decimals: string[] = [];
  for (let i = 0; i < rows; i++) {
    micros.push(1_600_000_000_000_000n + BigInt(i) * 123_456_789n);
    zones.push(i % 2 === 0 ? '+05:30' : 'Europe/Paris');
    decimals.push(`${(i * 7919) % 1_000_000 - 500_000}.${String(i % 100).padStart(2, '0')}`);
  }
  return {
    rowCount: rows,
    vectors: [
      { type: 'DATE', values: micros },
      { type: 'TIMESTAMP', values: micros },
      { type: 'TIMESTAMP_TZ', values: micros, zones },
      { type: 'DECIMAL128', values: decimals, scale: 2 },
    ],
  };
}

/** The same columns with instants spread over 1900..2100, 24 zones and decimals of 20 to 30 digits. */
function scatteredTemporalInput(rows = ROWS): EncodeChunkInput {
  const zoneIds = [
    '+05:30', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', '-08:00', 'Australia/Lord_Howe', 'UTC', 'America/Sao_Paulo',
    'Asia/Kolkata', 'Europe/London', 'Africa/Casablanca', '+09:45', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Tehran', 'Europe/Moscow',
    'America/Los_Angeles', 'Australia/Sydney', 'Asia/Kathmandu', 'Europe/Berlin', '-03:30', 'America/Santiago', 'Pacific/Auckland', 'Asia/Shanghai',
  ];
  const micros: bigint[] = [];
  const zones: string[] = [];
  const decimals: string[] = [];
  let seed = 1;
  const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  for (let i = 0; i < rows; i++) {
    micros.push(-2_208_988_800_000_000n + BigInt(next()) * 2_937_000n + BigInt(next() % 1_000_000));
    zones.push(zoneIds[next() % zoneIds.length]!);
    decimals.push(`${i % 2 ? '-' : ''}${next()}${String(next()).padStart(10, '0')}.${String(next()).padStart(10, '0')}`);
  }
  return {
    rowCount: rows,
    vectors: [
      { type: 'DATE', values: micros },
      { type: 'TIMESTAMP', values: micros },
      { type: 'TIMESTAMP_TZ', values: micros, zones },
      { type: 'DECIMAL128', values: decimals, scale: 10 },
    ],
  };
}

function metadata50(): ResultMetadata {
  const types = ['LONG', 'STRING', 'DOUBLE', 'INTEGER', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'DECIMAL128', 'TIMESTAMP_TZ', 'BINARY'];
  return {
    rowCount: 1_000_000,
    columns: Array.from({ length: 50 }, (_, i) => ({ name: `column_${i}_name`, type: types[i % types.length]!, zone: 'UTC', format: '' })),
  };
}

interface Timing {
  name: string;
  cells: number;
  /** Round times in ns, sorted ascending. */
  times: number[];
  /** CPU time of this process per round in ns (GC threads included), sorted ascending. */
  cpu: number[];
}

/**
 * Times `rounds` calls one by one, keeping each result alive until the next
 * call returns (as a caller holding a batch's rows does), so collection of
 * the previous batch is part of the figure.
 */
function timeRounds(name: string, cells: number, fn: () => unknown, rounds: number): Timing {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    consume(fn());
    times.push(Number(process.hrtime.bigint() - start));
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) * 1e3);
  }
  const ascending = (a: number, b: number): number => a - b;
  return { name, cells, times: times.sort(ascending), cpu: cpu.sort(ascending) };
}

const middle = (xs: number[]): number => xs[Math.floor(xs.length / 2)]!;
const median = (t: Timing): number => middle(t.times);
const mcells = (cells: number, ns: number): number => (cells / ns) * 1e3;

/**
 * Median, best and range (worst..best) in M cells/s, and the median as a ratio
 * to `baseline`'s; then the median by CPU time, which other processes on a
 * busy machine disturb less than the clock (but which counts GC threads too).
 */
function report(t: Timing, baseline: Timing | undefined): BenchResult {
  const mid = median(t);
  const extra: Record<string, string> = {
    'M cells/s': mcells(t.cells, mid).toFixed(1),
    best: mcells(t.cells, t.times[0]!).toFixed(1),
    range: `${mcells(t.cells, t.times[t.times.length - 1]!).toFixed(1)}..${mcells(t.cells, t.times[0]!).toFixed(1)}`,
  };
  if (baseline !== undefined) extra['vs friendly'] = `${(mcells(t.cells, mid) / mcells(baseline.cells, median(baseline))).toFixed(2)}x`;
  extra['CPU M cells/s'] = mcells(t.cells, middle(t.cpu)).toFixed(1);
  return { name: t.name, iterations: t.times.length, nsPerOp: mid, opsPerSec: 1e9 / mid, extra };
}

function loadLine(when: string): string {
  const [one, five, fifteen] = loadavg().map((x) => x.toFixed(2));
  return `machine load ${when}: ${one!}, ${five!}, ${fifteen!} (1, 5, 15 min)`;
}

/** The numeric columns (LONG, DOUBLE, INTEGER, BOOLEAN) of a realistic input, for the columnar figure that excludes text. */
function numericOnly(input: EncodeChunkInput): EncodeChunkInput {
  return { rowCount: input.rowCount!, vectors: input.vectors.filter((v) => v.type !== 'STRING') };
}

const suite: BenchSuite = {
  title: 'Result codec (docs/wire.md 6)',
  run() {
    console.log(loadLine('before'));
    const friendly = benchChunkInput();
    const realistic = realisticChunkInput();
    const shapes = {
      friendly: encodeChunk(friendly),
      realistic: encodeChunk(realistic),
      numeric: encodeChunk(numericOnly(realistic)),
      wide: encodeChunk(wideChunkInput()),
      temporal: encodeChunk(temporalChunkInput()),
      scattered: encodeChunk(scatteredTemporalInput()),
    };
    // Warm every path first so the JIT has settled before timing.
    for (let i = 0; i < 10; i++) {
      for (const bytes of Object.values(shapes)) {
        consume(decodeChunk(bytes));
        consume(decodeChunkColumns(bytes));
      }
      consume(encodeChunk(friendly));
      consume(decodeChunk(shapes.realistic, { int64: 'string' }));
    }
    const mb = (b: Buffer): string => `${(b.length / 1e6).toFixed(2)} MB`;
    const cells5 = ROWS * 5;
    const rows: Timing[] = [
      timeRounds(`friendly ${ROWS} x 5 (${mb(shapes.friendly)})`, cells5, () => decodeChunk(shapes.friendly), 40),
      timeRounds(`realistic ${ROWS} x 5 (${mb(shapes.realistic)})`, cells5, () => decodeChunk(shapes.realistic), 40),
      timeRounds(`realistic, int64 'string'`, cells5, () => decodeChunk(shapes.realistic, { int64: 'string' }), 20),
      timeRounds(`wide ${WIDE_ROWS} x ${WIDE_COLUMNS} (${mb(shapes.wide)})`, WIDE_ROWS * WIDE_COLUMNS, () => decodeChunk(shapes.wide), 20),
      timeRounds(`${ROWS} x (DATE, TIMESTAMP, TIMESTAMP_TZ, DECIMAL128)`, ROWS * 4, () => decodeChunk(shapes.temporal), 20),
      timeRounds(`${ROWS} x (same), scattered`, ROWS * 4, () => decodeChunk(shapes.scattered), 10),
    ];
    const columns: Timing[] = [
      timeRounds(`friendly ${ROWS} x 5`, cells5, () => decodeChunkColumns(shapes.friendly), 40),
      timeRounds(`realistic ${ROWS} x 5`, cells5, () => decodeChunkColumns(shapes.realistic), 40),
      timeRounds(`realistic, numeric columns only (${ROWS} x 4)`, ROWS * 4, () => decodeChunkColumns(shapes.numeric), 40),
      timeRounds(`wide ${WIDE_ROWS} x ${WIDE_COLUMNS}`, WIDE_ROWS * WIDE_COLUMNS, () => decodeChunkColumns(shapes.wide), 20),
      timeRounds(`${ROWS} x (DATE, TIMESTAMP, TIMESTAMP_TZ, DECIMAL128)`, ROWS * 4, () => decodeChunkColumns(shapes.temporal), 20),
    ];
    const encodes: Timing[] = [
      timeRounds(`encodeChunk friendly ${ROWS} x 5`, cells5, () => encodeChunk(friendly), 20),
      timeRounds(`encodeChunk realistic ${ROWS} x 5`, cells5, () => encodeChunk(realistic), 20),
    ];
    const meta50 = metadata50();
    const meta = encodeResultMetadata(meta50);
    printTable('decodeChunk (rows; median of rounds, results held between rounds)', rows.map((t) => report(t, rows[0])));
    printTable('decodeChunkColumns (typed columns; text columns decoded, temporal and decimal formatted only on access)', columns.map((t) => report(t, columns[0])));
    printTable('encodeChunk', encodes.map((t) => report(t, encodes[0])));
    printTable('result metadata', [
      measureSync('decodeResultMetadata 50 columns', () => decodeResultMetadata(meta), { minMs: 300, warmup: 2_000 }),
      measureSync('encodeResultMetadata 50 columns', () => encodeResultMetadata(meta50), { minMs: 300, warmup: 2_000 }),
    ]);
    console.log(loadLine('after'));
    return Promise.resolve();
  },
};

export default suite;
