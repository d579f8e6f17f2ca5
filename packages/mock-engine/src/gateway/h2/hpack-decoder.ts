import { decodeHuffman } from './hpack-huffman';
import { STATIC_TABLE } from './hpack-static-table';
import { ERROR_COMPRESSION } from './constants';
import { Http2ProtocolError } from './protocol-error';

/**
 * A header list as it travels: names and values alternating
 * (`[name0, value0, name1, value1, ...]`), in wire order, repeated names
 * kept. Strings are latin1, one char per octet.
 */
export type RawHeaders = string[];

// RFC 7541 section 4.1: every entry costs its octets plus 32.
const ENTRY_OVERHEAD = 32;
// Integers past this are no header index or length a sane peer sends.
const MAX_INTEGER = 2 ** 28;
// Continuation octets past this shift add nothing a valid integer below MAX_INTEGER can hold;
// without the bound, zero octets run the shift to Infinity and the value to NaN.
const MAX_SHIFT = 28;

/** A decoded header block. */
export interface DecodedBlock {
  readonly headers: RawHeaders;
  /**
   * The list passed the size limit (RFC 9113 section 6.5.2 accounting): the
   * fields past it were decoded for the table's sake and dropped, so the list
   * is incomplete and must be refused, not used.
   */
  readonly oversized: boolean;
}

/**
 * The receiving half of one HPACK context (one per connection direction):
 * turns header blocks into header lists and keeps the dynamic table in step
 * with the peer's encoder. Any malformed block throws a COMPRESSION_ERROR,
 * after which the context is unusable (the connection must end).
 */
export class HpackDecoder {
  // Newest entry last: HPACK dynamic index 1 is `entries[entries.length - 1]`.
  private readonly entries: Array<readonly [string, string]> = [];
  private size = 0;
  private maxSize: number;

  /**
   * @param limit the SETTINGS_HEADER_TABLE_SIZE this side announced (the most the peer may use).
   * @param maxListSize the largest header list kept (names, values and 32 octets per field):
   *   past it the block is still decoded, so the table stays in step, but the
   *   fields are dropped, so an HPACK bomb (one octet naming a large table
   *   entry, repeated) cannot grow memory.
   */
  constructor(
    private readonly limit: number,
    private readonly maxListSize = Number.POSITIVE_INFINITY,
  ) {
    this.maxSize = limit;
  }

  /** Decodes one complete header block (HEADERS plus any CONTINUATION payloads, joined). */
  decode(block: Buffer): RawHeaders {
    return this.decodeBlock(block).headers;
  }

  /** decode(), telling whether the list passed the size limit. */
  decodeBlock(block: Buffer): DecodedBlock {
    const headers: RawHeaders = [];
    let listSize = 0;
    const keep = (name: string, value: string): void => {
      listSize += name.length + value.length + ENTRY_OVERHEAD;
      if (listSize <= this.maxListSize) headers.push(name, value);
    };
    let at = 0;
    let sawField = false;
    while (at < block.length) {
      const first = block[at]!;
      if (first & 0x80) {
        const [index, next] = readInteger(block, at, 7);
        const [name, value] = this.lookup(index);
        keep(name, value);
        at = next;
        sawField = true;
      } else if (first & 0x40) {
        const [index, afterIndex] = readInteger(block, at, 6);
        const [name, afterName] = index === 0 ? readString(block, afterIndex) : [this.lookup(index)[0], afterIndex];
        const [value, next] = readString(block, afterName);
        this.insert(name, value);
        keep(name, value);
        at = next;
        sawField = true;
      } else if (first & 0x20) {
        // RFC 7541 section 4.2: size updates come before the block's first field.
        if (sawField) throw compressionError('HPACK table size update after a header field');
        const [size, next] = readInteger(block, at, 5);
        if (size > this.limit) throw compressionError(`HPACK table size ${size} exceeds the announced ${this.limit}`);
        this.maxSize = size;
        this.evictTo(size);
        at = next;
      } else {
        // Literal without indexing (0000) or never indexed (0001): nothing enters the table.
        const [index, afterIndex] = readInteger(block, at, 4);
        const [name, afterName] = index === 0 ? readString(block, afterIndex) : [this.lookup(index)[0], afterIndex];
        const [value, next] = readString(block, afterName);
        keep(name, value);
        at = next;
        sawField = true;
      }
    }
    return { headers, oversized: listSize > this.maxListSize };
  }

  /** Octets the dynamic table holds now (RFC 7541 accounting). */
  tableSize(): number {
    return this.size;
  }

  private lookup(index: number): readonly [string, string] {
    if (index === 0) throw compressionError('HPACK index 0');
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1]!;
    const entry = this.entries[this.entries.length - (index - STATIC_TABLE.length)];
    if (entry === undefined) throw compressionError(`HPACK index ${index} is past the table`);
    return entry;
  }

  private insert(name: string, value: string): void {
    const cost = name.length + value.length + ENTRY_OVERHEAD;
    // An entry larger than the table empties it and is not kept (RFC 7541 section 4.4).
    this.evictTo(this.maxSize - cost);
    if (cost > this.maxSize) return;
    this.entries.push([name, value]);
    this.size += cost;
  }

  private evictTo(size: number): void {
    let drop = 0;
    while (this.size > Math.max(size, 0) && drop < this.entries.length) {
      const [name, value] = this.entries[drop]!;
      this.size -= name.length + value.length + ENTRY_OVERHEAD;
      drop++;
    }
    if (drop > 0) this.entries.splice(0, drop);
  }
}

function compressionError(message: string): Http2ProtocolError {
  return new Http2ProtocolError(ERROR_COMPRESSION, message);
}

/** An HPACK integer with an N-bit prefix (RFC 7541 section 5.1): [value, offset after it]. */
export function readInteger(block: Buffer, at: number, prefixBits: number): [number, number] {
  const mask = (1 << prefixBits) - 1;
  let value = block[at]! & mask;
  let next = at + 1;
  if (value < mask) return [value, next];
  let shift = 0;
  for (;;) {
    const byte = block[next++];
    if (byte === undefined) throw compressionError('HPACK integer cut off');
    if (shift > MAX_SHIFT) throw compressionError('HPACK integer has too many octets');
    value += (byte & 0x7f) * 2 ** shift;
    if (value > MAX_INTEGER) throw compressionError('HPACK integer too large');
    if ((byte & 0x80) === 0) return [value, next];
    shift += 7;
  }
}

/** An HPACK string literal (RFC 7541 section 5.2): [text, offset after it]. */
function readString(block: Buffer, at: number): [string, number] {
  if (at >= block.length) throw compressionError('HPACK string cut off');
  const huffman = (block[at]! & 0x80) !== 0;
  const [length, start] = readInteger(block, at, 7);
  const end = start + length;
  if (end > block.length) throw compressionError('HPACK string cut off');
  return [huffman ? decodeHuffman(block, start, end) : block.toString('latin1', start, end), end];
}
