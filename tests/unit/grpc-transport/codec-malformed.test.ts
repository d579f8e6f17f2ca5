import { DecodeError, decodeChunk, encodeChunk, VectorType as VT, type DecodeErrorCode } from '@e6data-ts/grpc-transport';
import { D, T, bool, chunk, data, f64, field, i16, i32, i64, i8, int128, list, oneColumn, str, struct, vector } from '../../support/vectors/thrift-builder';

// Malformed input raises DecodeError with a code and the byte offset of the
// defect: never another error type, a hang, or an allocation sized by a lie.

const listOf = (elem: number, items: Buffer[]): Buffer => field(T.LIST, 1, list(elem, items));
const longs = (values: bigint[]): Buffer => data(D.int64Data, listOf(T.I64, values.map(i64)));
const good = (): Buffer => oneColumn({ size: 2, type: VT.LONG, nulls: [false, false], data: longs([1n, 2n]), constant: false });

function decodeError(bytes: Buffer, options?: Parameters<typeof decodeChunk>[1]): DecodeError {
  try {
    decodeChunk(bytes, options);
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error('decodeChunk accepted malformed input');
}

describe('DecodeError', () => {
  it('carries code, offset and a message naming the problem and the offset', () => {
    const err = decodeError(good().subarray(0, 10));
    expect(err.name).toBe('DecodeError');
    expect(err.code).toBe('TRUNCATED');
    expect(err.offset).toBeGreaterThanOrEqual(0);
    expect(err.offset).toBeLessThanOrEqual(10);
    expect(err.message).toMatch(/at byte \d+/);
    expect(err).toBeInstanceOf(Error);
  });
});

describe('truncated input', () => {
  it('every proper prefix of a valid chunk raises DecodeError', () => {
    const full = encodeChunk({
      vectors: [
        { type: 'LONG', values: [1n, null] },
        { type: 'STRING', values: ['a', 'bc'] },
        { type: 'TIMESTAMP_TZ', values: ['2024-01-02T08:30:00.000000+05:30', null] },
        { type: 'DECIMAL128', values: ['1.5', '-2'] },
      ],
    });
    expect(decodeChunk(full).rowCount).toBe(2);
    for (let n = 1; n < full.length; n++) {
      const err = decodeError(full.subarray(0, n));
      expect(['TRUNCATED', 'BAD_LENGTH']).toContain(err.code);
      expect(err.offset).toBeLessThanOrEqual(n);
    }
  });
});

interface Case {
  name: string;
  bytes: Buffer;
  code: DecodeErrorCode;
}

const vec = (fields: Buffer[]): Buffer => chunk(2, [struct(...fields)]);
const size2 = field(T.I32, 1, i32(2));
const long = field(T.I32, 2, i32(VT.LONG));
const nulls2 = field(T.LIST, 3, list(T.BOOL, [bool(false), bool(false)]));
const data2 = field(T.STRUCT, 4, longs([1n, 2n]));

const cases: Case[] = [
  // Wrong type codes for known fields.
  { name: 'Chunk.size sent as i64', bytes: struct(field(T.I64, 1, i64(2))), code: 'BAD_TYPE' },
  { name: 'Chunk.vectors sent as a set', bytes: struct(size2, field(T.SET, 2, list(T.STRUCT, []))), code: 'BAD_TYPE' },
  { name: 'Chunk.vectors holding strings', bytes: struct(size2, field(T.LIST, 2, list(T.STRING, [str('x')]))), code: 'BAD_TYPE' },
  { name: 'Vector.size sent as i16', bytes: vec([field(T.I16, 1, i16(2))]), code: 'BAD_TYPE' },
  { name: 'Vector.vectorType sent as string', bytes: vec([size2, field(T.STRING, 2, str('LONG'))]), code: 'BAD_TYPE' },
  { name: 'Vector.nullSet holding i32s', bytes: vec([size2, long, field(T.LIST, 3, list(T.I32, [i32(0), i32(0)]))]), code: 'BAD_TYPE' },
  { name: 'Vector.nullSet sent as a struct', bytes: vec([size2, long, field(T.STRUCT, 3, struct())]), code: 'BAD_TYPE' },
  { name: 'Vector.data sent as a list', bytes: vec([size2, long, nulls2, field(T.LIST, 4, list(T.I64, []))]), code: 'BAD_TYPE' },
  { name: 'Vector.isConstantVector sent as i32', bytes: vec([size2, long, nulls2, data2, field(T.I32, 5, i32(1))]), code: 'BAD_TYPE' },
  { name: 'Vector.zoneOffset sent as i32', bytes: vec([size2, long, nulls2, data2, field(T.I32, 6, i32(1))]), code: 'BAD_TYPE' },
  { name: 'Vector.format sent as bool', bytes: vec([size2, long, nulls2, data2, field(T.BOOL, 7, bool(true))]), code: 'BAD_TYPE' },
  { name: 'a Data variant sent as a list', bytes: vec([size2, long, nulls2, field(T.STRUCT, 4, struct(field(T.LIST, D.int64Data, list(T.I64, []))))]), code: 'BAD_TYPE' },
  { name: 'int64Data holding doubles', bytes: vec([size2, long, nulls2, field(T.STRUCT, 4, data(D.int64Data, listOf(T.DOUBLE, [f64(1), f64(2)])))]), code: 'BAD_TYPE' },
  { name: 'int64Data.data sent as i64', bytes: vec([size2, long, nulls2, field(T.STRUCT, 4, data(D.int64Data, field(T.I64, 1, i64(1))))]), code: 'BAD_TYPE' },
  { name: 'decimal128Data.scale sent as i64', bytes: vec([size2, field(T.I32, 2, i32(VT.DECIMAL128)), nulls2, field(T.STRUCT, 4, data(D.decimal128Data, field(T.I64, 2, i64(1))))]), code: 'BAD_TYPE' },
  { name: 'timeData.zoneData holding i32s', bytes: vec([size2, field(T.I32, 2, i32(VT.TIMESTAMP_TZ)), nulls2, field(T.STRUCT, 4, data(D.timeData, field(T.LIST, 2, list(T.I32, []))))]), code: 'BAD_TYPE' },
  { name: 'timeConstantData.zoneData sent as i32', bytes: vec([size2, field(T.I32, 2, i32(VT.TIMESTAMP_TZ)), nulls2, field(T.STRUCT, 4, data(D.timeConstantData, field(T.I32, 2, i32(0))))]), code: 'BAD_TYPE' },
  // Negative or oversized lengths and counts.
  { name: 'a negative vector count', bytes: struct(size2, field(T.LIST, 2, Buffer.concat([Buffer.of(T.STRUCT), i32(-1)]))), code: 'BAD_LENGTH' },
  { name: 'a vector count larger than the input could hold', bytes: struct(size2, field(T.LIST, 2, Buffer.concat([Buffer.of(T.STRUCT), i32(0x7fffffff), Buffer.alloc(8)]))), code: 'BAD_LENGTH' },
  { name: 'a null-set count beyond the bytes left', bytes: vec([size2, long, field(T.LIST, 3, Buffer.concat([Buffer.of(T.BOOL), i32(1000), Buffer.alloc(4)]))]), code: 'BAD_LENGTH' },
  { name: 'an int64 list count beyond the bytes left', bytes: vec([size2, long, field(T.STRUCT, 4, data(D.int64Data, field(T.LIST, 1, Buffer.concat([Buffer.of(T.I64), i32(3), i64(1)]))))]), code: 'BAD_LENGTH' },
  { name: 'a string list count of 2^31 - 1', bytes: vec([size2, long, field(T.STRUCT, 4, data(D.varcharData, field(T.LIST, 1, Buffer.concat([Buffer.of(T.STRING), i32(0x7fffffff)]))))]), code: 'BAD_LENGTH' },
  { name: 'a negative string length', bytes: vec([size2, field(T.I32, 2, i32(VT.STRING)), field(T.STRUCT, 4, data(D.varcharData, listOf(T.STRING, [i32(-5), i32(-5)])))]), code: 'BAD_LENGTH' },
  { name: 'a string length past the end', bytes: vec([size2, field(T.I32, 2, i32(VT.STRING)), field(T.STRUCT, 4, data(D.varcharData, listOf(T.STRING, [i32(1000)])))]), code: 'BAD_LENGTH' },
  { name: 'a constant string length past the end', bytes: vec([size2, field(T.I32, 2, i32(VT.STRING)), field(T.STRUCT, 4, data(D.varcharConstantData, field(T.STRING, 1, i32(99))))]), code: 'BAD_LENGTH' },
  { name: 'a Vector.format length past the end', bytes: vec([size2, long, field(T.STRING, 7, i32(50))]), code: 'BAD_LENGTH' },
  // Sizes.
  { name: 'a negative chunk size', bytes: chunk(-1, []), code: 'BAD_SIZE' },
  { name: 'a vector whose size differs from the chunk', bytes: chunk(3, [vector({ size: 2, type: VT.LONG, nulls: [false, false], data: longs([1n, 2n]) })]), code: 'BAD_SIZE' },
  { name: 'a negative vector size', bytes: chunk(2, [vector({ size: -2, type: VT.LONG, data: longs([1n, 2n]) })]), code: 'BAD_SIZE' },
  { name: 'a second vector of another size', bytes: chunk(2, [vector({ size: 2, type: VT.NULL }), vector({ size: 1, type: VT.NULL })]), code: 'BAD_SIZE' },
  { name: 'data shorter than the size', bytes: oneColumn({ size: 3, type: VT.LONG, nulls: [false, false, false], data: longs([1n, 2n]) }), code: 'SHORT_DATA' },
  { name: 'a null set shorter than the size', bytes: oneColumn({ size: 2, type: VT.LONG, nulls: [false], data: longs([1n, 2n]) }), code: 'SHORT_DATA' },
  { name: 'a constant vector with an empty null set', bytes: oneColumn({ size: 2, type: VT.LONG, constant: true, nulls: [], data: data(D.numericConstantData, field(T.I64, 1, i64(1))) }), code: 'SHORT_DATA' },
  { name: 'a constant vector with an empty list', bytes: oneColumn({ size: 2, type: VT.LONG, constant: true, nulls: [false], data: longs([]) }), code: 'SHORT_DATA' },
  { name: 'a scalar variant without its value', bytes: oneColumn({ size: 2, type: VT.LONG, constant: true, nulls: [false], data: data(D.numericConstantData) }), code: 'MISSING_FIELD' },
  { name: 'a TIMESTAMP_TZ zone list shorter than the size', bytes: oneColumn({ size: 2, type: VT.TIMESTAMP_TZ, data: data(D.timeData, listOf(T.I64, [i64(0), i64(0)]), field(T.LIST, 2, list(T.STRING, [str('Z')]))) }), code: 'SHORT_DATA' },
  { name: 'a chunk claiming more rows than maxRows', bytes: oneColumn({ size: 0x7fffffff, type: VT.LONG, constant: true, nulls: [false], data: data(D.numericConstantData, field(T.I64, 1, i64(1))) }), code: 'TOO_MANY_ROWS' },
  // The Data union.
  { name: 'a Data union with no field set', bytes: oneColumn({ size: 2, type: VT.LONG, data: struct() }), code: 'BAD_UNION' },
  { name: 'a Data union with only an unknown field', bytes: oneColumn({ size: 2, type: VT.LONG, data: struct(field(T.STRUCT, 40, struct())) }), code: 'BAD_UNION' },
  { name: 'a Data union with two fields set', bytes: oneColumn({ size: 2, type: VT.LONG, data: struct(field(T.STRUCT, D.int64Data, struct(listOf(T.I64, [i64(1), i64(2)]))), field(T.STRUCT, D.numericConstantData, struct(field(T.I64, 1, i64(1))))) }), code: 'BAD_UNION' },
  { name: 'a Data union with one variant twice', bytes: oneColumn({ size: 1, type: VT.LONG, data: struct(field(T.STRUCT, D.int64Data, struct(listOf(T.I64, [i64(1)]))), field(T.STRUCT, D.int64Data, struct(listOf(T.I64, [i64(2)])))) }), code: 'BAD_UNION' },
  { name: 'a variant that does not fit the vector type', bytes: oneColumn({ size: 1, type: VT.LONG, data: data(D.varcharData, listOf(T.STRING, [str('1')])) }), code: 'TYPE_MISMATCH' },
  { name: 'a DATE vector carrying timeData', bytes: oneColumn({ size: 1, type: VT.DATE, data: data(D.timeData, listOf(T.I64, [i64(0)])) }), code: 'TYPE_MISMATCH' },
  // Missing fields and unknown types.
  { name: 'a vector without size', bytes: chunk(2, [vector({ type: VT.NULL })]), code: 'MISSING_FIELD' },
  { name: 'a vector without vectorType', bytes: chunk(2, [vector({ size: 2, data: longs([1n, 2n]) })]), code: 'MISSING_FIELD' },
  { name: 'a chunk with vectors but no size', bytes: chunk(undefined, [vector({ size: 2, type: VT.NULL })]), code: 'MISSING_FIELD' },
  { name: 'a LONG vector without data', bytes: oneColumn({ size: 2, type: VT.LONG }), code: 'MISSING_FIELD' },
  { name: 'an unknown vectorType', bytes: oneColumn({ size: 1, type: 99, data: longs([1n]) }), code: 'UNSUPPORTED_TYPE' },
  { name: 'a negative vectorType', bytes: oneColumn({ size: 1, type: -1 - 1, data: longs([1n]) }), code: 'UNSUPPORTED_TYPE' },
  // Values that cannot be what they claim.
  { name: 'a DECIMAL128 value of 0 bytes', bytes: oneColumn({ size: 1, type: VT.DECIMAL128, data: data(D.decimal128Data, listOf(T.STRING, [str(Buffer.alloc(0))])) }), code: 'BAD_VALUE' },
  { name: 'a DECIMAL128 value of 17 bytes', bytes: oneColumn({ size: 1, type: VT.DECIMAL128, data: data(D.decimal128Data, listOf(T.STRING, [str(Buffer.alloc(17))])) }), code: 'BAD_VALUE' },
  { name: 'a DECIMAL128 scale of 5000', bytes: oneColumn({ size: 1, type: VT.DECIMAL128, data: data(D.decimal128Data, listOf(T.STRING, [str(int128(1n))]), field(T.I32, 2, i32(5000))) }), code: 'BAD_VALUE' },
  { name: 'an INT96 value of 8 bytes', bytes: oneColumn({ size: 1, type: VT.INT96, data: data(D.varcharData, listOf(T.STRING, [str(Buffer.alloc(8))])) }), code: 'BAD_VALUE' },
  { name: 'an INT96 nanosecond count beyond 2^53', bytes: oneColumn({ size: 1, type: VT.INT96, data: data(D.varcharData, listOf(T.STRING, [str(Buffer.concat([i32(2440588), i64(2n ** 62n)]))])) }), code: 'BAD_VALUE' },
  { name: 'an INTEGER constant beyond the safe range', bytes: oneColumn({ size: 1, type: VT.INTEGER, constant: true, data: data(D.numericConstantData, field(T.I64, 1, i64(2n ** 60n))) }), code: 'BAD_VALUE' },
  { name: 'an unknown time zone', bytes: oneColumn({ size: 1, type: VT.TIMESTAMP_TZ, data: data(D.timeData, listOf(T.I64, [i64(0)]), field(T.LIST, 2, list(T.STRING, [str('Mars/Olympus_Mons')]))) }), code: 'BAD_ZONE' },
  // Unknown fields that are themselves malformed.
  { name: 'an unknown field of type code 1', bytes: struct(field(1, 9, Buffer.alloc(8))), code: 'BAD_TYPE' },
  { name: 'an unknown field of type code 20', bytes: struct(field(20, 9, Buffer.alloc(8))), code: 'BAD_TYPE' },
  { name: 'an unknown list of type code 7', bytes: struct(field(T.LIST, 9, list(7, []))), code: 'BAD_TYPE' },
  { name: 'an unknown map with an invalid key type', bytes: struct(field(T.MAP, 9, Buffer.concat([Buffer.of(0, T.I32), i32(0)]))), code: 'BAD_TYPE' },
  { name: 'an unknown map with an invalid value type', bytes: struct(field(T.MAP, 9, Buffer.concat([Buffer.of(T.I32, 5), i32(0)]))), code: 'BAD_TYPE' },
  { name: 'an unknown map count beyond the bytes left', bytes: struct(field(T.MAP, 9, Buffer.concat([Buffer.of(T.I64, T.I64), i32(5), i64(1), i64(1)]))), code: 'BAD_LENGTH' },
  { name: 'an unknown list with a negative count', bytes: struct(field(T.LIST, 9, Buffer.concat([Buffer.of(T.STRUCT), i32(-3)]))), code: 'BAD_LENGTH' },
  { name: 'an unknown string with a negative length', bytes: struct(field(T.STRING, 9, i32(-1))), code: 'BAD_LENGTH' },
];

describe('malformed chunks', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s -> DecodeError', (_name, c) => {
    const err = decodeError(c.bytes);
    expect(err.code).toBe(c.code);
    expect(err.offset).toBeGreaterThanOrEqual(0);
    expect(err.offset).toBeLessThanOrEqual(c.bytes.length);
  });

  it('maxRows can be raised, and lowered', () => {
    const bytes = oneColumn({ size: 3, type: VT.LONG, constant: true, nulls: [false], data: data(D.numericConstantData, field(T.I64, 1, i64(1))) });
    expect(decodeError(bytes, { maxRows: 2 }).code).toBe('TOO_MANY_ROWS');
    expect(decodeChunk(bytes, { maxRows: 3 }).rowCount).toBe(3);
  });

  it('names no cell value in its message', () => {
    const bytes = oneColumn({ size: 1, type: VT.LONG, data: data(D.varcharData, listOf(T.STRING, [str('s3cr3t-value')])) });
    expect(decodeError(bytes).message).not.toContain('s3cr3t');
  });
});

