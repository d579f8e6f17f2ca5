// Renders one JavaScript value as SQL literal text, for binding parameters
// into the statement on the client. Every rendering is a self-contained
// operand: negative numbers and concatenations are parenthesized, so no
// neighbour can change their meaning (`5-?` with -1 must not become the
// comment `5--1`).
//
//   string        'text' with ' doubled; backslashes are ordinary characters
//                 (standard strings). A NUL cannot sit inside a literal, so a
//                 string with U+0000 becomes ('a' || chr(0) || 'b'). A string
//                 with a lone UTF-16 surrogate is refused: it has no UTF-8 form
//                 and would reach the engine as U+FFFD, a different value.
//   number        a safe integer as digits; any other finite number as a
//                 DOUBLE literal with an exponent (0.1 -> 0.1e0, not the
//                 DECIMAL 0.1), in the shortest text that reads back as the
//                 same double; -0 -> (-0e0); NaN and ±Infinity ->
//                 CAST('NaN' AS DOUBLE), CAST('Infinity' AS DOUBLE),
//                 CAST('-Infinity' AS DOUBLE), the values the number holds.
//   bigint        digits, any size.
//   boolean       TRUE / FALSE.       null -> NULL.
//   Date          TIMESTAMP 'YYYY-MM-DD HH:MM:SS.ffffff', in UTC; years
//                 outside 0000-9999 keep their sign and extra digits.
//   Uint8Array    from_hex('AABB') (Buffer included): a BLOB.
// undefined, an invalid Date, and any other type are refused.
import { describeType, valueError, type ParameterName } from './parameter-errors';

const NUL = '\u0000';
// With the u flag a surrogate pair is one astral code point; only a lone half matches.
const LONE_SURROGATE = /\p{Cs}/u;

/** `text` when it is well-formed UTF-16; a ParameterError when it holds a lone surrogate. */
export function checkedString(text: string, parameter: ParameterName, element?: number): string {
  if (LONE_SURROGATE.test(text)) throw valueError(parameter, 'the string holds a lone UTF-16 surrogate, which has no UTF-8 form', element);
  return text;
}

/** A SQL string literal, or a parenthesized concatenation when the text holds NUL characters. */
function stringLiteral(text: string): string {
  if (!text.includes(NUL)) return `'${text.replaceAll("'", "''")}'`;
  const pieces: string[] = [];
  text.split(NUL).forEach((part, index) => {
    if (index > 0) pieces.push('chr(0)');
    if (part !== '') pieces.push(`'${part.replaceAll("'", "''")}'`);
  });
  return `(${pieces.join(' || ')})`;
}

function negated(text: string, negative: boolean): string {
  return negative ? `(-${text})` : text;
}

function numberLiteral(value: number): string {
  if (Number.isNaN(value)) return "CAST('NaN' AS DOUBLE)";
  if (value === Infinity) return "CAST('Infinity' AS DOUBLE)";
  if (value === -Infinity) return "CAST('-Infinity' AS DOUBLE)";
  if (Object.is(value, -0)) return '(-0e0)';
  const magnitude = String(Math.abs(value));
  if (Number.isSafeInteger(value)) return negated(magnitude, value < 0);
  return negated(magnitude.includes('e') ? magnitude : `${magnitude}e0`, value < 0);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` of a valid Date, in UTC. */
export function utcTimestampText(date: Date): string {
  const year = date.getUTCFullYear();
  const yearText = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return (
    `${yearText}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ` +
    `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}000`
  );
}

/** `value` when it holds a time; a ParameterError for an invalid Date (`new Date(NaN)`). */
export function checkedDate(value: Date, parameter: ParameterName, element?: number): Date {
  if (Number.isNaN(value.getTime())) throw valueError(parameter, 'the Date is invalid (its time is NaN)', element);
  return value;
}

/** Renders one scalar value (not an array) as a SQL literal; throws a ParameterError naming `parameter` for a value that cannot be one. */
export function sqlLiteral(value: unknown, parameter: ParameterName, element?: number): string {
  switch (typeof value) {
    case 'string':
      return stringLiteral(checkedString(value, parameter, element));
    case 'number':
      return numberLiteral(value);
    case 'bigint':
      return negated(String(value < 0n ? -value : value), value < 0n);
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'undefined':
      throw valueError(parameter, 'the value is undefined; pass null for SQL NULL', element);
    case 'object':
      if (value === null) return 'NULL';
      if (value instanceof Date) return `TIMESTAMP '${utcTimestampText(checkedDate(value, parameter, element))}'`;
      if (value instanceof Uint8Array) return `from_hex('${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex').toUpperCase()}')`;
      break;
    default:
      break;
  }
  throw valueError(parameter, `${describeType(value)} cannot be bound; bind a string, number, bigint, boolean, null, Date, Buffer or an array of them`, element);
}

/**
 * Renders a parameter's value: a scalar as its literal, an array as its
 * elements' literals separated by commas (for `IN (?)`). An empty array (IN ()
 * is not SQL) and nested arrays are refused.
 */
export function parameterSql(value: unknown, parameter: ParameterName): string {
  if (!Array.isArray(value)) return sqlLiteral(value, parameter);
  // Array.from, not map: a hole in a sparse array is an element too (undefined, refused).
  return Array.from(inListElements(value, parameter), (element, index) => sqlLiteral(element, parameter, index + 1)).join(', ');
}

/** The elements of an array parameter, checked: not empty, no nested arrays. */
export function inListElements(value: readonly unknown[], parameter: ParameterName): readonly unknown[] {
  if (value.length === 0) throw valueError(parameter, 'the array is empty; an IN list needs at least one value');
  for (let index = 0; index < value.length; index += 1) {
    if (Array.isArray(value[index])) throw valueError(parameter, 'arrays cannot be nested; an IN list takes scalar values', index + 1);
  }
  return value;
}
