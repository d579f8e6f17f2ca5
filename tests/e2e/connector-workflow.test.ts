// An application's whole day through the connector, against the mock cluster
// in separate processes: connect, browse the catalog, run a report, bind
// parameters, share a pool between concurrent tasks, and read a 1,000,000-row
// result in a client process whose memory stays bounded.
import { connect, createPool } from '@e6data-ts/connector';
import { DATASET_CATALOG, DATASET_SCHEMAS } from '@e6data-ts/mock-engine';
import { useConnectorSuite, within } from './support/connector-e2e';
import { e2eRuntime, START_TIMEOUT_MS, startE2ECluster } from './support/mock-cluster-runtime';

const MILLION = 1_000_000;
const MILLION_SQL = `SELECT i, 'naïve-' || i AS s, i * 0.5 AS d FROM range(${MILLION}) t(i)`;
const RSS_LIMIT_MB = 100;

/** Sum of i plus the length of 'naïve-' || i over 0..n-1: what a reader that saw every row once adds up. */
function millionChecksum(n: number): number {
  let digits = 0;
  for (let width = 1; 10 ** (width - 1) <= n; width++) {
    const low = width === 1 ? 0 : 10 ** (width - 1);
    digits += (Math.min(n, 10 ** width) - low) * width;
  }
  return (n * (n - 1)) / 2 + 6 * n + digits;
}

