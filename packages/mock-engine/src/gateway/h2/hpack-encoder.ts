import { type RawHeaders } from './hpack-decoder';
import { STATIC_TABLE } from './hpack-static-table';

/** A name's static-table index (the lowest) and, for names with values there, each value's index. */
interface StaticName {
  readonly index: number;
  readonly values: Map<string, number> | null;
}

const STATIC_NAMES = new Map<string, StaticName>();
STATIC_TABLE.forEach(([name, value], i) => {
  let entry = STATIC_NAMES.get(name);
  if (entry === undefined) {
    entry = { index: i + 1, values: null };
    STATIC_NAMES.set(name, entry);
  }
  // Name-value pairs are unique in the static table.
  if (value !== '') STATIC_NAMES.set(name, { index: entry.index, values: (entry.values ?? new Map<string, number>()).set(value, i + 1) });
});

/**
 * Encodes a header list as one HPACK block without touching any dynamic
 * table: static-table hits become one-octet indexes, everything else a plain
 * (not Huffman) literal. Such a block decodes the same on any connection, so
 * the gateway keeps no encoder state per peer and never needs the peer's
 * SETTINGS_HEADER_TABLE_SIZE. Literals are marked never-indexed: a relay must
 * keep that mark on fields that arrived with it (RFC 7541 section 7.1.3), and
 * marking all of them keeps it without tracking which did.
 */
export function encodeHeaderBlock(headers: RawHeaders): Buffer {
  let bound = 0;
  for (let i = 0; i < headers.length; i++) bound += headers[i]!.length + 6;
  const out = Buffer.allocUnsafe(bound);
  let at = 0;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i]!;
    const value = headers[i + 1]!;
    const known = STATIC_NAMES.get(name);
    const field = known?.values?.get(value);
    if (field !== undefined) {
      out[at++] = 0x80 | field;
      continue;
    }
    if (known === undefined) {
      out[at++] = 0x10;
      at = writeString(out, at, name);
    } else {
      at = writeInteger(out, at, known.index, 4, 0x10);
    }
    at = writeString(out, at, value);
  }
  return out.subarray(0, at);
}

function writeInteger(out: Buffer, at: number, value: number, prefixBits: number, pattern: number): number {
  const mask = (1 << prefixBits) - 1;
  if (value < mask) {
    out[at++] = pattern | value;
    return at;
  }
  out[at++] = pattern | mask;
  let rest = value - mask;
  while (rest >= 0x80) {
    out[at++] = (rest & 0x7f) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[at++] = rest;
  return at;
}

// Below this length a plain loop beats Buffer#write's call into native code.
const SHORT_STRING = 32;

function writeString(out: Buffer, at: number, text: string): number {
  const next = writeInteger(out, at, text.length, 7, 0x00);
  if (text.length >= SHORT_STRING) return next + out.write(text, next, 'latin1');
  for (let i = 0; i < text.length; i++) out[next + i] = text.charCodeAt(i);
  return next + text.length;
}

/**
 * A dynamic table size update (RFC 7541 section 6.3), to open the first
 * header block after the peer announced a SETTINGS_HEADER_TABLE_SIZE: its
 * decoder needs the size acknowledged (section 4.2) even from an encoder that
 * never indexes anything.
 */
export function encodeTableSizeUpdate(size: number): Buffer {
  const out = Buffer.allocUnsafe(6);
  return out.subarray(0, writeInteger(out, 0, size, 5, 0x20));
}
