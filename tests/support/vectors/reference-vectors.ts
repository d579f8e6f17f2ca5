// Loads reference-chunks.json (see README.md) without losing int64 precision:
// JSON.parse would turn 9007199254740993 into 9007199254740992, so integer
// literals are read from the raw text as bigint before parsing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A cell as the reference client printed it; integers as bigint, exactly. */
export type ReferenceCell = bigint | number | string | boolean | null;

export interface ReferenceCase {
  name: string;
  metadata: Buffer;
  chunk: Buffer;
  columns: [name: string, typeName: string][];
  rowcount: bigint;
  /** null where the reference returns nothing (an empty chunk). */
  rows: ReferenceCell[][] | null;
}

const INT_MARK = '\u0000int:';

/** Parses JSON, giving every integer literal (no fraction, no exponent) as a bigint. */
export function parseJsonWithBigInts(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      // Copy a string literal verbatim, escapes included.
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i))!;
      const token = m[0];
      out += m[1] === undefined && m[2] === undefined ? JSON.stringify(INT_MARK + token) : token;
      i += token.length;
    } else {
      out += ch;
      i++;
    }
  }
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(INT_MARK) ? BigInt(value.slice(INT_MARK.length)) : value,
  );
}

interface RawCase {
  name: string;
  metadata_b64: string;
  chunk_b64: string;
  columns: [string, string][];
  rowcount: bigint;
  rows: ReferenceCell[][] | null;
}

export function loadReferenceCases(): ReferenceCase[] {
  const raw = parseJsonWithBigInts(readFileSync(join(__dirname, 'reference-chunks.json'), 'utf8')) as RawCase[];
  return raw.map((c) => ({
    name: c.name,
    metadata: Buffer.from(c.metadata_b64, 'base64'),
    chunk: Buffer.from(c.chunk_b64, 'base64'),
    columns: c.columns,
    rowcount: c.rowcount,
    rows: c.rows,
  }));
}
