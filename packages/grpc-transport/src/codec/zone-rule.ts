/** Resolves the offset of one zone at given instants. */
export interface ZoneRule {
  /** Offset seconds at `epochSeconds`. */
  offsetAt(epochSeconds: number): number;
  /** `offsetSeconds` (as returned by `offsetAt`) as text, `+HH:MM` or `+HH:MM:SS`. */
  suffixAt(offsetSeconds: number): string;
}
