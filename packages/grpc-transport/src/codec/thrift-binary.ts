import { type ByteReader } from './byte-reader';
import { DecodeError } from './codec-error';

/** Thrift binary protocol type codes (docs/wire.md 6.2). */
export const TType = {
  STOP: 0,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15,
  UUID: 16,
} as const;

/** Deeper nesting than this is refused: real chunks nest 5 levels; the limit only guards the skipper's stack. */
export const MAX_DEPTH = 64;

/**
 * The fewest bytes a value of each type can occupy; -1 marks codes that are
 * not value types. Counts are checked against these so a lying count is
 * refused before any loop or allocation sized by it.
 */
const MIN_SIZE: readonly number[] = [-1, -1, 1, 1, 8, -1, 2, -1, 4, -1, 8, 4, 1, 6, 5, 5, 16];

export function minValueSize(type: number): number {
  return MIN_SIZE[type] ?? -1;
}

const TYPE_NAMES: Record<number, string> = {
  2: 'bool', 3: 'byte', 4: 'double', 6: 'i16', 8: 'i32', 10: 'i64', 11: 'string', 12: 'struct', 13: 'map', 14: 'set', 15: 'list', 16: 'uuid',
};

export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `type code ${type}`;
}

/** Reads an element count and checks it against the bytes left, given each element's minimum size. */
export function readCount(r: ByteReader, elemMin: number, what: string): number {
  const at = r.pos;
  const n = r.i32(what);
  if (n < 0) throw new DecodeError('BAD_LENGTH', `${what} has negative count ${n}`, at);
  if (n * elemMin > r.end - r.pos) {
    throw new DecodeError('BAD_LENGTH', `${what} declares ${n} elements, which ${r.end - r.pos} bytes cannot hold`, at);
  }
  return n;
}

/** Reads a list or set header, requiring element type `elemType`; returns the count. */
export function readListHeader(r: ByteReader, elemType: number, what: string): number {
  const at = r.pos;
  const t = r.u8(what);
  if (t !== elemType) {
    throw new DecodeError('BAD_TYPE', `${what} holds ${typeName(t)} elements, expected ${typeName(elemType)}`, at);
  }
  return readCount(r, MIN_SIZE[elemType]!, what);
}

/** Reads a Thrift STRING/BINARY length prefix and checks it against the bytes left; returns the payload offset. */
export function readBinary(r: ByteReader, what: string): { at: number; length: number } {
  const at = r.pos;
  const length = r.i32(what);
  if (length < 0 || length > r.end - r.pos) {
    throw new DecodeError('BAD_LENGTH', `${what} declares length ${length} with ${r.end - r.pos} bytes left`, at);
  }
  return { at: r.take(length, what), length };
}

/** Skips one value of type `type`: how unknown fields are ignored, whatever they hold. */
export function skipValue(r: ByteReader, type: number, depth: number): void {
  if (depth > MAX_DEPTH) throw new DecodeError('TOO_DEEP', `values nest deeper than ${MAX_DEPTH} levels`, r.pos);
  switch (type) {
    case TType.BOOL:
    case TType.BYTE:
      r.take(1, 'a skipped field');
      return;
    case TType.I16:
      r.take(2, 'a skipped field');
      return;
    case TType.I32:
      r.take(4, 'a skipped field');
      return;
    case TType.DOUBLE:
    case TType.I64:
      r.take(8, 'a skipped field');
      return;
    case TType.UUID:
      r.take(16, 'a skipped field');
      return;
    case TType.STRING:
      readBinary(r, 'a skipped string');
      return;
    case TType.STRUCT:
      skipStruct(r, depth);
      return;
    case TType.MAP: {
      const at = r.pos;
      const kt = r.u8('a skipped map');
      const vt = r.u8('a skipped map');
      const km = minValueSize(kt);
      const vm = minValueSize(vt);
      if (km < 0 || vm < 0) throw new DecodeError('BAD_TYPE', `a map holds unknown ${typeName(km < 0 ? kt : vt)}`, at);
      const n = readCount(r, km + vm, 'a skipped map');
      for (let i = 0; i < n; i++) {
        skipValue(r, kt, depth + 1);
        skipValue(r, vt, depth + 1);
      }
      return;
    }
    case TType.SET:
    case TType.LIST: {
      const at = r.pos;
      const et = r.u8('a skipped list');
      const em = minValueSize(et);
      if (em < 0) throw new DecodeError('BAD_TYPE', `a list holds unknown ${typeName(et)}`, at);
      const n = readCount(r, em, 'a skipped list');
      const fixed = FIXED_SIZE[et];
      if (fixed !== undefined) {
        r.take(n * fixed, 'a skipped list');
        return;
      }
      for (let i = 0; i < n; i++) skipValue(r, et, depth + 1);
      return;
    }
    default:
      throw new DecodeError('BAD_TYPE', `unknown Thrift ${typeName(type)}`, r.pos);
  }
}

/** Element sizes of fixed-width types, so lists of them are skipped in one step. */
const FIXED_SIZE: Partial<Record<number, number>> = { 2: 1, 3: 1, 4: 8, 6: 2, 8: 4, 10: 8, 16: 16 };

/** Skips the rest of a struct, up to and including its STOP (skipValue has checked the depth). */
function skipStruct(r: ByteReader, depth: number): void {
  for (;;) {
    const t = r.u8('a struct');
    if (t === TType.STOP) return;
    r.take(2, 'a field header');
    skipValue(r, t, depth + 1);
  }
}
