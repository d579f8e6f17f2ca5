import fc from 'fast-check';
import { decodeChunk, VectorType as VT } from '@e6data-ts/grpc-transport';
import { D, T, data, field, list, oneColumn, str } from '../../support/vectors/thrift-builder';

// Text columns decode UTF-8 on a fast path of their own (one transcoding pass
// per column); whatever the bytes, each value must read exactly as Node's
// own UTF-8 decoder reads it, malformed sequences and all.

function textColumn(values: Uint8Array[], nulls: boolean[] = values.map(() => false), type: number = VT.STRING): Buffer {
  return oneColumn({
    size: values.length,
    type,
    nulls,
    data: data(D.varcharData, field(T.LIST, 1, list(T.STRING, values.map((v) => str(v))))),
    constant: false,
  });
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const decoded = (values: Uint8Array[], nulls?: boolean[], type?: number): unknown[] => decodeChunk(textColumn(values, nulls, type)).rows.map((r) => r[0]);

/** Byte sequences that stress a UTF-8 decoder: pieces of valid text, lone continuation bytes, cut sequences, overlongs, surrogates, beyond U+10FFFF. */
const piece = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 6 }).map(utf8),
  fc.string({ unit: 'binary', maxLength: 6 }).map(utf8),
  fc.constantFrom(
    [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc3], [0xe2, 0x82], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf],
    [0xf0, 0x9f, 0x98], [0xf0, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xff], [0xfe], [0x00],
    [0xef, 0xbb, 0xbf], [0xf0, 0x9f, 0x98, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xee, 0x80, 0x80], [0xc2, 0x80], [0xdf, 0xbf],
  ).map((b) => Uint8Array.from(b)),
  fc.uint8Array({ maxLength: 8 }),
);
const value = fc.array(piece, { maxLength: 5 }).map((parts) => Buffer.concat(parts));

describe('text columns', () => {
  it('decode every value as Buffer#toString("utf8") does, for random and malformed bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.boolean()), { maxLength: 30 }), (cells) => {
        const values = cells.map(([v]) => v);
        const nulls = cells.map(([, n]) => n);
        expect(decoded(values, nulls)).toEqual(values.map((v, r) => (nulls[r] ? null : Buffer.from(v).toString('utf8'))));
      }),
      { numRuns: 1500 },
    );
  });

  it('mix ASCII, Latin-1, BMP and astral values in one column, each intact', () => {
    const texts = ['plain ascii value', 'Zoë', '東京都新宿区', '🎉👍🏽', '', 'a', 'Ångström café', '👨‍👩‍👧 family', 'x'.repeat(300), 'Москва'];
    expect(decoded(texts.map(utf8))).toEqual(texts);
    expect(decoded(texts.map(utf8), undefined, VT.MAP)).toEqual(texts);
  });

  it('keep a malformed value next to well-formed ones from changing them', () => {
    const values = [utf8('café'), Uint8Array.of(0x61, 0xc3), utf8('é'), Uint8Array.of(0xed, 0xa0, 0x80), utf8('東')];
    expect(decoded(values)).toEqual(['café', 'a\ufffd', 'é', '\ufffd\ufffd\ufffd', '東']);
  });

  it('read a NULL row as null whatever bytes its placeholder holds', () => {
    const values = [utf8('ñ'), Uint8Array.of(0xff, 0xfe), utf8('ok')];
    expect(decoded(values, [false, true, true])).toEqual(['ñ', null, null]);
  });

  it('decode long values whose length prefixes hold bytes of 0x80 and above', () => {
    const long = ['é'.repeat(200), 'a'.repeat(0xc3), '語'.repeat(1000)];
    expect(decoded(long.map(utf8))).toEqual(long);
  });

  it('decode a column whose flags say nothing is NULL (no nullSet) as all values', () => {
    const bytes = oneColumn({ size: 2, type: VT.STRING, data: data(D.varcharData, field(T.LIST, 1, list(T.STRING, [str('ü'), str('v')]))) });
    expect(decodeChunk(bytes).rows).toEqual([['ü'], ['v']]);
  });
});
