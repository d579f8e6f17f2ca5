/** SQL text that is inserted as is (a typed literal such as DATE '2024-01-02'). */
export interface SqlRaw {
  readonly sql: string;
}
export type SqlValue = null | boolean | number | bigint | string | SqlRaw;

/** A double-quoted SQL identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export const sqlDate = (isoDate: string): SqlRaw => ({ sql: `DATE ${sqlString(isoDate)}` });
export const sqlTimestamp = (isoTimestamp: string): SqlRaw => ({ sql: `TIMESTAMP ${sqlString(isoTimestamp)}` });
/** An exact decimal given as plain text, e.g. '-12.50'. */
export const sqlDecimal = (text: string): SqlRaw => {
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`'${text}' is not a plain decimal`);
  return { sql: text };
};

export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`${value} has no SQL literal`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return sqlString(value);
    default:
      return value.sql;
  }
}
