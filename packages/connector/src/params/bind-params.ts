// Client-side binding: the values are written into the SQL text as literals
// (see sql-literal.ts), placeholder by placeholder, and only where the text is
// code (see sql-scanner.ts).
import { matchParameters, type QueryParameters } from './match-parameters';
import { parameterSql } from './sql-literal';

/**
 * `sql` with each placeholder replaced by its value as a SQL literal:
 * positional `?` from an array, named `:name` from a plain object (one name
 * may appear many times). An array value becomes a comma-separated list for
 * `IN (?)`. Without parameters and placeholders the SQL comes back unchanged.
 * Throws a ParameterError (a TypeError) naming the parameter, never its value,
 * for a mismatch or a value that cannot be bound.
 */
export function bindParameters(sql: string, params: QueryParameters | undefined): string {
  const matched = matchParameters(sql, params);
  if (matched.length === 0) return sql;
  let bound = '';
  let copied = 0;
  for (const { placeholder, parameter, value } of matched) {
    bound += sql.slice(copied, placeholder.start) + parameterSql(value, parameter);
    copied = placeholder.end;
  }
  return bound + sql.slice(copied);
}
