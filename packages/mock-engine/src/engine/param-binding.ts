// Binds executeStatementV2's ParameterValues as real DuckDB parameters.
//
// `index` is 1-based (as in DuckDB and JDBC): `?` number one is index 1. Every
// parameter the statement has must be given exactly once. `type` names the
// value's type (case-insensitive) and `value` is its text:
//   STRING | VARCHAR            any text
//   INTEGER | INT               a 32-bit integer
//   LONG | BIGINT               a 64-bit integer
//   DOUBLE | FLOAT              a number ('NaN', 'Infinity', '-Infinity' too)
//   BOOLEAN                     true/false (also 1/0, any case)
//   DECIMAL | DECIMAL128        a plain decimal such as -12.50 (up to 38 digits)
//   DATE                        YYYY-MM-DD
//   TIMESTAMP | DATETIME        ISO 8601; an offset is applied, no offset means UTC
//   NULL                        value ignored
import { dateValue, decimalValue, timestampValue } from '@duckdb/node-api';
import { type ParameterValue } from '@e6data-ts/grpc-transport';
import { EngineError, messageOf } from './engine-error';
import { parseDateText, parseTimestampText } from './temporal-text';

/** The part of a DuckDB prepared statement binding needs (`DuckDBPreparedStatement` fits). */
export interface BindTarget {
  readonly parameterCount: number;
  clearBindings(): void;
  bindVarchar(index: number, value: string): void;
  bindInteger(index: number, value: number): void;
  bindBigInt(index: number, value: bigint): void;
  bindDouble(index: number, value: number): void;
  bindFloat(index: number, value: number): void;
  bindBoolean(index: number, value: boolean): void;
  bindDecimal(index: number, value: ReturnType<typeof decimalValue>): void;
  bindDate(index: number, value: ReturnType<typeof dateValue>): void;
  bindTimestamp(index: number, value: ReturnType<typeof timestampValue>): void;
  bindNull(index: number): void;
}

export const PARAMETER_TYPES = [
  'STRING', 'VARCHAR', 'INTEGER', 'INT', 'LONG', 'BIGINT', 'DOUBLE', 'FLOAT',
  'BOOLEAN', 'DECIMAL', 'DECIMAL128', 'DATE', 'TIMESTAMP', 'DATETIME', 'NULL',
] as const;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const NUMBER_WORDS: Readonly<Record<string, number>> = { nan: Number.NaN, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity };

function invalid(parameter: ParameterValue, why: string, cause?: unknown): EngineError {
  // The value is the caller's own data, but it may be long: quote only its start.
  const shown = parameter.value.length > 40 ? `${parameter.value.slice(0, 40)}...` : parameter.value;
  return new EngineError('INVALID_PARAMETER', `parameter ${parameter.index} (${parameter.type} '${shown}'): ${why}`, { cause });
}

function parseInteger(parameter: ParameterValue, min: bigint, max: bigint): bigint {
  const text = parameter.value.trim();
  if (!INTEGER_TEXT.test(text)) throw invalid(parameter, 'not an integer');
  const value = BigInt(text);
  if (value < min || value > max) throw invalid(parameter, `out of range ${min}..${max}`);
  return value;
}

function parseNumber(parameter: ParameterValue): number {
  const text = parameter.value.trim();
  const word = NUMBER_WORDS[text.toLowerCase()];
  if (word !== undefined) return word;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw invalid(parameter, 'not a number');
  return value;
}

function parseBoolean(parameter: ParameterValue): boolean {
  const text = parameter.value.trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw invalid(parameter, 'not a boolean (true/false)');
}

function parseDecimal(parameter: ParameterValue): ReturnType<typeof decimalValue> {
  const match = DECIMAL_TEXT.exec(parameter.value.trim());
  const [, sign = '', whole = '', fraction = ''] = match ?? [];
  if (!match || whole + fraction === '') throw invalid(parameter, 'not a plain decimal number');
  const digits = (whole + fraction).replace(/^0+(?=\d)/, '');
  if (digits.length > 38) throw invalid(parameter, 'more than 38 digits');
  const unscaled = BigInt(`${sign}${whole + fraction || '0'}`);
  return decimalValue(unscaled, Math.max(digits.length, fraction.length, 1), fraction.length);
}

function bindOne(target: BindTarget, parameter: ParameterValue): void {
  const { index } = parameter;
  try {
    switch (parameter.type.trim().toUpperCase()) {
      case 'STRING':
      case 'VARCHAR':
        return target.bindVarchar(index, parameter.value);
      case 'INTEGER':
      case 'INT':
        return target.bindInteger(index, Number(parseInteger(parameter, -(2n ** 31n), 2n ** 31n - 1n)));
      case 'LONG':
      case 'BIGINT':
        return target.bindBigInt(index, parseInteger(parameter, INT64_MIN, INT64_MAX));
      case 'DOUBLE':
        return target.bindDouble(index, parseNumber(parameter));
      case 'FLOAT':
        return target.bindFloat(index, parseNumber(parameter));
      case 'BOOLEAN':
        return target.bindBoolean(index, parseBoolean(parameter));
      case 'DECIMAL':
      case 'DECIMAL128':
        return target.bindDecimal(index, parseDecimal(parameter));
      case 'DATE':
        return target.bindDate(index, dateValue(parseDateText(parameter.value)));
      case 'TIMESTAMP':
      case 'DATETIME':
        return target.bindTimestamp(index, timestampValue(parseTimestampText(parameter.value)));
      case 'NULL':
        return target.bindNull(index);
      default:
        throw invalid(parameter, `unsupported type; use one of ${PARAMETER_TYPES.join(', ')}`);
    }
  } catch (error) {
    if (error instanceof EngineError) throw error;
    // Calendar parsing and DuckDB's own bind checks land here.
    throw invalid(parameter, messageOf(error), error);
  }
}

/**
 * Binds `parameters` to `target`, replacing earlier bindings. Refuses a
 * missing, repeated or out-of-range index before binding anything.
 */
export function bindParameters(target: BindTarget, parameters: readonly ParameterValue[]): void {
  const expected = target.parameterCount;
  const seen = new Set<number>();
  for (const parameter of parameters) {
    if (!Number.isInteger(parameter.index) || parameter.index < 1 || parameter.index > expected) {
      throw new EngineError(
        'INVALID_PARAMETER',
        `parameter index ${parameter.index} is out of range: the statement has ${expected} parameter(s), numbered from 1`,
      );
    }
    if (seen.has(parameter.index)) throw new EngineError('INVALID_PARAMETER', `parameter ${parameter.index} is given more than once`);
    seen.add(parameter.index);
  }
  if (seen.size !== expected) {
    const missing = Array.from({ length: expected }, (_, i) => i + 1).filter((index) => !seen.has(index));
    throw new EngineError('INVALID_PARAMETER', `the statement has ${expected} parameter(s); missing ${missing.join(', ')}`);
  }
  target.clearBindings();
  for (const parameter of parameters) bindOne(target, parameter);
}
