import fc from 'fast-check';
import { DecodeError, EncodeError, decodeResultMetadata, encodeResultMetadata, type ResultMetadata } from '@e6data-ts/grpc-transport';

// Result metadata (docs/wire.md 6.1): Java DataOutputStream, big-endian int64 row
// count, int32 field count, then four writeUTF strings per field.

/** Java's writeUTF of an ASCII string: uint16 length + bytes. */
const utf = (s: string): Buffer => Buffer.concat([Buffer.of(s.length >> 8, s.length & 0xff), Buffer.from(s, 'latin1')]);
const header = (rowCount: bigint, fields: number): Buffer => {
  const b = Buffer.alloc(12);
  b.writeBigInt64BE(rowCount, 0);
  b.writeInt32BE(fields, 8);
  return b;
};

function decodeError(bytes: Buffer): DecodeError {
  try {
    decodeResultMetadata(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error('decodeResultMetadata accepted malformed input');
}

describe('decodeResultMetadata', () => {
  it('reads the Java layout field by field', () => {
    const bytes = Buffer.concat([header(7n, 2), utf('id'), utf('LONG'), utf('UTC'), utf(''), utf('ts'), utf('TIMESTAMP_TZ'), utf('Asia/Kolkata'), utf('yyyy-MM-dd')]);
    expect(decodeResultMetadata(bytes)).toEqual({
      rowCount: 7,
      columns: [
        { name: 'id', type: 'LONG', zone: 'UTC', format: '' },
        { name: 'ts', type: 'TIMESTAMP_TZ', zone: 'Asia/Kolkata', format: 'yyyy-MM-dd' },
      ],
    });
  });

  it('accepts zero columns and a negative (unknown) row count', () => {
    expect(decodeResultMetadata(header(-1n, 0))).toEqual({ rowCount: -1, columns: [] });
  });

  it('refuses a row count beyond the safe integer range', () => {
    const err = decodeError(header(2n ** 53n, 0));
    expect(err.code).toBe('BAD_VALUE');
    expect(err.offset).toBe(0);
  });

  it.each([
    ['negative', -1],
    ['larger than the bytes could hold', 1000],
    ['2^31 - 1', 0x7fffffff],
  ])('refuses a field count that is %s', (_name, count) => {
    const err = decodeError(Buffer.concat([header(0n, count), utf('a'), utf('LONG'), utf(''), utf('')]));
    expect(err.code).toBe('BAD_LENGTH');
    expect(err.offset).toBe(8);
  });

  it('every proper prefix of valid metadata raises DecodeError', () => {
    const full = encodeResultMetadata({ rowCount: 3, columns: [{ name: 'naïve\u0000😀', type: 'STRING', zone: 'UTC', format: '' }, { name: 'b', type: 'LONG', zone: '', format: 'x' }] });
    for (let n = 0; n < full.length; n++) {
      const err = decodeError(full.subarray(0, n));
      expect(['TRUNCATED', 'BAD_LENGTH', 'BAD_VALUE']).toContain(err.code);
    }
  });

  it('a string length past the end is TRUNCATED at its offset', () => {
    const bytes = Buffer.concat([header(0n, 1), Buffer.of(0x00, 0x50), Buffer.from('a short name')]);
    const err = decodeError(bytes);
    expect(err.code).toBe('TRUNCATED');
    expect(err.offset).toBe(14);
  });
});

describe('modified UTF-8', () => {
  it.each([
    ['NUL as C0 80', '\u0000', [0xc0, 0x80]],
    ['ASCII as itself', 'A', [0x41]],
    ['two-byte é', 'é', [0xc3, 0xa9]],
    ['three-byte ✓', '✓', [0xe2, 0x9c, 0x93]],
    ['an emoji as a CESU-8 surrogate pair', '😀', [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]],
    ['a lone surrogate as itself', '\ud800', [0xed, 0xa0, 0x80]],
  ])('encodes %s, and decodes it back', (_name, text, bytes) => {
    const meta: ResultMetadata = { rowCount: 0, columns: [{ name: text, type: 'STRING', zone: '', format: '' }] };
    const encoded = encodeResultMetadata(meta);
    expect([...encoded.subarray(14, 14 + bytes.length)]).toEqual(bytes);
    expect(encoded.readUInt16BE(12)).toBe(bytes.length);
    expect(decodeResultMetadata(encoded)).toEqual(meta);
  });

  it('also reads plain UTF-8 4-byte sequences and raw NUL bytes, which non-Java writers send', () => {
    const name = Buffer.from([0xf0, 0x9f, 0x98, 0x80, 0x00, 0x41]);
    const bytes = Buffer.concat([header(0n, 1), Buffer.of(0, name.length), name, utf('STRING'), utf(''), utf('')]);
    expect(decodeResultMetadata(bytes).columns[0]!.name).toBe('😀\u0000A');
  });

  it('reads a long non-ASCII name', () => {
    const name = 'é'.repeat(20_000);
    const meta: ResultMetadata = { rowCount: 1, columns: [{ name, type: 'STRING', zone: '', format: '' }] };
    expect(decodeResultMetadata(encodeResultMetadata(meta))).toEqual(meta);
  });

  it.each([
    ['a stray continuation byte', [0x80]],
    ['a two-byte lead at the end', [0xc3]],
    ['a three-byte sequence cut short', [0xe2, 0x9c]],
    ['a bad continuation byte', [0xe2, 0x41, 0x93]],
    ['a four-byte sequence past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['an overlong four-byte sequence', [0xf0, 0x80, 0x80, 0x80]],
    ['a five-byte lead', [0xf8, 0x80, 0x80, 0x80, 0x80]],
  ])('refuses %s', (_name, raw) => {
    const name = Buffer.from(raw);
    const bytes = Buffer.concat([header(0n, 1), Buffer.of(0, name.length), name, utf('STRING'), utf(''), utf('')]);
    const err = decodeError(bytes);
    expect(err.code).toBe('BAD_VALUE');
    expect(err.offset).toBeGreaterThanOrEqual(14);
  });
});

describe('encodeResultMetadata', () => {
  it('writes the reference layout', () => {
    const bytes = encodeResultMetadata({ rowCount: 4, columns: [{ name: 'id', type: 'LONG', zone: 'UTC', format: '' }] });
    expect(bytes.toString('hex')).toBe('0000000000000004000000010002696400044c4f4e4700035554430000');
  });

  it('refuses a string longer than 65535 bytes, naming the column and part', () => {
    const meta: ResultMetadata = { rowCount: 0, columns: [{ name: 'a', type: 'STRING', zone: '', format: '' }, { name: 'b', type: 'STRING', zone: '€'.repeat(30_000), format: '' }] };
    const err = (() => {
      try {
        encodeResultMetadata(meta);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(EncodeError);
    expect((err as EncodeError).code).toBe('OUT_OF_RANGE');
    expect((err as EncodeError).message).toMatch(/column 1 zone is 90000 bytes/);
  });

  it('takes exactly 65535 bytes', () => {
    const meta: ResultMetadata = { rowCount: 0, columns: [{ name: 'x'.repeat(65_535), type: 'STRING', zone: '', format: '' }] };
    expect(decodeResultMetadata(encodeResultMetadata(meta))).toEqual(meta);
  });

  it.each([Number.NaN, 1.5, 2 ** 53])('refuses row count %p', (rowCount) => {
    expect(() => encodeResultMetadata({ rowCount, columns: [] })).toThrow(EncodeError);
  });
});

describe('metadata round trips (property)', () => {
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('', '\u0000', '\ud83d', 'UTC', 'Asia/Kolkata'));
  const column = fc.record({ name: text, type: text, zone: text, format: text });
  const meta = fc.record({ rowCount: fc.maxSafeInteger().map((n) => n), columns: fc.array(column, { maxLength: 8 }) });

  it('decode(encode(m)) equals m for any strings, lone surrogates included', () => {
    fc.assert(
      fc.property(meta, (m) => {
        expect(decodeResultMetadata(encodeResultMetadata(m))).toEqual(m);
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes only ever raise DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeResultMetadata(Buffer.from(bytes));
        } catch (err) {
          expect(err).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
