// Server-side parameters (executeStatementV2): the SQL keeps `?` placeholders
// (named ones become `?`, IN lists expand) and each value travels as a typed
// ParameterValue. params-property.test.ts binds them with the mock engine's
// own binding and reads them back from DuckDB.
import { ParameterError, toServerParams, type QueryParameters } from '@e6data-ts/connector';
import { thrownBy } from '../../support/expected-error';

describe('toServerParams: types and text', () => {
  test.each<[string, unknown, string, string]>([
    ['string', "it's \\ ?", 'STRING', "it's \\ ?"],
    ['string with NUL', 'a\u0000b', 'STRING', 'a\u0000b'],
    ['32-bit integer', -2_147_483_648, 'INTEGER', '-2147483648'],
    ['integer past 32 bits', 2_147_483_648, 'LONG', '2147483648'],
    ['largest safe integer', Number.MAX_SAFE_INTEGER, 'LONG', '9007199254740991'],
    ['fraction', 0.1, 'DOUBLE', '0.1'],
    ['unsafe integer', 2 ** 60, 'DOUBLE', '1152921504606847000'],
    ['negative zero', -0, 'DOUBLE', '-0'],
    ['NaN', Number.NaN, 'DOUBLE', 'NaN'],
    ['-Infinity', -Infinity, 'DOUBLE', '-Infinity'],
    ['bigint in 64 bits', -(2n ** 63n), 'LONG', '-9223372036854775808'],
    ['bigint past 64 bits', 2n ** 63n, 'DECIMAL', '9223372036854775808'],
    ['bigint of 38 digits', -(10n ** 38n - 1n), 'DECIMAL', `-${'9'.repeat(38)}`],
    ['true', true, 'BOOLEAN', 'true'],
    ['false', false, 'BOOLEAN', 'false'],
    ['null', null, 'NULL', ''],
    ['Date', new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)), 'TIMESTAMP', '2024-02-29T23:59:59.999000Z'],
    ['Date before year 0', new Date('-000001-01-01T00:00:00Z'), 'TIMESTAMP', '-0001-01-01T00:00:00.000000Z'],
  ])('%s', (_name, value, type, text) => {
    expect(toServerParams('SELECT ?', [value])).toEqual({ sql: 'SELECT ?', params: [{ index: 1, type, value: text }] });
  });

  test('named placeholders become ? in text order, a repeated name once per use', () => {
    expect(toServerParams("SELECT :b, ':a', :a::int /* :b */, :b", { a: 1, b: 'x' })).toEqual({
      sql: "SELECT ?, ':a', ?::int /* :b */, ?",
      params: [
        { index: 1, type: 'STRING', value: 'x' },
        { index: 2, type: 'INTEGER', value: '1' },
        { index: 3, type: 'STRING', value: 'x' },
      ],
    });
  });

  test('an IN list expands to one ? per element', () => {
    expect(toServerParams('SELECT 1 WHERE a IN (?) AND b = ? -- ?', [[1, 'x', null], true])).toEqual({
      sql: 'SELECT 1 WHERE a IN (?, ?, ?) AND b = ? -- ?',
      params: [
        { index: 1, type: 'INTEGER', value: '1' },
        { index: 2, type: 'STRING', value: 'x' },
        { index: 3, type: 'NULL', value: '' },
        { index: 4, type: 'BOOLEAN', value: 'true' },
      ],
    });
  });

  test('without placeholders the SQL is unchanged and there are no parameters', () => {
    const sql = "SELECT '?' -- :a";
    expect(toServerParams(sql, undefined)).toEqual({ sql, params: [] });
    expect(toServerParams(sql, [])).toEqual({ sql, params: [] });
  });
});

describe('toServerParams: errors name the parameter, never the value', () => {
  const SECRET = 'hunter2-secret';

  test.each<[string, string, QueryParameters, number | string | null, string]>([
    ['Buffer', 'SELECT ?', [Buffer.from(SECRET)], 1, 'parameter 1: an object (Buffer) cannot be sent as a server-side parameter (the engine has no binary parameter type); bind it client-side'],
    ['bigint past 38 digits', 'SELECT :n', { n: 10n ** 38n }, ':n', 'parameter :n: the bigint has more than 38 digits, more than a server-side DECIMAL parameter holds'],
    ['undefined', 'SELECT ?', [undefined], 1, 'parameter 1: the value is undefined; pass null for SQL NULL'],
    ['object', 'SELECT ?', [{ SECRET }], 1, 'parameter 1: an object (Object) cannot be bound; bind a string, number, bigint, boolean, null, Date or an array of them'],
    ['symbol', 'SELECT ?', [Symbol(SECRET)], 1, 'parameter 1: a symbol cannot be bound; bind a string, number, bigint, boolean, null, Date or an array of them'],
    ['invalid Date in a list', 'SELECT ?', [[new Date(), new Date(Number.NaN)]], 1, 'parameter 1, element 2: the Date is invalid (its time is NaN)'],
    ['lone surrogate', 'SELECT ?', [`${SECRET}\udc00`], 1, 'parameter 1: the string holds a lone UTF-16 surrogate, which has no UTF-8 form'],
    ['empty list', 'SELECT ?', [[]], 1, 'parameter 1: the array is empty; an IN list needs at least one value'],
    ['count mismatch', 'SELECT ?, ?', [SECRET], 2, 'parameter 2 has no value: the statement has 2 placeholders and 1 value was given'],
  ])('%s', (_name, sql, params, parameter, message) => {
    const error = thrownBy(() => toServerParams(sql, params), ParameterError);
    expect(error.parameter).toBe(parameter);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain(SECRET);
  });
});
