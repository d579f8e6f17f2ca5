import { AsciiWriter } from './ascii-writer';
import { type CivilDays } from './civil-time';
import { type Int64Mode } from './types';
import { type ZoneRules } from './zone-offset';

/** What the column decoders of one chunk share. */
export interface ColumnContext {
  buf: Buffer;
  view: DataView;
  int64: Int64Mode;
  zones: ZoneRules;
  /** Civil dates of the chunk's days, created by the first temporal column that needs them. */
  civilDays: CivilDays | undefined;
  /** The text columns' writer, created by the first that needs it and reused by the rest (each column's text is copied out before the next starts). */
  writer: AsciiWriter | undefined;
  /** Column index, for messages. */
  column: number;
}

/** The chunk's AsciiWriter, emptied and sized for `values` values of about `bytesPerValue` bytes. */
export function columnWriter(ctx: ColumnContext, values: number, bytesPerValue: number): AsciiWriter {
  if (ctx.writer === undefined) ctx.writer = new AsciiWriter(values, bytesPerValue);
  else ctx.writer.reset(values, bytesPerValue);
  return ctx.writer;
}
