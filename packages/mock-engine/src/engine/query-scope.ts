// Which catalog and schema a query runs in, from the names a client sent.
//
// Clients send whatever catalog/schema their user configured, often names this
// engine has never heard of. The rule: a name that exists (matched exactly,
// else case-insensitively) is used; an unknown or empty catalog means the
// default catalog; an unknown or empty schema means none. The search path is
// then the named schema followed by the catalog's `main`, so unqualified names
// resolve in the named schema first and `mock_table` (in main) always resolves.
import { sqlIdent, sqlString } from '../dataset/sql-values';

export interface CatalogLayout {
  readonly defaultCatalog: string;
  /** Catalog name -> its schema names, as DuckDB spells them. */
  readonly catalogs: ReadonlyMap<string, readonly string[]>;
}

export interface QueryScope {
  readonly catalog: string;
  /** Null: no schema was named or it does not exist; only `main` is searched. */
  readonly schema: string | null;
}

export interface ScopeLookup {
  readonly scope: QueryScope;
  /** True when a non-empty name was not found: the layout may be stale. */
  readonly missed: boolean;
}

/** The catalog's fallback schema: always on the search path. */
export const MAIN_SCHEMA = 'main';

function findName(names: Iterable<string>, wanted: string): string | undefined {
  const list = [...names];
  return list.find((name) => name === wanted) ?? list.find((name) => name.toLowerCase() === wanted.toLowerCase());
}

export function resolveScope(layout: CatalogLayout, catalog: string, schema: string): ScopeLookup {
  const requestedCatalog = catalog.trim();
  const requestedSchema = schema.trim();
  const foundCatalog = requestedCatalog === '' ? undefined : findName(layout.catalogs.keys(), requestedCatalog);
  const catalogName = foundCatalog ?? layout.defaultCatalog;
  const schemas = layout.catalogs.get(catalogName) ?? [];
  const foundSchema = requestedSchema === '' ? undefined : findName(schemas, requestedSchema);
  return {
    scope: { catalog: catalogName, schema: foundSchema ?? null },
    missed: (requestedCatalog !== '' && foundCatalog === undefined) || (requestedSchema !== '' && foundSchema === undefined),
  };
}

/** The search path entries of a scope, most specific first. */
export function searchPath(scope: QueryScope): string[] {
  const main = `${sqlIdent(scope.catalog)}.${sqlIdent(MAIN_SCHEMA)}`;
  if (scope.schema === null || scope.schema === MAIN_SCHEMA) return [main];
  return [`${sqlIdent(scope.catalog)}.${sqlIdent(scope.schema)}`, main];
}

/**
 * Statements that put a fresh connection into `scope`: USE sets where
 * unqualified CREATEs land, the search path where unqualified names resolve.
 */
export function scopeSetupSql(scope: QueryScope): string {
  const path = searchPath(scope);
  return `USE ${path[0] ?? ''}; SET search_path = ${sqlString(path.join(','))}`;
}
