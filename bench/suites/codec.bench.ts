// Result codec throughput: decode and encode of a 100,000-row x 5-column
// batch (LONG, STRING with nulls, DOUBLE, INTEGER, BOOLEAN), of a batch of
// temporal and decimal columns (clustered in time, as tables are, and
// scattered over two centuries and many zones, the worst case for the
// decoders' caches), and decoding a 50-column result metadata. For scale: the
// reference Python client's C-accelerated decoder does about 3.8 M cells/s on
// the 5-column shape.
import {
  decodeChunk,
  decodeResultMetadata,
  encodeChunk,
  encodeResultMetadata,
  type EncodeChunkInput,
  type ResultMetadata,
} from '@e6data-ts/grpc-transport';
import { consume, measureSync, printTable, type BenchResult, type BenchSuite } from '../harness';

const ROWS = 100_000;
const COLUMNS = 5;

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

/**
 * Times `rounds` calls one by one, keeping each result alive until the next
 * call returns (as a caller holding a batch's rows does), so collection of
 * the previous batch is part of the figure. Reports the median round, with
 * the best round alongside.
 */
function timeRounds(name: string, cells: number, fn: () => unknown, rounds: number): BenchResult {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    consume(fn());
    times.push(Number(process.hrtime.bigint() - start));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(rounds / 2)]!;
  const best = times[0]!;
  return {
    name,
    iterations: rounds,
    nsPerOp: median,
    opsPerSec: 1e9 / median,
    extra: {
      'M cells/s': ((cells / median) * 1e3).toFixed(1),
      'best M cells/s': ((cells / best) * 1e3).toFixed(1),
    },
  };
}

const suite: BenchSuite = {
  title: 'Result codec (WIRE.md 6)',
  run() {
    const input = benchChunkInput();
    const bytes = encodeChunk(input);
    const cells = ROWS * COLUMNS;
    // Warm both directions first so the JIT has settled before timing.
    for (let i = 0; i < 15; i++) {
      consume(decodeChunk(bytes));
      consume(encodeChunk(input));
    }
    const temporal = temporalChunkInput();
    const temporalBytes = encodeChunk(temporal);
    const scattered = scatteredTemporalInput();
    const scatteredBytes = encodeChunk(scattered);
    for (let i = 0; i < 10; i++) {
      consume(decodeChunk(temporalBytes));
      consume(decodeChunk(scatteredBytes));
    }
    const meta50 = metadata50();
    const meta = encodeResultMetadata(meta50);
    const results: BenchResult[] = [
      timeRounds(`decodeChunk ${ROWS} x ${COLUMNS} (${(bytes.length / 1e6).toFixed(2)} MB)`, cells, () => decodeChunk(bytes), 40),
      timeRounds(`decodeChunk ${ROWS} x ${COLUMNS}, int64 'string'`, cells, () => decodeChunk(bytes, { int64: 'string' }), 20),
      timeRounds(`encodeChunk ${ROWS} x ${COLUMNS}`, cells, () => encodeChunk(input), 40),
      timeRounds(`decodeChunk ${ROWS} x (DATE, TIMESTAMP, TIMESTAMP_TZ, DECIMAL128)`, ROWS * 4, () => decodeChunk(temporalBytes), 20),
      timeRounds(`encodeChunk ${ROWS} x (DATE, TIMESTAMP, TIMESTAMP_TZ, DECIMAL128)`, ROWS * 4, () => encodeChunk(temporal), 20),
      timeRounds(`decodeChunk ${ROWS} x (same), scattered`, ROWS * 4, () => decodeChunk(scatteredBytes), 10),
      timeRounds(`encodeChunk ${ROWS} x (same), scattered`, ROWS * 4, () => encodeChunk(scattered), 10),
      measureSync('decodeResultMetadata 50 columns', () => decodeResultMetadata(meta), { minMs: 300, warmup: 2_000 }),
      measureSync('encodeResultMetadata 50 columns', () => encodeResultMetadata(meta50), { minMs: 300, warmup: 2_000 }),
    ];
    printTable('codec (median of rounds; results held between rounds)', results);
    return Promise.resolve();
  },
};

export default suite;
