// A client application in its own process, for the e2e tier: it connects
// through the connector and prints one JSON line per fact (results, errors,
// memory samples), so a test can run several independent clients against one
// cluster and measure a client's memory without the jest worker's noise.
//
//   node --import tsx tests/e2e/support/connector-client.ts <mode>
//
// The connect options come as JSON in E6_CLIENT_OPTIONS (never on the command
// line, where a token would show in the process list). Modes:
// - `rows`: reads E6_CLIENT_SQL's result through `for await`, then through
//   stream(), sampling the RSS every 50 ms; prints each pass and the peak
//   growth over the RSS measured after connect.
// - `commands`: reads JSON commands from stdin, one a line, and answers each:
//   `{ "op": "query", "id": "q1", "sql": "..." }`, `{ "op": "stats" }`,
//   `{ "op": "close" }` (closes the connection, prints the leak check, exits).
// Both end with a `leaks` line and exit 0; a failure prints a `fatal` line and exits 1.
import { createInterface } from 'node:readline';
import { connect, E6DataError, type Connection, type ConnectOptions } from '@e6data-ts/connector';

/** One line the client prints. */
export type ClientLine =
  | { event: 'connected'; pid: number; strategy: string | null; ms: number }
  | { event: 'pass'; via: 'for-await' | 'stream'; rows: number; checksum: number; ms: number }
  | { event: 'rss'; baselineMb: number; peakMb: number; growthMb: number; samples: number }
  | { event: 'result'; id: string; rows: number; firstRow: unknown[] | null; strategy: string; retries: number; moved: boolean; ms: number }
  | { event: 'error'; id: string; name: string; code: string | null; message: string }
  | { event: 'stats'; stats: ReturnType<Connection['stats']> }
  | { event: 'leaks'; queries: { blue: number; green: number }; closed: boolean; detections: number }
  | { event: 'fatal'; message: string };

const MB = 1024 * 1024;

function print(line: ClientLine): void {
  process.stdout.write(`${JSON.stringify(line, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`);
}

function readOptions(): ConnectOptions {
  const text = process.env.E6_CLIENT_OPTIONS;
  if (text === undefined) throw new Error('E6_CLIENT_OPTIONS is not set (JSON connect options)');
  return JSON.parse(text) as ConnectOptions;
}

/** Adds the numeric first column and the string length of the second, so a pass proves it saw every row. */
function checksumOf(row: unknown[]): number {
  const first = row[0];
  const second = row[1];
  return Number(first) + (typeof second === 'string' ? second.length : 0);
}

async function rowsMode(connection: Connection): Promise<void> {
  const sql = process.env.E6_CLIENT_SQL;
  if (sql === undefined) throw new Error('E6_CLIENT_SQL is not set');
  // The baseline is taken after connect and a first query, so the connector's
  // code, the channel and the decoder are loaded before the growth is counted.
  await connection.query('SELECT 1');
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let samples = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    samples += 1;
  }, 50);
  try {
    let started = Date.now();
    let rows = 0;
    let checksum = 0;
    const iterated = connection.cursor();
    await iterated.execute(sql);
    for await (const row of iterated) {
      rows += 1;
      checksum += checksumOf(row);
    }
    await iterated.close();
    print({ event: 'pass', via: 'for-await', rows, checksum, ms: Date.now() - started });

    started = Date.now();
    rows = 0;
    checksum = 0;
    const streamed = connection.cursor();
    await streamed.execute(sql);
    for await (const row of streamed.stream()) {
      rows += 1;
      checksum += checksumOf(row as unknown[]);
    }
    await streamed.close();
    print({ event: 'pass', via: 'stream', rows, checksum, ms: Date.now() - started });
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  print({ event: 'rss', baselineMb: round(baseline / MB), peakMb: round(peak / MB), growthMb: round((peak - baseline) / MB), samples });
}

interface Command {
  op: 'query' | 'stats' | 'close';
  id?: string;
  sql?: string;
}

async function commandsMode(connection: Connection): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const text of lines) {
    if (text.trim() === '') continue;
    const command = JSON.parse(text) as Command;
    if (command.op === 'close') break;
    if (command.op === 'stats') {
      print({ event: 'stats', stats: connection.stats() });
      continue;
    }
    const id = command.id ?? '';
    const started = Date.now();
    try {
      const result = await connection.query(command.sql ?? '');
      const { strategy, retries, moved } = result.trace;
      print({ event: 'result', id, rows: result.rowCount, firstRow: result.rows[0] ?? null, strategy, retries, moved, ms: Date.now() - started });
    } catch (err) {
      const error = err as Error;
      print({ event: 'error', id, name: error.name, code: err instanceof E6DataError ? err.code : null, message: error.message });
    }
  }
  lines.close();
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode !== 'rows' && mode !== 'commands') throw new Error(`unknown mode ${JSON.stringify(mode)}; use rows or commands`);
  const started = Date.now();
  const connection = await connect(readOptions());
  print({ event: 'connected', pid: process.pid, strategy: connection.strategyStore.snapshot().active, ms: Date.now() - started });
  try {
    if (mode === 'rows') await rowsMode(connection);
    else await commandsMode(connection);
  } finally {
    await connection.close();
    print({ event: 'leaks', queries: { ...connection.strategyStore.snapshot().queries }, closed: connection.isClosed, detections: connection.stats().detections });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    print({ event: 'fatal', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    process.exit(1);
  },
);
