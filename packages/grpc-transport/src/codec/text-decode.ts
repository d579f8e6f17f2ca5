import { isAscii } from 'node:buffer';
import { type CellValue } from './types';

// Text columns (STRING, STRUCT, MAP, ARRAY): UTF-8 values into strings.
//
// Decoding each value with Buffer#toString costs a call into the runtime and
// V8's UTF-8 decoder per value, and dominated the decoding of real text
// (accents, CJK, emoji). Instead, one pass transcodes the column's non-ASCII
// values into UTF-16 code units in a scratch array, which becomes one string;
// each value is then a substring of it, as an ASCII value is a substring of
// the column's bytes read as latin1. Only well-formed UTF-8 is transcoded
// here; a value with any malformed sequence is handed to Buffer#toString, so
// its replacement characters are exactly those Node produces.

/** UTF-16 arrays are laid out in the machine's byte order; the transcoded text is read back as UTF-16LE. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
/** Scratch sizes kept between calls; larger columns get arrays of their own, so one huge batch does not pin memory. */
const KEEP_UNITS = 1 << 22;
const KEEP_VALUES = 1 << 18;

let unitScratch = new Uint16Array(1 << 12);
let boundScratch = new Int32Array(1 << 10);

/** Marks in `bounds`: the value is ASCII (a latin1 substring), or malformed (decoded by Buffer#toString). */
const ASCII = -1;
const MALFORMED = -2;

/**
 * Decodes the UTF-8 values `buf[starts[r], ends[r])`, r < n, into `out[r]`;
 * rows flagged in `buf[nullAt + r]` (when `nullAt` >= 0) are null.
 */
export function decodeTexts(buf: Buffer, starts: Int32Array, ends: Int32Array, n: number, nullAt: number, out: CellValue[]): void {
  if (n === 0) return;
  const first = starts[0]!;
  const last = ends[n - 1]!;
  // One latin1 decode of the whole run of values: an ASCII value is then a
  // cheap substring of it (its bytes are its characters).
  if (isAscii(buf.subarray(first, last))) {
    const latin1 = buf.toString('latin1', first, last);
    for (let r = 0; r < n; r++) out[r] = nullAt >= 0 && buf[nullAt + r] !== 0 ? null : latin1.substring(starts[r]! - first, ends[r]! - first);
    return;
  }
  if (!LITTLE_ENDIAN) {
    const latin1 = buf.toString('latin1', first, last);
    for (let r = 0; r < n; r++) {
      if (nullAt >= 0 && buf[nullAt + r] !== 0) out[r] = null;
      else if (isAscii(buf.subarray(starts[r], ends[r]))) out[r] = latin1.substring(starts[r]! - first, ends[r]! - first);
      else out[r] = buf.toString('utf8', starts[r], ends[r]);
    }
    return;
  }
  // Each byte yields at most one code unit (a 4-byte sequence yields two).
  const units = unitArray(last - first);
  const bounds = boundArray(2 * n);
  let p = 0;
  let ascii = false;
  for (let r = 0; r < n; r++) {
    if (nullAt >= 0 && buf[nullAt + r] !== 0) continue;
    const end = transcode(buf, starts[r]!, ends[r]!, units, p);
    if (end === ASCII || end === MALFORMED) {
      bounds[2 * r] = end;
      if (end === ASCII) ascii = true;
    } else {
      bounds[2 * r] = p;
      bounds[2 * r + 1] = end;
      p = end;
    }
  }
  const wide = p === 0 ? '' : Buffer.from(units.buffer, units.byteOffset, p * 2).toString('utf16le');
  const latin1 = ascii ? buf.toString('latin1', first, last) : '';
  for (let r = 0; r < n; r++) {
    if (nullAt >= 0 && buf[nullAt + r] !== 0) {
      out[r] = null;
      continue;
    }
    const at = bounds[2 * r]!;
    if (at >= 0) out[r] = wide.substring(at, bounds[2 * r + 1]);
    else if (at === ASCII) out[r] = latin1.substring(starts[r]! - first, ends[r]! - first);
    else out[r] = buf.toString('utf8', starts[r], ends[r]);
  }
}

/**
 * Writes the UTF-16 code units of the UTF-8 bytes `buf[s, e)` into `units`
 * from `p`; returns the index after the last, or ASCII when every byte is
 * ASCII (nothing kept), or MALFORMED at the first sequence that is not
 * well-formed UTF-8 (overlong, surrogate, past U+10FFFF, or cut short).
 */
function transcode(buf: Buffer, s: number, e: number, units: Uint16Array, p: number): number {
  let k = s;
  let q = p;
  let high = 0;
  while (k < e) {
    const b = buf[k]!;
    if (b < 0x80) {
      units[q++] = b;
      k++;
      continue;
    }
    high = 1;
    if (b < 0xc2) return MALFORMED;
    if (b < 0xe0) {
      if (k + 1 >= e) return MALFORMED;
      const c1 = buf[k + 1]!;
      if ((c1 & 0xc0) !== 0x80) return MALFORMED;
      units[q++] = ((b & 0x1f) << 6) | (c1 & 0x3f);
      k += 2;
    } else if (b < 0xf0) {
      if (k + 2 >= e) return MALFORMED;
      const c1 = buf[k + 1]!;
      const c2 = buf[k + 2]!;
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return MALFORMED;
      const cp = ((b & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return MALFORMED;
      units[q++] = cp;
      k += 3;
    } else {
      if (b > 0xf4 || k + 3 >= e) return MALFORMED;
      const c1 = buf[k + 1]!;
      const c2 = buf[k + 2]!;
      const c3 = buf[k + 3]!;
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) return MALFORMED;
      const cp = ((b & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
      if (cp < 0x10000 || cp > 0x10ffff) return MALFORMED;
      units[q++] = 0xd7c0 + (cp >> 10);
      units[q++] = 0xdc00 | (cp & 0x3ff);
      k += 4;
    }
  }
  return high === 0 ? ASCII : q;
}

function unitArray(size: number): Uint16Array {
  if (size <= unitScratch.length) return unitScratch;
  const units = new Uint16Array(size);
  if (size <= KEEP_UNITS) unitScratch = units;
  return units;
}

function boundArray(size: number): Int32Array {
  if (size <= boundScratch.length) return boundScratch;
  const bounds = new Int32Array(size);
  if (size <= KEEP_VALUES * 2) boundScratch = bounds;
  return bounds;
}
