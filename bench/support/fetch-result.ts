// Run by the connector bench in a child process, so each way of reading has
// its own heap and its own peak RSS: connects to the cluster at argv[3]:argv[4],
// reads `SQL` through the way named by argv[2] (rows | batches | arrow), and
// prints one JSON line with the row count, the time and the RSS.
import { connect } from '@e6data-ts/connector';

const SQL = process.env.E6_BENCH_SQL ?? 'SELECT 1';
const [mode, host, port] = process.argv.slice(2);

async function main(): Promise<void> {
  const connection = await connect({ host: host!, port: Number(port), username: 'admin@e6data.local', password: 'e6-mock-token' });
  global.gc?.();
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  const cursor = connection.cursor();
  const started = process.hrtime.bigint();
  await cursor.execute(SQL);
  let rows = 0;
  if (mode === 'rows') {
    for await (const row of cursor) if (row.length > 0) rows++;
  } else if (mode === 'batches') {
    for await (const batch of cursor.batches()) rows += batch.rowCount;
  } else if (mode === 'arrow') {
    for await (const batch of cursor.arrowBatches()) rows += batch.numRows;
  } else {
    throw new Error(`unknown mode ${mode ?? '(none)'}: rows, batches or arrow`);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await cursor.close();
  await connection.close();
  console.log(JSON.stringify({ mode, rows, ms, baseRss, peakRss }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