describe('nesting', () => {
  const nestedStructs = (depth: number): Buffer => {
    let inner = struct();
    for (let i = 0; i < depth; i++) inner = struct(field(T.STRUCT, 1, inner));
    return inner;
  };
  const nestedLists = (depth: number): Buffer => {
    let inner = list(T.I32, []);
    for (let i = 0; i < depth; i++) inner = list(T.LIST, [inner]);
    return inner;
  };

  it('skips unknown fields nested a few levels deep', () => {
    const bytes = chunk(2, [vector({ size: 2, type: VT.LONG, nulls: [false, false], data: longs([1n, 2n]), extra: [field(T.STRUCT, 50, nestedStructs(10))] })]);
    expect(decodeChunk(bytes).rows).toEqual([[1n], [2n]]);
  });

  it('refuses structs nested deeper than the limit', () => {
    expect(decodeError(struct(field(T.STRUCT, 9, nestedStructs(200)))).code).toBe('TOO_DEEP');
  });

  it('refuses lists nested deeper than the limit', () => {
    expect(decodeError(struct(field(T.LIST, 9, nestedLists(200)))).code).toBe('TOO_DEEP');
  });

  it('refuses a variant struct reached too deep', () => {
    // A Data union inside unknown fields is never read as data; the depth guard applies to the skipper.
    const deep = struct(field(T.STRUCT, 9, nestedStructs(70)));
    expect(decodeError(deep).code).toBe('TOO_DEEP');
  });
});

