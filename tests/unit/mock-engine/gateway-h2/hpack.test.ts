// HPACK as the gateway's HTTP/2 layer reads and writes it: the published
// RFC 7541 Appendix C vectors, round trips, and every way a block can be bad.
import fc from 'fast-check';
import { h2 } from '@e6data-ts/mock-engine/internal';
import { thrownBy } from '../../../support/expected-error';

const hex = (text: string): Buffer => Buffer.from(text, 'hex');
const pairs = (headers: string[]): Array<[string, string]> =>
  Array.from({ length: headers.length / 2 }, (_, i) => [headers[2 * i]!, headers[2 * i + 1]!]);

/** A Huffman encoder written from the code table alone: the oracle for the decoder. */
function huffman(text: string): Buffer {
  let bits = '';
  for (const char of text) {
    const [code, length] = h2.HUFFMAN_CODES[char.charCodeAt(0)]!;
    bits += code.toString(2).padStart(length, '0');
  }
  bits += '1'.repeat((8 - (bits.length % 8)) % 8);
  return Buffer.from(Array.from({ length: bits.length / 8 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2)));
}

function compressionError(fn: () => unknown): h2.Http2ProtocolError {
  const err = thrownBy(fn, h2.Http2ProtocolError);
  expect(err.http2Code).toBe(h2.ERROR_COMPRESSION);
  expect(err.streamId).toBeNull();
  return err;
}

