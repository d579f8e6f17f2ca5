// Bound strings that try to break out of their literal (quotes, backslashes,
// comment markers, placeholders) or that stress the encoding (unicode beyond
// the BMP, NUL) come back from the engine exactly as sent, whether the
// connector binds them into the SQL text or sends them as parameters.
import { ParameterError, type Connection } from '@e6data-ts/connector';
import { useConnectorCluster } from '../../support/connector-fixture';
import { rejectionOf } from '../../support/expected-error';

const HOSTILE: readonly string[] = [
  "'",
  "''",
  "it's",
  "'; DROP TABLE mock_table; --",
  "' OR '1'='1",
  '"',
  '"quoted identifier"',
  '\\',
  "\\'",
  "\\''",
  'C:\\path\\to\\file',
  '-- a line comment',
  'x -- y',
  '/* block',
  'end */',
  '/* whole */',
  '?',
  '? ? ?',
  ':name',
  '$1',
  '%s',
  '${x}',
  '\n',
  'two\nlines\r\nand\ttab',
  '',
  ' ',
  'héllo naïve',
  '中文字符',
  'emoji 😀 and 👩‍👩‍👧 and 🏳️‍🌈',
  '\u{10FFFF}',
  'zero\u200Bwidth',
  'nul\u0000inside',
  '\u0000',
  'E\'escape\'',
  '$$dollar$$',
  'x'.repeat(10_000),
];

describe.each(['client', 'server'] as const)("hostile parameter strings, parameters: '%s'", (mode) => {
  const harness = useConnectorCluster({}, { per: 'all' });
  let connection: Connection;

  beforeEach(async () => {
    connection = await harness().connect({ parameters: mode });
  });

  test.each(HOSTILE.map((value, i) => [i, value] as const))('positional #%i comes back exactly', async (_, value) => {
    // strlen counts UTF-8 bytes on the engine: the same bytes arrived, not just a string that decodes alike.
    const { rows } = await connection.query('SELECT ? AS v, strlen(?) AS n', [value, value]);
    expect(rows).toEqual([[value, BigInt(Buffer.byteLength(value, 'utf8'))]]);
  });

  test('all of them at once, named, next to literals and comments that look like placeholders', async () => {
    const names = HOSTILE.map((_, i) => `p${i}`);
    const params = Object.fromEntries(HOSTILE.map((value, i) => [`p${i}`, value]));
    const sql = `SELECT '?' AS literal, /* :p0 ? */ ${names.map((name) => `:${name}`).join(', ')} -- :p1 ?\n`;
    const { rows } = await connection.query(sql, params);
    expect(rows).toEqual([['?', ...HOSTILE]]);
  });

  test('a hostile string in a WHERE clause matches only itself, and the table is still there', async () => {
    const { rows } = await connection.query('SELECT COUNT(*) FROM mock_table WHERE col_varchar = ?', ["'; DROP TABLE mock_table; --"]);
    expect(rows).toEqual([[0n]]);
    const quoted = await connection.query('SELECT id FROM mock_table WHERE col_varchar = ? ORDER BY id LIMIT 1', ['it\'s "quoted", comma']);
    expect(quoted.rows).toEqual([[24n]]);
    const emoji = await connection.query('SELECT id FROM mock_table WHERE col_varchar = :v ORDER BY id LIMIT 1', { v: 'héllo ✓ naïve 😀' });
    expect(emoji.rows).toEqual([[23n]]);
    expect((await connection.query('SELECT COUNT(*) FROM mock_table')).rows).toEqual([[10_000n]]);
  });

  test('other value types round-trip too', async () => {
    const { rows } = await connection.query('SELECT ?, ?, ?, ?, ?, ?', [-9_223_372_036_854_775_808n, 9_007_199_254_740_993n, -0.5, true, null, -42]);
    expect(rows).toHaveLength(1);
    const [row] = rows as [unknown[]];
    expect(row.slice(0, 5)).toEqual([-9_223_372_036_854_775_808n, 9_007_199_254_740_993n, -0.5, true, null]);
    // A JS number binds as an integer literal or parameter; the engine picks its width.
    expect(BigInt(row[5] as number | bigint)).toBe(-42n);
  });

  test('bytes: bound as a blob literal client-side; server-side the engine has no binary parameter, so a ParameterError before anything is sent', async () => {
    const bytes = Buffer.from([0, 0x27, 0x5c, 0xff]);
    if (mode === 'client') {
      expect((await connection.query('SELECT ?', [bytes])).rows).toEqual([[bytes]]);
      return;
    }
    const { cluster } = harness();
    const before = cluster.callLog.count('prepareStatementV2');
    const err = await rejectionOf(connection.query('SELECT ?', [bytes]), ParameterError);
    expect(err).toMatchObject({ parameter: 1, code: 'INVALID_PARAMETER', stage: 'not-sent' });
    expect(cluster.callLog.count('prepareStatementV2')).toBe(before);
  });
});
