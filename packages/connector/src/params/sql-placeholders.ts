// Finds the placeholders in SQL text: `?` (positional) and `:name` (named), in
// code only (see sql-scanner.ts). A `:` is a named placeholder only where it
// cannot be something else:
// - not part of a `::` cast (`x::int`), nor `:=`;
// - not right after a word, a number, `]`, `)` or a closing quote, so slices
//   (`list[1:n]`, `list[i:j]`) and struct entries (`{'k':v}`) stay SQL.
// `[:n]` therefore is a placeholder; write `[1:n]` for a slice from the start.
import { isWordChar, scanSql } from './sql-scanner';

/** One placeholder: `sql.slice(start, end)` is `?` or `:name`. */
export type Placeholder =
  | { readonly kind: 'positional'; readonly start: number; readonly end: number }
  | { readonly kind: 'named'; readonly name: string; readonly start: number; readonly end: number };

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Characters after which a `:` does not start a named placeholder. */
function endsOperand(code: number): boolean {
  return isWordChar(code) || code === 0x5d /* ] */ || code === 0x29 /* ) */ || code === 0x27 /* ' */ || code === 0x22 /* " */ || code === 0x3a /* : */;
}

function scanCode(sql: string, start: number, end: number, found: Placeholder[]): void {
  for (let i = start; i < end; i += 1) {
    const c = sql.charCodeAt(i);
    if (c === 0x3f /* ? */) {
      found.push({ kind: 'positional', start: i, end: i + 1 });
    } else if (c === 0x3a /* : */ && !(i > 0 && endsOperand(sql.charCodeAt(i - 1)))) {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(sql)?.[0];
      // The name must lie inside this code region (it cannot: regions break only at quotes, `--`, `/*` and `$`).
      if (name !== undefined && i + 1 + name.length <= end) {
        found.push({ kind: 'named', name, start: i, end: i + 1 + name.length });
        i += name.length;
      }
    }
  }
}

/** The placeholders of `sql`, in text order. */
export function findPlaceholders(sql: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const region of scanSql(sql)) {
    if (region.kind === 'code') scanCode(sql, region.start, region.end, found);
  }
  return found;
}
