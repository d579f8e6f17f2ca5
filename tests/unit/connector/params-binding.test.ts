// Client-side parameter binding: how each value type is written as SQL, where
// in the SQL text placeholders are (and are not) recognized, and the errors
// for every mismatch, which name the parameter and never its value.
import { ParameterError, bindParameters, type QueryParameters } from '@e6data-ts/connector';
import { thrownBy } from '../../support/expected-error';

describe('bindParameters: one value of each type', () => {
  test.each<[string, unknown, string]>([
    ['plain string', 'abc', "'abc'"],
    ['empty string', '', "''"],
    ['quotes doubled', "it's ''x''", "'it''s ''''x'''''"],
    ['backslash kept as is', 'a\\b\\', "'a\\b\\'"],
    ['double quote', 'say "hi"', "'say \"hi\"'"],
    ['comment markers', '-- /* */ ? :x', "'-- /* */ ? :x'"],
    ['newline and tab', 'a\nb\tc', "'a\nb\tc'"],
    ['emoji (astral)', 'x😀y', "'x😀y'"],
    ['NUL in the middle', 'a\u0000b', "('a' || chr(0) || 'b')"],
    ['NUL alone', '\u0000', '(chr(0))'],
    ['NULs at the ends with a quote', "\u0000'\u0000", "(chr(0) || '''' || chr(0))"],
    ['zero', 0, '0'],
    ['positive integer', 42, '42'],
    ['negative integer', -42, '(-42)'],
    ['largest safe integer', Number.MAX_SAFE_INTEGER, '9007199254740991'],
    ['smallest safe integer', Number.MIN_SAFE_INTEGER, '(-9007199254740991)'],
    ['unsafe integer is a double, in its shortest text', 2 ** 60, '1152921504606847000e0'],
    ['fraction is a double, not a decimal', 0.1, '0.1e0'],
    ['negative fraction', -2.5, '(-2.5e0)'],
    ['exponent kept', 1e300, '1e+300'],
    ['tiny', -5e-324, '(-5e-324)'],
    ['negative zero', -0, '(-0e0)'],
    ['NaN', Number.NaN, "CAST('NaN' AS DOUBLE)"],
    ['Infinity', Infinity, "CAST('Infinity' AS DOUBLE)"],
    ['-Infinity', -Infinity, "CAST('-Infinity' AS DOUBLE)"],
    ['bigint', 9_223_372_036_854_775_807n, '9223372036854775807'],
    ['negative bigint', -9_223_372_036_854_775_808n, '(-9223372036854775808)'],
    ['bigint past 64 bits', 2n ** 100n, '1267650600228229401496703205376'],
    ['true', true, 'TRUE'],
    ['false', false, 'FALSE'],
    ['null', null, 'NULL'],
    ['Date in UTC with microseconds', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), "TIMESTAMP '2024-01-02 03:04:05.678000'"],
    ['Date at the epoch', new Date(0), "TIMESTAMP '1970-01-01 00:00:00.000000'"],
    ['Date in year 1', new Date('0001-01-01T00:00:00Z'), "TIMESTAMP '0001-01-01 00:00:00.000000'"],
    ['Date past 9999', new Date('+010000-01-01T00:00:00Z'), "TIMESTAMP '10000-01-01 00:00:00.000000'"],
    ['Date before year 0', new Date('-000001-12-31T23:59:59.999Z'), "TIMESTAMP '-0001-12-31 23:59:59.999000'"],
    ['Buffer', Buffer.from([0xaa, 0xbb, 0x00, 0x01]), "from_hex('AABB0001')"],
    ['empty Buffer', Buffer.alloc(0), "from_hex('')"],
    ['Uint8Array view into a larger buffer', new Uint8Array(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2), "from_hex('0203')"],
    ['array: an IN list', [1, 'a', null], "1, 'a', NULL"],
    ['array of one', [-1], '(-1)'],
  ])('%s', (_name, value, expected) => {
    expect(bindParameters('SELECT ?', [value])).toBe(`SELECT ${expected}`);
  });

  test('a negative value after a minus sign does not become a comment', () => {
    expect(bindParameters('SELECT 5-?, 5-?, 5-?', [-1, -1n, -0.5])).toBe('SELECT 5-(-1), 5-(-1), 5-(-0.5e0)');
  });
});