// RFC 7541 Appendix C: each group shares one decoder; C.5 and C.6 run with a 256-octet table.
const RFC_7541_C: Array<{ group: string; limit: number; blocks: Array<{ hex: string; size: number; headers: Array<[string, string]> }> }> = [
  {
    group: 'C.2.1 literal with indexing',
    limit: 4096,
    blocks: [{ hex: '400a637573746f6d2d6b65790d637573746f6d2d686561646572', size: 55, headers: [['custom-key', 'custom-header']] }],
  },
  { group: 'C.2.2 literal without indexing', limit: 4096, blocks: [{ hex: '040c2f73616d706c652f70617468', size: 0, headers: [[':path', '/sample/path']] }] },
  { group: 'C.2.3 literal never indexed', limit: 4096, blocks: [{ hex: '100870617373776f726406736563726574', size: 0, headers: [['password', 'secret']] }] },
  { group: 'C.2.4 indexed field', limit: 4096, blocks: [{ hex: '82', size: 0, headers: [[':method', 'GET']] }] },
  {
    group: 'C.3 requests without Huffman',
    limit: 4096,
    blocks: [
      { hex: '828684410f7777772e6578616d706c652e636f6d', size: 57, headers: [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']] },
      {
        hex: '828684be58086e6f2d6361636865',
        size: 110,
        headers: [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']],
      },
      {
        hex: '828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565',
        size: 164,
        headers: [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']],
      },
    ],
  },
  {
    group: 'C.4 requests with Huffman',
    limit: 4096,
    blocks: [
      { hex: '828684418cf1e3c2e5f23a6ba0ab90f4ff', size: 57, headers: [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']] },
      {
        hex: '828684be5886a8eb10649cbf',
        size: 110,
        headers: [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']],
      },
      {
        hex: '828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf',
        size: 164,
        headers: [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']],
      },
    ],
  },
  {
    group: 'C.5 responses without Huffman (evictions)',
    limit: 256,
    blocks: [
      {
        hex: '4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d',
        size: 222,
        headers: [[':status', '302'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']],
      },
      {
        hex: '4803333037c1c0bf',
        size: 222,
        headers: [[':status', '307'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']],
      },
      {
        hex: '88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31',
        size: 215,
        headers: [
          [':status', '200'],
          ['cache-control', 'private'],
          ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'],
          ['location', 'https://www.example.com'],
          ['content-encoding', 'gzip'],
          ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
        ],
      },
    ],
  },
  {
    group: 'C.6 responses with Huffman (evictions)',
    limit: 256,
    blocks: [
      {
        hex: '488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3',
        size: 222,
        headers: [[':status', '302'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']],
      },
      {
        hex: '4883640effc1c0bf',
        size: 222,
        headers: [[':status', '307'], ['cache-control', 'private'], ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'], ['location', 'https://www.example.com']],
      },
      {
        hex: '88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007',
        size: 215,
        headers: [
          [':status', '200'],
          ['cache-control', 'private'],
          ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'],
          ['location', 'https://www.example.com'],
          ['content-encoding', 'gzip'],
          ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
        ],
      },
    ],
  },
];

describe('HpackDecoder', () => {
  it.each(RFC_7541_C)('decodes RFC 7541 $group with the table size the RFC lists after each block', ({ limit, blocks }) => {
    const decoder = new h2.HpackDecoder(limit);
    for (const block of blocks) {
      expect(pairs(decoder.decode(hex(block.hex)))).toEqual(block.headers);
      expect(decoder.tableSize()).toBe(block.size);
    }
  });

  it('reads integers with any prefix (RFC 7541 C.1)', () => {
    expect(h2.readInteger(Buffer.from([0x0a]), 0, 5)).toEqual([10, 1]);
    expect(h2.readInteger(Buffer.from([0x1f, 0x9a, 0x0a]), 0, 5)).toEqual([1337, 3]);
    expect(h2.readInteger(Buffer.from([0x2a]), 0, 8)).toEqual([42, 1]);
    // The bits above the prefix belong to the representation, not the number.
    expect(h2.readInteger(Buffer.from([0xea]), 0, 5)).toEqual([10, 1]);
  });

  it('refuses integers that are cut off or absurdly large', () => {
    expect(compressionError(() => h2.readInteger(Buffer.from([0x1f, 0x9a]), 0, 5)).message).toBe('HPACK integer cut off');
    expect(compressionError(() => h2.readInteger(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0x0f]), 0, 7)).message).toBe('HPACK integer too large');
  });

  it('applies a table size update: entries are evicted and no longer addressable', () => {
    const decoder = new h2.HpackDecoder(4096);
    decoder.decode(hex('828684410f7777772e6578616d706c652e636f6d'));
    expect(decoder.tableSize()).toBe(57);
    expect(pairs(decoder.decode(Buffer.from([0x20, 0x82])))).toEqual([[':method', 'GET']]);
    expect(decoder.tableSize()).toBe(0);
    expect(compressionError(() => decoder.decode(Buffer.from([0xbe]))).message).toBe('HPACK index 62 is past the table');
  });

  it('empties the table for an entry larger than the whole table, and keeps nothing', () => {
    const decoder = new h2.HpackDecoder(64);
    decoder.decode(Buffer.from([0x40, 0x01, 0x61, 0x01, 0x62]));
    expect(decoder.tableSize()).toBe(34);
    const big = 'x'.repeat(40);
    expect(pairs(decoder.decode(Buffer.from([0x40, 0x01, 0x63, big.length, ...Buffer.from(big)])))).toEqual([['c', big]]);
    expect(decoder.tableSize()).toBe(0);
  });

  it.each([
    ['index 0', [0x80], 'HPACK index 0'],
    ['an index past the static and dynamic tables', [0xbe], 'HPACK index 62 is past the table'],
    ['a literal without its name', [0x40], 'HPACK string cut off'],
    ['a table size update after a field', [0x82, 0x20], 'HPACK table size update after a header field'],
    ['a table size update past the announced limit', [0x3f, 0xe2, 0x1f], 'HPACK table size 4097 exceeds the announced 4096'],
    ['a string longer than the block', [0x40, 0x05, 0x61], 'HPACK string cut off'],
    ['a literal whose value is missing', [0x40, 0x01, 0x61], 'HPACK string cut off'],
    ['a Huffman string holding EOS', [0x40, 0x01, 0x61, 0x84, 0xff, 0xff, 0xff, 0xff], 'HPACK Huffman string holds EOS'],
    // 'a' (5 bits) first, so EOS ends in the high half of an octet.
    ['a Huffman string holding EOS after a symbol', [0x40, 0x01, 0x61, 0x85, 0x1f, 0xff, 0xff, 0xff, 0xff], 'HPACK Huffman string holds EOS'],
    ['Huffman padding longer than 7 bits', [0x40, 0x01, 0x61, 0x82, 0x1f, 0xff], 'HPACK Huffman string has invalid padding'],
    ['Huffman padding of zeros', [0x40, 0x01, 0x61, 0x81, 0x18], 'HPACK Huffman string has invalid padding'],
    // Zero continuation octets add nothing, but without a bound the shift runs to Infinity and the value to NaN.
    ['an index with 148 zero continuation octets', [0xff, ...Array(148).fill(0x80), 0x00], 'HPACK integer has too many octets'],
    ['a Huffman string length with 148 zero continuation octets', [0x00, 0xff, ...Array(148).fill(0x80), 0x00], 'HPACK integer has too many octets'],
    ['a table size update with 148 zero continuation octets', [0x3f, ...Array(148).fill(0x80), 0x00], 'HPACK integer has too many octets'],
  ])('refuses %s with COMPRESSION_ERROR', (_what, bytes, message) => {
    expect(compressionError(() => new h2.HpackDecoder(4096).decode(Buffer.from(bytes))).message).toBe(message);
  });

  it('takes integers below 2^28 in four continuation octets, and padded with zero octets', () => {
    // 127 + 0x7f + 0x7f * 128 + 0x7f * 128^2 + 0x7e * 128^3: an index past the table, but a well-formed integer.
    expect(compressionError(() => new h2.HpackDecoder(4096).decode(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7e]))).message).toBe('HPACK index 266338430 is past the table');
    // 127 + 1, spelled with redundant zero octets (legal, if wasteful): index 128 is past the table too.
    expect(compressionError(() => new h2.HpackDecoder(4096).decode(Buffer.from([0xff, 0x81, 0x80, 0x80, 0x00]))).message).toBe('HPACK index 128 is past the table');
  });

  it('decodes any octets to a header list or a COMPRESSION_ERROR, never another exception', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 60 }), { maxLength: 4 }), (blocks) => {
        const decoder = new h2.HpackDecoder(256, 1_000);
        for (const block of blocks) {
          try {
            decoder.decode(Buffer.from(block));
          } catch (err) {
            expect(err).toBeInstanceOf(h2.Http2ProtocolError);
            return;
          }
          expect(decoder.tableSize()).toBeLessThanOrEqual(256);
        }
      }),
      { seed: 7, numRuns: 2_000 },
    );
  });

  it('decodes an HPACK bomb past the list limit for the table, keeping none of its fields', () => {
    const decoder = new h2.HpackDecoder(4096, 10_000);
    const value = 'v'.repeat(4_000);
    const insert = Buffer.concat([Buffer.from([0x40, 0x01, 0x62, 0x7f, 0xa1, 0x1e]), Buffer.from(value)]);
    // One 4 KB entry, then 10,000 one-octet references to it: 40 MB of header list from 10 KB.
    const { headers, oversized } = decoder.decodeBlock(Buffer.concat([insert, Buffer.alloc(10_000, 0xbe)]));
    expect(oversized).toBe(true);
    expect(headers.length).toBeLessThanOrEqual(6);
    // The table stays in step: the next block may refer to the entry.
    expect(decoder.decodeBlock(Buffer.from([0xbe]))).toEqual({ headers: ['b', value], oversized: false });
  });

  it('counts 32 octets per field towards the list limit (RFC 9113 section 6.5.2)', () => {
    const decoder = new h2.HpackDecoder(4096, 34);
    expect(decoder.decodeBlock(Buffer.from([0x10, 0x01, 0x61, 0x01, 0x62]))).toEqual({ headers: ['a', 'b'], oversized: false });
    expect(decoder.decodeBlock(Buffer.from([0x10, 0x01, 0x61, 0x02, 0x62, 0x63])).oversized).toBe(true);
  });
});

describe('decodeHuffman', () => {
  it('decodes what the RFC code table encodes, for any octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (octets) => {
        const text = Buffer.from(octets).toString('latin1');
        const encoded = huffman(text);
        expect(h2.decodeHuffman(encoded, 0, encoded.length)).toBe(text);
      }),
    );
  });

  it('decodes only the given range of a larger buffer', () => {
    const encoded = huffman('no-cache');
    const framed = Buffer.concat([Buffer.from([0xff, 0x00]), encoded, Buffer.from([0x00])]);
    expect(h2.decodeHuffman(framed, 2, 2 + encoded.length)).toBe('no-cache');
    expect(h2.decodeHuffman(framed, 2, 2)).toBe('');
  });
});

describe('encodeHeaderBlock', () => {
  const headerName = fc.stringMatching(/^[a-z0-9-]{1,40}$/);
  const latin1 = fc.uint8Array({ maxLength: 300 }).map((octets) => Buffer.from(octets).toString('latin1'));
  const staticField = fc.constantFrom(...h2.STATIC_TABLE.map(([name, value]) => [name, value] as [string, string]));
  const field = fc.oneof(fc.tuple(headerName, latin1), staticField, fc.tuple(fc.constantFrom(...h2.STATIC_TABLE.map(([name]) => name)), latin1));

  it('round-trips any header list through a decoder, leaving its dynamic table empty', () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 30 }), (fields) => {
        const headers = fields.flat();
        const decoder = new h2.HpackDecoder(4096);
        expect(decoder.decode(h2.encodeHeaderBlock(headers))).toEqual(headers);
        expect(decoder.tableSize()).toBe(0);
      }),
    );
  });

  it('encodes a dynamic table size update (RFC 7541 section 6.3) that a decoder takes', () => {
    expect([...h2.encodeTableSizeUpdate(0)]).toEqual([0x20]);
    expect([...h2.encodeTableSizeUpdate(4096)]).toEqual([0x3f, 0xe1, 0x1f]);
    const decoder = new h2.HpackDecoder(4096);
    expect(decoder.decode(Buffer.concat([h2.encodeTableSizeUpdate(100), h2.encodeHeaderBlock([':status', '200'])]))).toEqual([':status', '200']);
  });

  it('uses one octet for a static-table field and a never-indexed literal otherwise', () => {
    expect([...h2.encodeHeaderBlock([':method', 'POST', ':status', '200'])]).toEqual([0x83, 0x88]);
    // :path has static index 4: never-indexed (0001) with the name's index, then a plain string.
    expect([...h2.encodeHeaderBlock([':path', '/x'])]).toEqual([0x14, 0x02, 0x2f, 0x78]);
    // user-agent (58) needs a second octet for its index: 15 + 43.
    expect([...h2.encodeHeaderBlock(['user-agent', 'u'])]).toEqual([0x1f, 0x2b, 0x01, 0x75]);
    expect([...h2.encodeHeaderBlock(['x', ''])]).toEqual([0x10, 0x01, 0x78, 0x00]);
  });
});
