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
  pos = 0;
  private readonly ends: Int32Array;

  constructor(values: number, bytesPerValue: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, values * bytesPerValue));
    this.ends = new Int32Array(values);
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
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

  /** Value `index` out of `all` (the result of `decodeAll`). */
  valueOf(all: string, index: number): string {
    return all.substring(index === 0 ? 0 : this.ends[index - 1]!, this.ends[index]);
  }

  decodeAll(): string {
    return this.buf.toString('latin1', 0, this.pos);
  }
}
