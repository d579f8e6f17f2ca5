// Which catalog and schema a query runs in, from whatever names a client sends.
import { duckdb, resolveScope, scopeSetupSql, searchPath, MAIN_SCHEMA, type CatalogLayout } from '@e6data-ts/mock-engine/internal';

const layout: CatalogLayout = {
  defaultCatalog: 'e6data',
  catalogs: new Map([
    ['e6data', ['analytics', 'finance', 'main', 'sales', 'Mixed Case']],
    ['other', ['main', 'sales']],
  ]),
};

describe('resolveScope', () => {
  test.each([
    ['empty names', '', '', { catalog: 'e6data', schema: null }, false],
    ['a known schema', '', 'sales', { catalog: 'e6data', schema: 'sales' }, false],
    ['a schema in another case', '', 'SALES', { catalog: 'e6data', schema: 'sales' }, false],
    ['an unknown schema', '', 'nope', { catalog: 'e6data', schema: null }, true],
    ['an unknown catalog', 'test_catalog', 'finance', { catalog: 'e6data', schema: 'finance' }, true],
    ['another known catalog', 'OTHER', 'sales', { catalog: 'other', schema: 'sales' }, false],
    ['a schema the named catalog lacks', 'other', 'finance', { catalog: 'other', schema: null }, true],
    ['names with blanks around them', ' e6data ', ' sales ', { catalog: 'e6data', schema: 'sales' }, false],
    ['an exact match over a case-insensitive one', '', 'Mixed Case', { catalog: 'e6data', schema: 'Mixed Case' }, false],
  ])('%s', (_label, catalog, schema, expected, missed) => {
    expect(resolveScope(layout, catalog, schema)).toEqual({ scope: expected, missed });
  });
});

describe('searchPath and scopeSetupSql', () => {
  test('the named schema comes first and main is always there', () => {
    expect(searchPath({ catalog: 'e6data', schema: 'sales' })).toEqual(['"e6data"."sales"', '"e6data"."main"']);
    expect(searchPath({ catalog: 'e6data', schema: null })).toEqual(['"e6data"."main"']);
    expect(searchPath({ catalog: 'e6data', schema: MAIN_SCHEMA })).toEqual(['"e6data"."main"']);
  });

  test('quotes odd names so they cannot break out of the statement', () => {
    expect(scopeSetupSql({ catalog: 'e6data', schema: "it's" })).toBe(`USE "e6data"."it's"; SET search_path = '"e6data"."it''s","e6data"."main"'`);
  });

  test('really puts a DuckDB connection into the scope', async () => {
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(`ATTACH ':memory:' AS e6data; USE e6data; CREATE SCHEMA "Odd, sch.ema"; CREATE TABLE "Odd, sch.ema".t AS SELECT 7 AS x; CREATE TABLE main.m AS SELECT 1 AS y`);
      await connection.run('USE memory');
      await connection.run(scopeSetupSql({ catalog: 'e6data', schema: 'Odd, sch.ema' }));
      expect((await connection.runAndReadAll('SELECT x, y FROM t, m')).getRows()).toEqual([[7, 1]]);
      await connection.run('CREATE TABLE created_here AS SELECT 1 AS z');
      expect((await connection.runAndReadAll(`SELECT schema_name FROM duckdb_tables() WHERE table_name = 'created_here'`)).getRows()).toEqual([['Odd, sch.ema']]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
