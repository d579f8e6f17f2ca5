/** Bytes beyond the expected size: the longest single value any caller reserves for in the common case. */
const SLACK = 64;

/**
 * Writes a column of short ASCII texts (dates, timestamps, decimals) into one
 * byte buffer, then hands each out as a slice of a single decoded string.
 * Building each value by string concatenation instead leaves a tree of small
 * strings per value, and the garbage collector pays for every one of them.
 *
 * Callers `reserve` the most bytes a value can take, then write without
 * bounds checks, then `endValue()`.
 */
export class AsciiWriter {
  /** The bytes; writers that know their length write here directly, after `reserve`, and advance `pos`. */
  buf: Buffer;
  /** A view of `buf`, for writers that store several bytes at once. */
  view: DataView;
  pos = 0;
  private ends: Int32Array;

  /** Room for `values` values of `bytesPerValue` bytes, plus slack so the last value's `reserve` for its longest form does not double the buffer. */
  constructor(values: number, bytesPerValue: number) {
    this.buf = Buffer.allocUnsafe(values * bytesPerValue + SLACK);
    this.view = viewOf(this.buf);
    this.ends = new Int32Array(values);
  }

  /** Starts over for another column, as if newly constructed, keeping the memory when it is large enough. */
  reset(values: number, bytesPerValue: number): void {
    this.pos = 0;
    if (this.buf.length < values * bytesPerValue + SLACK) {
      this.buf = Buffer.allocUnsafe(values * bytesPerValue + SLACK);
      this.view = viewOf(this.buf);
    }
    if (this.ends.length < values) this.ends = new Int32Array(values);
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = viewOf(next);
  }

  /** One ASCII character code. */
  char(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** A non-negative integer below 2^53, at least `width` digits (zero-padded). */
  digits(n: number, width: number): void {
    let count = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) count++;
    if (count < width) count = width;
    const end = this.pos + count;
    let x = n;
    for (let p = end - 1; p >= this.pos; p--) {
      const q = Math.floor(x / 10);
      this.buf[p] = 48 + x - q * 10;
      x = q;
    }
    this.pos = end;
  }

  /** An ASCII string, as is. */
  text(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Closes value `index`; values not closed (NULL rows) are empty. */
  endValue(index: number): void {
    this.ends[index] = this.pos;
  }

  decodeAll(): string {
    return this.buf.toString('latin1', 0, this.pos);
  }

  /** Hands values 0..n-1 out into `out`; rows flagged in `nulls[nullAt + r]` (when `nullAt` >= 0) as null. */
  handOut(out: unknown[], n: number, nulls: Buffer, nullAt: number): void {
    const all = this.decodeAll();
    const ends = this.ends;
    let start = 0;
    for (let r = 0; r < n; r++) {
      const end = ends[r]!;
      out[r] = nullAt >= 0 && nulls[nullAt + r] !== 0 ? null : all.substring(start, end);
      start = end;
    }
  }
}

function viewOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}
