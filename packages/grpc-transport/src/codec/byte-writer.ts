/** Strings up to this many UTF-16 units try the hand-copied ASCII path. */
const SHORT_STRING = 64;

/**
 * A growable big-endian byte writer. Capacity doubles as needed, so writing N
 * bytes costs amortised O(N); `finish()` returns a Buffer of exactly the bytes written.
 */
export class ByteWriter {
  private buf: Buffer;
  private view: DataView;
  pos = 0;

  constructor(initialCapacity: number) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes room for `n` more bytes. Callers that write in bulk reserve once, then use the unchecked writes. */
  reserve(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.pos++] = v & 0xff;
  }

  i16(v: number): void {
    this.reserve(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
  }

  i32(v: number): void {
    this.reserve(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }

  i64(v: bigint): void {
    this.reserve(8);
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
  }

  /** Writes an int64 given as its high (signed) and low (unsigned) 32-bit halves. */
  i64Parts(hi: number, lo: number): void {
    this.reserve(8);
    this.view.setInt32(this.pos, hi);
    this.view.setUint32(this.pos + 4, lo);
    this.pos += 8;
  }

  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  bytes(src: Uint8Array): void {
    this.reserve(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** Writes `int32 byteLength` + the UTF-8 bytes of `s` (Thrift STRING). */
  lengthPrefixedUtf8(s: string): void {
    const length = s.length;
    // UTF-8 needs at most 3 bytes per UTF-16 unit; reserving that bound avoids measuring the string twice.
    this.reserve(4 + length * 3);
    const buf = this.buf;
    const start = this.pos + 4;
    if (length <= SHORT_STRING) {
      // Short ASCII strings are copied by hand: cheaper than a call into the UTF-8 encoder.
      let i = 0;
      for (; i < length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === length) {
        this.view.setInt32(this.pos, length);
        this.pos = start + length;
        return;
      }
    }
    const n = buf.write(s, start, 'utf8');
    this.view.setInt32(this.pos, n);
    this.pos = start + n;
  }

  /** Writes one byte per entry: 1 where `values[i]` is null or undefined (a Thrift list<bool> body). */
  nullFlags(values: readonly unknown[], n: number): void {
    this.reserve(n);
    const buf = this.buf;
    const at = this.pos;
    for (let i = 0; i < n; i++) {
      const x = values[i];
      buf[at + i] = x === null || x === undefined ? 1 : 0;
    }
    this.pos = at + n;
  }

  /** Writes `int32 byteLength` + raw bytes (Thrift BINARY). */
  lengthPrefixedBytes(src: Uint8Array): void {
    this.i32(src.length);
    this.bytes(src);
  }

  /** The bytes written. The writer must not be used afterwards: the result may share its memory. */
  finish(): Buffer {
    // Hand out a view when most of the allocation is used; copy when a view would pin mostly unused memory.
    if (this.pos * 2 >= this.buf.length) return this.buf.subarray(0, this.pos);
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}
