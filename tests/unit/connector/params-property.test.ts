// Property: whatever values are bound client-side, the SQL that results reads
// back as the same values in DuckDB (the mock engine's database), and the `?`
// and `:name` look-alikes in literals, quoted identifiers and comments around
// the placeholders stay as they were. The same for server-side parameters,
// bound by the mock engine's own binding.
import fc from 'fast-check';
import { bindParameters, toServerParams, type QueryParameters } from '@e6data-ts/connector';
import { bindParameters as engineBind, duckdb } from '@e6data-ts/mock-engine/internal';

/** A value to bind, and a check that what DuckDB returned for it is the same value. */
interface Sample {
  readonly value: unknown;
  readonly sameAs: (returned: unknown) => boolean;
}

// Units chosen to break a careless binder: quotes, backslashes, comment and
// placeholder look-alikes, dollar quotes, NUL, newlines, astral characters.
const TRICKY = ["'", "''", '"', '\\', "\\'", '--', '/*', '*/', '?', ':a', '::', '$$', '$t$', '\u0000', '\n', '😀', 'é', '𝄞', ';'];
const trickyString = fc.string({ unit: fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 });

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const sample: fc.Arbitrary<Sample> = fc.oneof(
  trickyString.map((value) => ({ value, sameAs: (r: unknown) => r === value })),
  fc.oneof(fc.integer(), fc.maxSafeInteger()).map((value) => ({ value, sameAs: (r: unknown) => (typeof r === 'bigint' ? r === BigInt(value) : r === value) })),
  fc.double().map((value) => ({ value, sameAs: (r: unknown) => Object.is(r, value) || (Number.isSafeInteger(value) && !Object.is(value, -0) && Number(r) === value) })),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }).map((value) => ({ value, sameAs: (r: unknown) => r === value || (typeof r === 'number' && BigInt(r) === value) })),
  fc.boolean().map((value) => ({ value, sameAs: (r: unknown) => r === value })),
  fc.constant({ value: null, sameAs: (r: unknown) => r === null }),
  fc.date({ noInvalidDate: true }).map((value) => ({
    value,
    sameAs: (r: unknown) => r instanceof duckdb.DuckDBTimestampValue && r.micros === BigInt(value.getTime()) * 1000n,
  })),
  fc.uint8Array({ maxLength: 16 }).map((bytes) => ({
    value: Buffer.from(bytes),
    sameAs: (r: unknown) => r instanceof duckdb.DuckDBBlobValue && Buffer.from(r.bytes).equals(Buffer.from(bytes)),
  })),
);

/** Text safe inside a comment of the given kind (no way out of it), still full of look-alikes. */
const commentText = (kind: 'line' | 'block'): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom('?', ':a', "'", '"', '--', '$$', ' ', 'x', kind === 'line' ? '/*' : '\n'), maxLength: 8 });

/** One column of the SELECT list: a placeholder for a value, or a literal that holds look-alikes. */
type Column = { kind: 'value'; sample: Sample } | { kind: 'literal'; text: string };

const column: fc.Arbitrary<Column> = fc.oneof(
  { weight: 3, arbitrary: sample.map((s): Column => ({ kind: 'value', sample: s })) },
  { weight: 1, arbitrary: trickyString.filter((t) => !t.includes('\u0000')).map((text): Column => ({ kind: 'literal', text })) },
);

const separator: fc.Arbitrary<string> = fc.oneof(
  fc.constant(', '),
  fc.tuple(commentText('block'), commentText('block')).map(([c, d]) => ` /* ${c} /* ${d} */ ${c} */, `),
  commentText('line').map((c) => ` -- ${c}\n, `),
);