describe('bindParameters: where placeholders are', () => {
  test.each<[string, string, QueryParameters, string]>([
    ['positional in order', 'SELECT ? + ?, ?', [1, 2, 3], 'SELECT 1 + 2, 3'],
    ['? inside a string literal is data', "SELECT '?', ?", [1], "SELECT '?', 1"],
    ['? after an escaped quote is still inside', "SELECT 'it''s ?', ?", [1], "SELECT 'it''s ?', 1"],
    ['backslash does not escape in a standard string', "SELECT 'a\\', ?", [1], "SELECT 'a\\', 1"],
    ["E'...' escapes with a backslash", "SELECT E'it\\'s ?', ?", [1], "SELECT E'it\\'s ?', 1"],
    ['e prefix in lower case', "SELECT e'\\'?', ?", [1], "SELECT e'\\'?', 1"],
    ['a word ending in E is not an escape prefix', "SELECT typE'a\\', ?", [1], "SELECT typE'a\\', 1"],
    ['? inside a quoted identifier', 'SELECT 1 AS "a?""b?", ?', [2], 'SELECT 1 AS "a?""b?", 2'],
    ['? inside a line comment', 'SELECT ? -- why? because\n, ?', [1, 2], 'SELECT 1 -- why? because\n, 2'],
    ['line comment at the end without newline', 'SELECT ? -- ?', [1], 'SELECT 1 -- ?'],
    ['? inside a block comment', 'SELECT /* ? */ ?', [1], 'SELECT /* ? */ 1'],
    ['block comments nest', 'SELECT /* a /* ? */ still ? */ ?', [1], 'SELECT /* a /* ? */ still ? */ 1'],
    ['- and / alone are operators', 'SELECT ?-?/?', [6, 4, 2], 'SELECT 6-4/2'],
    ['? inside a dollar-quoted string', 'SELECT $$a?b$$, $tag$ ? $$ ? $tag$, ?', [1], 'SELECT $$a?b$$, $tag$ ? $$ ? $tag$, 1'],
    ['$ continuing a word is not a dollar quote', 'SELECT a$b$ + ?', [1], 'SELECT a$b$ + 1'],
    ['$1 is not a dollar quote', 'SELECT $1, ?', [1], 'SELECT $1, 1'],
    ['unterminated literal runs to the end', "SELECT ?, 'open ?", [1], "SELECT 1, 'open ?"],
    ['unterminated block comment runs to the end', 'SELECT ? /* open ?', [1], 'SELECT 1 /* open ?'],
    ['multiple statements', 'SELECT ?; SELECT ?;', [1, 2], 'SELECT 1; SELECT 2;'],
    ['IN list', 'SELECT * FROM t WHERE id IN (?) AND s = ?', [[1, 2, 3], 'x'], "SELECT * FROM t WHERE id IN (1, 2, 3) AND s = 'x'"],
    ['value with ? and : is not re-scanned', 'SELECT ?, ?', ['?', ':a'], "SELECT '?', ':a'"],
    ['named', 'SELECT :a, :b_2', { a: 1, b_2: 'x' }, "SELECT 1, 'x'"],
    ['named used twice', 'SELECT :a + :a', { a: 2 }, 'SELECT 2 + 2'],
    ['named next to operators', 'SELECT 1 WHERE x=:a AND (:b)', { a: 1, b: true }, 'SELECT 1 WHERE x=1 AND (TRUE)'],
    [':: cast is not a placeholder', 'SELECT :a::int, x::varchar', { a: '1' }, "SELECT '1'::int, x::varchar"],
    [':name inside a literal', "SELECT ':a', :a", { a: 1 }, "SELECT ':a', 1"],
    [':name inside a comment', 'SELECT :a -- :b\n /* :c */', { a: 1 }, 'SELECT 1 -- :b\n /* :c */'],
    ['slices are not placeholders', 'SELECT l[1:n], l[i:j], m[f(1):k], :a', { a: 0 }, 'SELECT l[1:n], l[i:j], m[f(1):k], 0'],
    ['struct entries are not placeholders', "SELECT {'k':v}, :a", { a: 0 }, "SELECT {'k':v}, 0"],
    ['[:n] is a placeholder', 'SELECT l[:n]', { n: 2 }, 'SELECT l[2]'],
    ['named with an IN list', 'SELECT 1 WHERE x IN (:ids)', { ids: [1n, 2n] }, 'SELECT 1 WHERE x IN (1, 2)'],
    ['object with a null prototype', 'SELECT :a', Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 }), 'SELECT 1'],
    ['no placeholders, no parameters', 'SELECT 1', [], 'SELECT 1'],
    ['placeholders only in literals, no parameters', "SELECT '?', ':a'", [], "SELECT '?', ':a'"],
    ['casts only, empty object', 'SELECT 1::int', {}, 'SELECT 1::int'],
  ])('%s', (_name, sql, params, expected) => {
    expect(bindParameters(sql, params)).toBe(expected);
  });

  test('without parameters and placeholders the very same string comes back', () => {
    const sql = `SELECT ${'x'.repeat(1000)}`;
    expect(bindParameters(sql, undefined)).toBe(sql);
    expect(bindParameters(sql, [])).toBe(sql);
    expect(bindParameters(sql, {})).toBe(sql);
  });
});

