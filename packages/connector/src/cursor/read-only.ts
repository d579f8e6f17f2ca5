// Whether a statement only reads: the one kind of statement the connector may
// run a second time after its deployment disappeared (rerunOnLoss). When in
// doubt the answer is no: a statement wrongly called read-only could write twice.
import { scanSql } from '../params';

const READ_ONLY_FIRST_WORDS = new Set(['select', 'with', 'values', 'show', 'describe', 'desc', 'explain', 'table']);

// Words that make a statement write (or create) something wherever they appear
// outside literals and comments: `WITH x AS (...) INSERT ...`, `SELECT ... INTO t`,
// `EXPLAIN ANALYZE DELETE ...`.
const WRITING_WORDS = new Set([
  'insert', 'update', 'delete', 'merge', 'upsert', 'create', 'drop', 'alter', 'truncate', 'copy', 'into',
  'grant', 'revoke', 'call', 'set', 'attach', 'detach', 'install', 'load', 'vacuum', 'checkpoint', 'export', 'import',
]);

/** True when `sql` is one read-only statement (SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN) that writes nothing. */
export function isReadOnlyStatement(sql: string): boolean {
  const words: string[] = [];
  for (const region of scanSql(sql)) {
    if (region.kind !== 'code') continue;
    const code = sql.slice(region.start, region.end);
    // A second statement after a semicolon could be anything.
    if (/;\s*\S/.test(code) || (code.includes(';') && region.end < sql.trimEnd().length)) return false;
    for (const match of code.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) words.push(match[0].toLowerCase());
  }
  const first = words[0];
  if (first === undefined || !READ_ONLY_FIRST_WORDS.has(first)) return false;
  return !words.some((word) => WRITING_WORDS.has(word));
}