describe('bound values read back from DuckDB', () => {
  let instance: duckdb.DuckDBInstance;
  let connection: duckdb.DuckDBConnection;

  beforeAll(async () => {
    instance = await duckdb.DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });

  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  test('values, literals, quoted aliases and comments around ? placeholders', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(column, separator), { minLength: 1, maxLength: 6 }), async (parts) => {
        let sql = 'SELECT ';
        const values: unknown[] = [];
        parts.forEach(([col, sep], index) => {
          // Quoted aliases hold look-alikes too, and must come back as written.
          const alias = `"c${index} ? :a ""q"""`;
          if (col.kind === 'value') values.push(col.sample.value);
          sql += `${col.kind === 'value' ? '?' : `'${col.text.replaceAll("'", "''")}'`} AS ${alias}${index < parts.length - 1 ? sep : ''}`;
        });
        const result = await connection.runAndReadAll(bindParameters(sql, values));
        const row = result.getRows()[0] ?? [];
        expect(result.columnNames()).toEqual(parts.map((_, index) => `c${index} ? :a "q"`));
        parts.forEach(([col], index) => {
          const returned = row[index];
          if (col.kind === 'literal') {
            expect(returned).toBe(col.text);
          } else if (!col.sample.sameAs(returned)) {
            throw new Error(`column ${index}: bound ${String(col.sample.value)} but DuckDB returned ${String(returned)}`);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  test('an IN list of random values matches exactly its own elements', async () => {
    // Strings with strings, integers with integers: DuckDB would cast across types.
    const strings = fc.tuple(fc.uniqueArray(trickyString, { minLength: 1, maxLength: 5 }), trickyString);
    const int64 = fc.bigInt({ min: INT64_MIN, max: INT64_MAX });
    const integers = fc.tuple(fc.uniqueArray(int64, { minLength: 1, maxLength: 5 }), int64);
    await fc.assert(
      fc.asyncProperty(fc.oneof(strings, integers), async ([list, probe]: [readonly unknown[], unknown]) => {
        const result = await connection.runAndReadAll(bindParameters('SELECT ? IN (?), ? IN (?)', [list[0], list, probe, list]));
        expect(result.getRows()[0]).toEqual([true, list.includes(probe)]);
      }),
      { numRuns: 150 },
    );
  });

  test('named placeholders bind like the positional ones they stand for', () => {
    fc.assert(
      fc.property(sample, sample, ({ value: a }, { value: b }) => {
        expect(bindParameters("SELECT :a, ':b', :b /* :a */, :a::VARCHAR", { b, a })).toBe(bindParameters("SELECT ?, ':b', ? /* :a */, ?::VARCHAR", [a, b, a]));
      }),
    );
  });

  test.each<[string, string, unknown[], (r: unknown) => boolean]>([
    ['NaN', 'SELECT ?', [Number.NaN], (r) => Number.isNaN(r)],
    ['-0 keeps its sign', 'SELECT ?', [-0], (r) => Object.is(r, -0)],
    ['Infinity', 'SELECT ?', [Infinity], (r) => r === Infinity],
    ['-Infinity after a minus', 'SELECT -?', [-Infinity], (r) => r === Infinity],
    ['string with NUL, concatenated', 'SELECT ? || ?', ['\u0000a', "'\u0000"], (r) => r === "\u0000a'\u0000"],
    ['backslashes are literal', 'SELECT ?', ['C:\\new\\table'], (r) => r === 'C:\\new\\table'],
    ['E-string before a placeholder', "SELECT E'\\'?' || ?", ['x'], (r) => r === "'?x"],
    ['negative after minus', 'SELECT 10-?', [-5], (r) => r === 15],
    ['fraction stays a double', 'SELECT typeof(?)', [0.1], (r) => r === 'DOUBLE'],
    ['bigint past 64 bits', 'SELECT ?', [-(2n ** 100n)], (r) => r === -(2n ** 100n)],
    ['Date on a leap day before year 0', 'SELECT ?', [new Date('-000400-02-29T12:00:00.001Z')], (r) => r instanceof duckdb.DuckDBTimestampValue && r.micros === BigInt(Date.UTC(-400, 1, 29, 12, 0, 0, 1)) * 1000n],
  ])('%s', async (_name, sql, values, check) => {
    const returned = (await connection.runAndReadAll(bindParameters(sql, values))).getRows()[0]?.[0];
    expect(check(returned)).toBe(true);
  });

  describe('server-side parameters, through the engine binding', () => {
    async function roundTrip(sql: string, params: QueryParameters): Promise<unknown[]> {
      const server = toServerParams(sql, params);
      const prepared = await connection.prepare(server.sql);
      engineBind(prepared, server.params);
      return (await prepared.runAndReadAll()).getRows()[0] ?? [];
    }

    const text = fc.string({ unit: fc.oneof(fc.constantFrom("'", '"', '\\', '?', ':a', '--', '\u0000', '😀'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 10 });

    test('random values', async () => {
      const value = fc.oneof(
        text,
        fc.integer(),
        fc.maxSafeInteger(),
        fc.double(),
        fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }),
        fc.boolean(),
        fc.constant(null),
        fc.date({ noInvalidDate: true, min: new Date('-200000-01-01T00:00:00Z'), max: new Date('+200000-01-01T00:00:00Z') }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 5 }), async (values) => {
          const sql = `SELECT ${values.map((_, i) => `:v${i}`).join(', ')}`;
          const row = await roundTrip(sql, Object.fromEntries(values.map((v, i) => [`v${i}`, v])));
          values.forEach((v, i) => {
            const r = row[i];
            if (v instanceof Date) {
              expect(r).toBeInstanceOf(duckdb.DuckDBTimestampValue);
              expect((r as duckdb.DuckDBTimestampValue).micros).toBe(BigInt(v.getTime()) * 1000n);
            } else if (typeof v === 'bigint' && r instanceof duckdb.DuckDBDecimalValue) {
              expect(r.value).toBe(v);
            } else if (typeof v === 'number' && typeof r === 'bigint') {
              expect(r).toBe(BigInt(v));
            } else {
              expect(r).toEqual(v);
            }
          });
        }),
        { numRuns: 200 },
      );
    });

    test('an IN list', async () => {
      expect(await roundTrip('SELECT 3 IN (:xs), 4 IN (:xs)', { xs: [1, 2, 3] })).toEqual([true, false]);
    });
  });
});
