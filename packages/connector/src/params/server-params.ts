// Server-side binding: the values travel as executeStatementV2 ParameterValues
// (index from 1, a type name and the value as text) and the SQL keeps `?`
// placeholders: `:name` placeholders become `?` in text order, and an array
// value (an IN list) expands its `?` to one `?` per element.
//
//   string        STRING
//   number        INTEGER (32-bit safe integer), LONG (other safe integer),
//                 DOUBLE otherwise, with 'NaN', 'Infinity', '-Infinity', '-0'
//   bigint        LONG within 64 bits, DECIMAL up to 38 digits; larger is refused
//   boolean       BOOLEAN 'true' / 'false'      null -> NULL
//   Date          TIMESTAMP 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (UTC)
// The engine's parameters have no binary type, so a Buffer is refused: bind
// it client-side instead.
import { type ParameterValue } from '@e6data-ts/grpc-transport';
import { describeType, valueError, type ParameterName } from './parameter-errors';
import { matchParameters, type QueryParameters } from './match-parameters';
import { checkedDate, checkedString, inListElements, utcTimestampText } from './sql-literal';

/** A statement ready for executeStatementV2: SQL with `?` placeholders and their values. */
export interface ServerParameters {
  readonly sql: string;
  readonly params: ParameterValue[];
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_DECIMAL_DIGITS = 38;

/** The type name and text of one scalar value; throws a ParameterError naming `parameter` for a value that has none. */
function serverValue(value: unknown, parameter: ParameterName, element?: number): { type: string; value: string } {
  switch (typeof value) {
    case 'string':
      return { type: 'STRING', value: checkedString(value, parameter, element) };
    case 'number':
      if (Number.isSafeInteger(value) && !Object.is(value, -0)) {
        return { type: value >= INT32_MIN && value <= INT32_MAX ? 'INTEGER' : 'LONG', value: String(value) };
      }
      return { type: 'DOUBLE', value: Object.is(value, -0) ? '-0' : String(value) };
    case 'bigint':
      if (value >= INT64_MIN && value <= INT64_MAX) return { type: 'LONG', value: String(value) };
      if (String(value < 0n ? -value : value).length <= MAX_DECIMAL_DIGITS) return { type: 'DECIMAL', value: String(value) };
      throw valueError(parameter, `the bigint has more than ${MAX_DECIMAL_DIGITS} digits, more than a server-side DECIMAL parameter holds`, element);
    case 'boolean':
      return { type: 'BOOLEAN', value: String(value) };
    case 'undefined':
      throw valueError(parameter, 'the value is undefined; pass null for SQL NULL', element);
    case 'object':
      if (value === null) return { type: 'NULL', value: '' };
      if (value instanceof Date) return { type: 'TIMESTAMP', value: `${utcTimestampText(checkedDate(value, parameter, element)).replace(' ', 'T')}Z` };
      if (value instanceof Uint8Array) {
        throw valueError(parameter, `${describeType(value)} cannot be sent as a server-side parameter (the engine has no binary parameter type); bind it client-side`, element);
      }
      break;
    default:
      break;
  }
  throw valueError(parameter, `${describeType(value)} cannot be bound; bind a string, number, bigint, boolean, null, Date or an array of them`, element);
}

/**
 * `sql` rewritten for server-side parameters, with the ParameterValues in
 * placeholder order. Refuses what bindParameters refuses (mismatches, undefined,
 * unsupported types), and also a Buffer and a bigint past 38 digits, which the
 * engine's parameter types cannot carry.
 */
export function toServerParams(sql: string, params: QueryParameters | undefined): ServerParameters {
  const matched = matchParameters(sql, params);
  const values: ParameterValue[] = [];
  let text = '';
  let copied = 0;
  for (const { placeholder, parameter, value } of matched) {
    const elements = Array.isArray(value) ? inListElements(value, parameter) : null;
    const typed = elements === null ? [serverValue(value, parameter)] : Array.from(elements, (element, index) => serverValue(element, parameter, index + 1));
    for (const one of typed) values.push({ index: values.length + 1, ...one });
    text += `${sql.slice(copied, placeholder.start)}${typed.map(() => '?').join(', ')}`;
    copied = placeholder.end;
  }
  return { sql: matched.length === 0 ? sql : text + sql.slice(copied), params: values };
}