describe('bindParameters: errors name the parameter, never the value', () => {
  const SECRET = 'hunter2-secret';

  test.each<[string, string, QueryParameters | undefined, number | string | null, string]>([
    ['too few values', 'SELECT ?, ?, ?', [SECRET], 2, 'parameter 2 has no value: the statement has 3 placeholders and 1 value was given'],
    ['too many values', 'SELECT ?', [SECRET, SECRET, SECRET], 2, 'parameter 2 has no placeholder: 3 values were given and the statement has 1 placeholder'],
    ['values but no placeholder', "SELECT '?'", [SECRET], 1, 'parameter 1 has no placeholder: 1 value was given and the statement has 0 placeholders'],
    ['placeholder but no parameters', 'SELECT ?', undefined, 1, 'parameter 1 has no value: the statement has 1 placeholder and no parameters were given'],
    ['named placeholder but empty array', 'SELECT :a', [], ':a', 'parameter :a has no value: the statement has 1 placeholder and no parameters were given'],
    ['mixed styles', 'SELECT ?, :a', [SECRET], null, 'the statement mixes positional ? and named :a placeholders; use one style'],
    ['array for named', 'SELECT :a', [SECRET], ':a', 'parameter :a is a named placeholder, but the parameters are an array; pass an object to bind :name placeholders'],
    ['object for positional', 'SELECT ?, ?', { a: SECRET }, 1, 'the statement has 2 positional ? placeholders, but the parameters are an object; pass an array to bind ? placeholders'],
    ['missing named value', 'SELECT :a, :b', { a: SECRET }, ':b', 'parameter :b has no value: the parameters object has no property "b"'],
    ['inherited property is not a value', 'SELECT :toString', { x: SECRET }, ':toString', 'parameter :toString has no value: the parameters object has no property "toString"'],
    ['unused named value', 'SELECT :a', { a: 1, b: SECRET }, ':b', 'parameter :b is not used: the statement has no :b placeholder (it uses 1 name)'],
    ['not an array or plain object', 'SELECT :a', new Map([['a', SECRET]]) as unknown as QueryParameters, null, 'parameters must be an array (for ?) or a plain object (for :name), not an object (Map)'],
    ['undefined', 'SELECT ?, ?', [1, undefined], 2, 'parameter 2: the value is undefined; pass null for SQL NULL'],
    ['undefined named', 'SELECT :a', { a: undefined }, ':a', 'parameter :a: the value is undefined; pass null for SQL NULL'],
    ['invalid Date', 'SELECT ?', [new Date(Number.NaN)], 1, 'parameter 1: the Date is invalid (its time is NaN)'],
    ['lone surrogate', 'SELECT ?', [`${SECRET}\ud800`], 1, 'parameter 1: the string holds a lone UTF-16 surrogate, which has no UTF-8 form'],
    ['plain object value', 'SELECT ?', [{ password: SECRET }], 1, 'parameter 1: an object (Object) cannot be bound; bind a string, number, bigint, boolean, null, Date, Buffer or an array of them'],
    ['Map value', 'SELECT ?', [new Map([[SECRET, SECRET]])], 1, 'parameter 1: an object (Map) cannot be bound; bind a string, number, bigint, boolean, null, Date, Buffer or an array of them'],
    ['boxed string', 'SELECT ?', [new String(SECRET)], 1, 'parameter 1: an object (String) cannot be bound; bind a string, number, bigint, boolean, null, Date, Buffer or an array of them'],
    ['symbol', 'SELECT :s', { s: Symbol(SECRET) }, ':s', 'parameter :s: a symbol cannot be bound; bind a string, number, bigint, boolean, null, Date, Buffer or an array of them'],
    ['function', 'SELECT ?', [() => SECRET], 1, 'parameter 1: a function cannot be bound; bind a string, number, bigint, boolean, null, Date, Buffer or an array of them'],
    ['null-prototype object', 'SELECT ?', [Object.create(null)], 1, 'parameter 1: an object (with a null prototype) cannot be bound; bind a string, number, bigint, boolean, null, Date, Buffer or an array of them'],
    ['instance of an anonymous class', 'SELECT ?', [new (class {})()], 1, 'parameter 1: an object cannot be bound; bind a string, number, bigint, boolean, null, Date, Buffer or an array of them'],
    ['ArrayBuffer', 'SELECT ?', [new ArrayBuffer(2)], 1, 'parameter 1: an object (ArrayBuffer) cannot be bound; bind a string, number, bigint, boolean, null, Date, Buffer or an array of them'],
    ['empty array', 'SELECT 1 WHERE x IN (?)', [[]], 1, 'parameter 1: the array is empty; an IN list needs at least one value'],
    ['nested array', 'SELECT 1 WHERE x IN (:ids)', { ids: [SECRET, [SECRET]] }, ':ids', 'parameter :ids, element 2: arrays cannot be nested; an IN list takes scalar values'],
    ['bad element', 'SELECT 1 WHERE x IN (?)', [[1, 2, { SECRET }]], 1, 'parameter 1, element 3: an object (Object) cannot be bound; bind a string, number, bigint, boolean, null, Date, Buffer or an array of them'],
    // eslint-disable-next-line no-sparse-arrays
    ['hole in a sparse array', 'SELECT 1 WHERE x IN (?)', [[1, , 3]], 1, 'parameter 1, element 2: the value is undefined; pass null for SQL NULL'],
  ])('%s', (_name, sql, params, parameter, message) => {
    const error = thrownBy(() => bindParameters(sql, params), ParameterError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.name).toBe('ParameterError');
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.stage).toBe('not-sent');
    expect(error.parameter).toBe(parameter);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain(SECRET);
  });
});