describe('unknown fields are skipped, whatever they hold', () => {
  const unknown: [string, Buffer][] = [
    ['bool', field(T.BOOL, 90, bool(true))],
    ['byte', field(T.BYTE, 91, i8(-1))],
    ['i16', field(T.I16, 92, i16(7))],
    ['i32', field(T.I32, 93, i32(7))],
    ['i64', field(T.I64, 94, i64(7))],
    ['double', field(T.DOUBLE, 95, f64(7))],
    ['string', field(T.STRING, 96, str('ignored'))],
    ['uuid', field(T.UUID, 97, Buffer.alloc(16, 0xab))],
    ['struct', field(T.STRUCT, 98, struct(field(T.STRING, 1, str('x')), field(T.LIST, 2, list(T.STRUCT, [struct(field(T.I32, 1, i32(1)))]))))],
    ['list of strings', field(T.LIST, 99, list(T.STRING, [str('a'), str('bc')]))],
    ['list of i64', field(T.LIST, 100, list(T.I64, [i64(1), i64(2)]))],
    ['set of i32', field(T.SET, 101, list(T.I32, [i32(1)]))],
    ['map of string to list', field(T.MAP, 102, Buffer.concat([Buffer.of(T.STRING, T.LIST), i32(1), str('k'), list(T.BOOL, [bool(true)])]))],
    ['map of i32 to struct', field(T.MAP, 103, Buffer.concat([Buffer.of(T.I32, T.STRUCT), i32(2), i32(1), struct(), i32(2), struct(field(T.BYTE, 1, i8(1)))]))],
    ['empty map', field(T.MAP, 104, Buffer.concat([Buffer.of(T.I32, T.I32), i32(0)]))],
  ];

  it.each(unknown)('an unknown %s field in every struct', (_name, extra) => {
    const vectorBytes = struct(
      extra,
      field(T.I32, 1, i32(2)),
      extra,
      field(T.I32, 2, i32(VT.LONG)),
      field(T.LIST, 3, list(T.BOOL, [bool(false), bool(true)])),
      field(T.STRUCT, 4, struct(extra, field(T.STRUCT, D.int64Data, struct(extra, listOf(T.I64, [i64(5), i64(0)]), extra)), extra)),
      field(T.BOOL, 5, bool(false)),
      extra,
    );
    const bytes = struct(extra, field(T.I32, 1, i32(2)), extra, field(T.LIST, 2, list(T.STRUCT, [vectorBytes])), extra);
    expect(decodeChunk(bytes).rows).toEqual([[5n], [null]]);
  });

  it('fields may arrive in any order', () => {
    const vectorBytes = struct(
      field(T.BOOL, 5, bool(false)),
      field(T.STRUCT, 4, data(D.varcharData, listOf(T.STRING, [str('x'), str('y')]))),
      field(T.LIST, 3, list(T.BOOL, [bool(true), bool(false)])),
      field(T.I32, 2, i32(VT.STRING)),
      field(T.I32, 1, i32(2)),
    );
    const bytes = struct(field(T.LIST, 2, list(T.STRUCT, [vectorBytes])), field(T.I32, 1, i32(2)));
    expect(decodeChunk(bytes).rows).toEqual([[null], ['y']]);
  });

  it('a repeated field takes its last value', () => {
    const bytes = chunk(1, [vector({ size: 1, type: VT.STRING, data: data(D.varcharData, listOf(T.STRING, [str('x')])), extra: [field(T.I32, 2, i32(VT.BINARY))] })]);
    expect(decodeChunk(bytes).rows).toEqual([[Buffer.from('x')]]);
  });

  it('bytes after the chunk struct are ignored, as Thrift readers do', () => {
    expect(decodeChunk(Buffer.concat([good(), Buffer.of(1, 2, 3)])).rows).toEqual([[1n], [2n]]);
  });
});
