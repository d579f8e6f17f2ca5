// Splits SQL text into the regions where a placeholder may appear (code) and
// the regions where `?` and `:name` are data (string literals, quoted
// identifiers, comments, dollar-quoted strings). The lexical rules follow
// DuckDB's (PostgreSQL's) grammar, which the engine speaks:
// - '...' strings double a quote to escape it; a backslash is an ordinary
//   character ("standard" strings).
// - E'...' strings (E or e right before the quote, not ending a longer word)
//   also escape with a backslash, so E'it\'s' is one literal.
// - "..." identifiers double a quote to escape it.
// - `--` comments run to the end of the line.
// - /* ... */ comments nest, as in PostgreSQL and DuckDB: `/* a /* b */ c */`
//   is one comment. Treating them as flat would turn `c */` into code and bind
//   a `?` inside it that the engine then ignores as commentary.
// - $$...$$ and $tag$...$tag$ strings, where `$` does not continue a word
//   (`a$b` is an identifier, `$1` is not a tag).
// Text that is left open (an unterminated literal or comment) runs to the end
// of the SQL; the engine reports the syntax error, the scanner does not guess.

/** What one region of SQL text is. */
export type SqlRegionKind = 'code' | 'string' | 'identifier' | 'line-comment' | 'block-comment' | 'dollar-string';

/** One region of SQL text: `sql.slice(start, end)`. Regions are contiguous and cover the whole text. */
export interface SqlRegion {
  readonly kind: SqlRegionKind;
  readonly start: number;
  readonly end: number;
}

const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;

/** True for a character that continues an identifier or number (non-ASCII letters included). */
export function isWordChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x5f || // _
    code === 0x24 || // $
    code > 0x7f
  );
}

/** The index just past a quoted run that escapes its quote by doubling it (and by backslash when `backslash`). */
function endOfQuoted(sql: string, open: number, quote: string, backslash: boolean): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i += 2;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

function endOfBlockComment(sql: string, open: number): number {
  let depth = 1;
  let i = open + 2;
  while (i < sql.length) {
    if (sql.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else if (sql.startsWith('/*', i)) {
      depth += 1;
      i += 2;
    } else {
      i += 1;
    }
  }
  return sql.length;
}

function endOfLineComment(sql: string, open: number): number {
  const newline = sql.indexOf('\n', open + 2);
  return newline === -1 ? sql.length : newline;
}

/** Whether the quote at `quote` opens an E'...' string: an E right before it that does not end a longer word. */
function isEscapeString(sql: string, quote: number): boolean {
  const prefix = sql[quote - 1];
  if (prefix !== 'E' && prefix !== 'e') return false;
  return quote < 2 || !isWordChar(sql.charCodeAt(quote - 2));
}

/** The region that is not code starting at `i`, or null when code continues there. */
function nonCodeAt(sql: string, i: number): { kind: SqlRegionKind; end: number } | null {
  const c = sql[i];
  switch (c) {
    case "'":
      return { kind: 'string', end: endOfQuoted(sql, i, "'", isEscapeString(sql, i)) };
    case '"':
      return { kind: 'identifier', end: endOfQuoted(sql, i, '"', false) };
    case '-':
      return sql[i + 1] === '-' ? { kind: 'line-comment', end: endOfLineComment(sql, i) } : null;
    case '/':
      return sql[i + 1] === '*' ? { kind: 'block-comment', end: endOfBlockComment(sql, i) } : null;
    case '$': {
      if (i > 0 && isWordChar(sql.charCodeAt(i - 1))) return null;
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(sql)?.[0];
      if (tag === undefined) return null;
      const close = sql.indexOf(tag, i + tag.length);
      return { kind: 'dollar-string', end: close === -1 ? sql.length : close + tag.length };
    }
    default:
      return null;
  }
}

/** Splits `sql` into contiguous regions (see the rules at the top of this file). */
export function scanSql(sql: string): SqlRegion[] {
  const regions: SqlRegion[] = [];
  let codeStart = 0;
  let i = 0;
  while (i < sql.length) {
    const region = nonCodeAt(sql, i);
    if (region === null) {
      i += 1;
      continue;
    }
    if (i > codeStart) regions.push({ kind: 'code', start: codeStart, end: i });
    regions.push({ kind: region.kind, start: i, end: region.end });
    i = region.end;
    codeStart = i;
  }
  if (sql.length > codeStart) regions.push({ kind: 'code', start: codeStart, end: sql.length });
  return regions;
}
