import { DecodeError } from './codec-error';

// Java's "modified UTF-8" (DataOutputStream.writeUTF): NUL travels as C0 80 and
// characters outside the BMP as two 3-byte surrogates (CESU-8). Decoding also
// accepts plain UTF-8 4-byte sequences and a raw 00 byte, which non-Java
// writers produce; anything else malformed is a DecodeError, as in Java.

/** Decodes `buf[start, end)`; `end - start` is the uint16 length that preceded it. */
export function decodeModifiedUtf8(buf: Buffer, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return buf.toString('latin1', start, end);
  const units: number[] = [];
  let i = start;
  while (i < end) {
    const b0 = buf[i]!;
    if (b0 < 0x80) {
      units.push(b0);
      i += 1;
    } else if ((b0 & 0xe0) === 0xc0) {
      const b1 = continuation(buf, i, 1, end);
      units.push(((b0 & 0x1f) << 6) | b1);
      i += 2;
    } else if ((b0 & 0xf0) === 0xe0) {
      const b1 = continuation(buf, i, 1, end);
      const b2 = continuation(buf, i, 2, end);
      units.push(((b0 & 0x0f) << 12) | (b1 << 6) | b2);
      i += 3;
    } else if ((b0 & 0xf8) === 0xf0) {
      const b1 = continuation(buf, i, 1, end);
      const b2 = continuation(buf, i, 2, end);
      const b3 = continuation(buf, i, 3, end);
      const cp = ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3;
      if (cp < 0x10000 || cp > 0x10ffff) throw malformed(i);
      units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
      i += 4;
    } else {
      throw malformed(i);
    }
  }
  let out = '';
  // String.fromCharCode takes its units as arguments; stay well below engine argument limits.
  for (let k = 0; k < units.length; k += 8192) out += String.fromCharCode(...units.slice(k, k + 8192));
  return out;
}

function continuation(buf: Buffer, lead: number, k: number, end: number): number {
  const at = lead + k;
  if (at >= end) throw malformed(lead);
  const b = buf[at]!;
  if ((b & 0xc0) !== 0x80) throw malformed(lead);
  return b & 0x3f;
}

function malformed(at: number): DecodeError {
  return new DecodeError('BAD_VALUE', 'malformed modified UTF-8 sequence in result metadata', at);
}

/** Byte length of `s` in modified UTF-8. */
export function modifiedUtf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c >= 0x01 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
  }
  return n;
}

/** Encodes `s` into `out` at `at`; returns the offset after the last byte. `out` must have `modifiedUtf8Length(s)` bytes free. */
export function writeModifiedUtf8(s: string, out: Buffer, at: number): number {
  let p = at;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) {
      out[p++] = c;
    } else if (c <= 0x7ff) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
    } else {
      out[p++] = 0xe0 | (c >> 12);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}
