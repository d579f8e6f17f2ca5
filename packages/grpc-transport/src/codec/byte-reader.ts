import { DecodeError } from './codec-error';

/**
 * Big-endian reads over a Buffer with a moving offset. Every read checks the
 * bytes left first and raises `DecodeError('TRUNCATED')` instead of reading
 * past the end, so a short or lying input can never yield garbage values.
 */
export class ByteReader {
  readonly buf: Buffer;
  readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  /** Claims `n` bytes and returns the offset they start at. */
  take(n: number, what: string): number {
    const at = this.pos;
    if (n > this.end - at) {
      throw new DecodeError('TRUNCATED', `input ends inside ${what}: ${n} bytes needed, ${this.end - at} left`, at);
    }
    this.pos = at + n;
    return at;
  }

  u8(what: string): number {
    return this.buf[this.take(1, what)]!;
  }

  i16(what: string): number {
    return this.view.getInt16(this.take(2, what));
  }

  u16(what: string): number {
    return this.view.getUint16(this.take(2, what));
  }

  i32(what: string): number {
    return this.view.getInt32(this.take(4, what));
  }

  i64(what: string): bigint {
    return this.view.getBigInt64(this.take(8, what));
  }
}