describe(`application workflow through the connector (mock cluster as ${e2eRuntime() === 'docker' ? 'containers' : 'processes'})`, () => {
  const suite = useConnectorSuite({
    start: () => startE2ECluster({ announceMs: 400, drainMs: 1_000 }),
    startTimeoutMs: START_TIMEOUT_MS,
    title: 'connector workflow scenarios:',
  });

  test('connect, browse schemas, tables and columns, run a report and parameterised queries', async () => {
    await suite.timings.time('browse, report, parameters', async () => {
      const connection = suite.scenario.track(await within(20_000, 'connect', connect(suite.scenario.options({ catalog: DATASET_CATALOG, database: 'sales' }))));

      const schemas = await connection.getSchemaNames();
      expect(schemas).toEqual(expect.arrayContaining([...DATASET_SCHEMAS]));
      const tables = await connection.getTables('sales');
      expect(tables).toEqual(expect.arrayContaining(['customers', 'products', 'orders']));
      const columns = await connection.getColumns('sales', 'orders');
      expect(columns.map((c) => c.name)).toEqual(['order_id', 'customer_id', 'product_id', 'quantity', 'order_ts', 'total_amount', 'status']);
      expect(columns.find((c) => c.name === 'order_id')?.type).toBe('LONG');

      // A report: several queries whose figures must agree with one another.
      const [total, byStatus, top, revenue] = await Promise.all([
        connection.query('SELECT COUNT(*) AS n, SUM(total_amount) AS revenue FROM orders'),
        connection.query('SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status'),
        connection.query(
          `SELECT c.customer_id, c.name, SUM(o.total_amount) AS spent
             FROM orders o JOIN customers c ON c.customer_id = o.customer_id
            GROUP BY c.customer_id, c.name ORDER BY spent DESC, c.customer_id LIMIT 5`,
        ),
        connection.query('SELECT SUM(total_amount) AS revenue FROM orders GROUP BY customer_id'),
      ]);
      expect(total.rows).toHaveLength(1);
      const orderCount = total.rows[0]![0] as bigint;
      expect(orderCount).toBeGreaterThan(0n);
      expect(byStatus.rows.reduce((sum, row) => sum + (row[1] as bigint), 0n)).toBe(orderCount);
      expect(top.rows).toHaveLength(5);
      expect(top.columns.map((c) => c.name)).toEqual(['customer_id', 'name', 'spent']);
      // Revenue is exact decimal text: per-customer sums add up to the total to the cent.
      const cents = (text: unknown): bigint => BigInt(String(text).replace('.', ''));
      expect(revenue.rows.reduce((sum, row) => sum + cents(row[0]), 0n)).toBe(cents(total.rows[0]![1]));
      expect(cents(top.rows[0]![2])).toBe(revenue.rows.map((row) => cents(row[0])).reduce((a, b) => (a > b ? a : b)));

      // Parameters, positional and named, including text that needs quoting.
      const [customerId, name] = top.rows[0]! as [bigint, string];
      const byId = await connection.query('SELECT name FROM customers WHERE customer_id = ?', [customerId]);
      expect(byId.rows).toEqual([[name]]);
      const byName = await connection.query('SELECT customer_id FROM customers WHERE name = :name', { name });
      expect(byName.rows.map((row) => row[0])).toContain(customerId);
      const awkward = "naïve O'Brien; -- not a comment ? :nor_a_name";
      const echo = await connection.query('SELECT :text AS text, :n AS n', { text: awkward, n: 42 });
      expect(echo.rows).toEqual([[awkward, 42]]);
      const inList = await connection.query('SELECT COUNT(*) FROM orders WHERE status IN (?)', [byStatus.rows.map((row) => row[0])]);
      expect(inList.rows).toEqual([[orderCount]]);

      await suite.scenario.expectNoLeaks();
    });
  }, 60_000);

  test('a pool shared by 16 concurrent tasks', async () => {
    await suite.timings.time('pool shared by 16 tasks', async () => {
      const pool = suite.scenario.track(createPool({ ...suite.scenario.options({ catalog: DATASET_CATALOG, database: 'sales' }), max: 4, acquireTimeoutMs: 20_000 }));
      let peakBorrowed = 0;
      const task = async (n: number): Promise<bigint[]> =>
        pool.withConnection(async (connection) => {
          peakBorrowed = Math.max(peakBorrowed, pool.stats().borrowed);
          const counts: bigint[] = [];
          for (let i = 0; i < 3; i++) {
            const { rows } = await connection.query('SELECT COUNT(*) FROM orders WHERE order_id % 16 = ?', [n]);
            counts.push(rows[0]![0] as bigint);
          }
          return counts;
        });
      const results = await within(45_000, '16 pooled tasks', Promise.all(Array.from({ length: 16 }, (_, n) => task(n))));
      // Each task saw the same answer three times, and the 16 residues cover every order once.
      for (const counts of results) expect(new Set(counts).size).toBe(1);
      const { rows } = await pool.query('SELECT COUNT(*) FROM orders');
      expect(results.reduce((sum, counts) => sum + counts[0]!, 0n)).toBe(rows[0]![0]);
      const stats = pool.stats();
      expect(stats.size).toBeLessThanOrEqual(4);
      expect(peakBorrowed).toBeGreaterThan(1);
      expect(stats.queries).toBe(16 * 3 + 1);
      await suite.scenario.expectNoLeaks();
    });
  }, 60_000);

  test(`a ${MILLION.toLocaleString('en')}-row result through for await and stream() in a client process grows its RSS by less than ${RSS_LIMIT_MB} MB`, async () => {
    const rss = await suite.timings.time(
      '1,000,000 rows twice (for await, stream) in a client process',
      async () => {
        const client = suite.scenario.client('rows', {}, { E6_CLIENT_SQL: MILLION_SQL });
        const iterated = await client.next('pass', 120_000, (line) => line.via === 'for-await');
        const streamed = await client.next('pass', 120_000, (line) => line.via === 'stream');
        const expected = millionChecksum(MILLION);
        expect(iterated).toMatchObject({ rows: MILLION, checksum: expected });
        expect(streamed).toMatchObject({ rows: MILLION, checksum: expected });
        const memory = await client.next('rss', 10_000);
        // At least one sample per second of reading, so the peak is not a guess.
        expect(memory.samples).toBeGreaterThan((iterated.ms + streamed.ms) / 1_000);
        await suite.scenario.expectNoLeaks();
        return { memory, iterated, streamed };
      },
      ({ memory, iterated, streamed }) =>
        `RSS ${memory.baselineMb} MB after connect, peak ${memory.peakMb} MB, growth ${memory.growthMb} MB; for await ${iterated.ms} ms, stream ${streamed.ms} ms`,
    );
    expect(rss.memory.growthMb).toBeLessThan(RSS_LIMIT_MB);
  }, 240_000);
});
