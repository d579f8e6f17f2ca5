import { DecimalTexts } from './decimal-decode';
import { DateTexts, DateTimeTexts } from './temporal-decode';
import {
  type BooleanColumn,
  type CellValue,
  type DateColumn,
  type DecimalColumn,
  type Int64Mode,
  type LongColumn,
  type NullColumn,
  type TextColumn,
  type TimestampColumn,
  type ZonedTimestampColumn,
} from './types';
import { type ZoneRule } from './zone-rule';

// The column objects decodeChunkColumns hands out: typed values as read, and
// each row's value in decodeChunk's form, formatted when it is read.

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** What every column class shares: the row's NULL flag is checked before its value is read. */
export abstract class Column {
  constructor(
    readonly length: number,
    readonly nulls: Uint8Array,
    readonly nullCount: number,
  ) {}

  get(row: number): CellValue {
    if (!(Number.isInteger(row) && row >= 0 && row < this.length)) {
      throw new RangeError(`row ${String(row)} is not a row of this column (0 to ${this.length - 1})`);
    }
    return this.nulls[row] !== 0 ? null : this.cell(row);
  }

  toArray(): CellValue[] {
    const out = new Array<CellValue>(this.length);
    for (let r = 0; r < this.length; r++) out[r] = this.nulls[r] !== 0 ? null : this.cell(r);
    return out;
  }

  /** Row `row`'s value; the row is not NULL. */
  protected abstract cell(row: number): CellValue;
}

export class LongValues extends Column implements LongColumn {
  readonly type = 'LONG';
  constructor(length: number, nulls: Uint8Array, nullCount: number, readonly values: BigInt64Array, private readonly mode: Int64Mode) {
    super(length, nulls, nullCount);
  }

  protected cell(row: number): CellValue {
    const x = this.values[row]!;
    return this.mode === 'bigint' ? x : this.mode === 'number' ? Number(x) : x.toString();
  }
}

export class NumberValues<T extends 'INTEGER' | 'DOUBLE' | 'FLOAT', A extends Int32Array | Float64Array> extends Column {
  constructor(readonly type: T, length: number, nulls: Uint8Array, nullCount: number, readonly values: A) {
    super(length, nulls, nullCount);
  }

  protected cell(row: number): CellValue {
    return this.values[row]!;
  }
}

export class BooleanValues extends Column implements BooleanColumn {
  readonly type = 'BOOLEAN';
  constructor(length: number, nulls: Uint8Array, nullCount: number, readonly values: Uint8Array) {
    super(length, nulls, nullCount);
  }

  protected cell(row: number): CellValue {
    return this.values[row] === 1;
  }
}

export class DateValues extends Column implements DateColumn {
  readonly type = 'DATE';
  private texts: DateTexts | undefined;
  constructor(length: number, nulls: Uint8Array, nullCount: number, readonly values: Int32Array) {
    super(length, nulls, nullCount);
  }

  protected cell(row: number): CellValue {
    this.texts ??= new DateTexts(64);
    return this.texts.of(this.values[row]!);
  }
}

/** The 32-bit halves of 8-byte values, for formatting without BigInt arithmetic. */
class Halves {
  private readonly words: Int32Array;
  private readonly low = LITTLE_ENDIAN ? 0 : 1;
  constructor(values: BigInt64Array) {
    this.words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  }

  hi(row: number): number {
    return this.words[2 * row + 1 - this.low]!;
  }

  lo(row: number): number {
    return this.words[2 * row + this.low]! >>> 0;
  }
}

export class TimestampValues extends Column implements TimestampColumn {
  private texts: DateTimeTexts | undefined;
  private readonly halves: Halves;
  constructor(readonly type: 'DATETIME' | 'TIMESTAMP', length: number, nulls: Uint8Array, nullCount: number, readonly values: BigInt64Array) {
    super(length, nulls, nullCount);
    this.halves = new Halves(values);
  }

  protected cell(row: number): CellValue {
    this.texts ??= new DateTimeTexts();
    return this.texts.utc(this.halves.hi(row), this.halves.lo(row));
  }
}

export class ZonedValues extends Column implements ZonedTimestampColumn {
  readonly type = 'TIMESTAMP_TZ';
  private texts: DateTimeTexts | undefined;
  private readonly halves: Halves;
  constructor(
    length: number,
    nulls: Uint8Array,
    nullCount: number,
    readonly values: BigInt64Array,
    readonly zoneIndex: Int32Array,
    readonly zones: readonly string[],
    private readonly rules: readonly ZoneRule[],
  ) {
    super(length, nulls, nullCount);
    this.halves = new Halves(values);
  }

  protected cell(row: number): CellValue {
    this.texts ??= new DateTimeTexts();
    return this.texts.zoned(this.halves.hi(row), this.halves.lo(row), this.rules[this.zoneIndex[row]!]!);
  }
}

export class DecimalValues extends Column implements DecimalColumn {
  readonly type = 'DECIMAL128';
  private texts: DecimalTexts | undefined;
  private readonly scratch = Buffer.alloc(16);
  private readonly scratchView = new DataView(this.scratch.buffer, this.scratch.byteOffset, 16);
  constructor(length: number, nulls: Uint8Array, nullCount: number, readonly values: Uint8Array, readonly scale: number) {
    super(length, nulls, nullCount);
  }

  protected cell(row: number): CellValue {
    this.texts ??= new DecimalTexts();
    const o = 16 * row;
    for (let j = 0; j < 16; j++) this.scratch[j] = this.values[o + 15 - j]!;
    return this.texts.text(this.scratch, this.scratchView, 0, this.scale);
  }
}

export class ArrayValues<T extends TextColumn['type'] | 'BINARY', E extends string | Buffer> extends Column {
  constructor(readonly type: T, length: number, nulls: Uint8Array, nullCount: number, readonly values: (E | null)[]) {
    super(length, nulls, nullCount);
  }

  protected cell(row: number): CellValue {
    return this.values[row]!;
  }
}

export class NullValues extends Column implements NullColumn {
  readonly type = 'NULL';
  readonly values = null;

  protected cell(): CellValue {
    return null;
  }
}
