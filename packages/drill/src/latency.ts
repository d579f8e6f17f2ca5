// Latency histograms: recorded in microseconds, reported in milliseconds,
// stored encoded so reports from several clients merge exactly.
import * as hdr from 'hdr-histogram-js';

type Histogram = hdr.Histogram;

/** p50/p90/p99/max of one histogram, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const HIGHEST_US = 10 * 60 * 1_000_000;

/** A new latency histogram (1 µs to 10 min, 3 significant digits, growing past that if needed). */
export function newHistogram(): Histogram {
  const histogram = hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  histogram.autoResize = true;
  return histogram;
}

/** Records one latency given in milliseconds (sub-millisecond precision kept). */
export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.max(1, Math.round(ms * 1_000)));
}

const round = (us: number): number => Math.round(us) / 1_000;

/** A histogram's count, p50, p90, p99 and max, in milliseconds. */
export function summarize(histogram: Histogram): LatencySummary {
  if (histogram.totalCount === 0) return { count: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 };
  return {
    count: histogram.totalCount,
    p50Ms: round(histogram.getValueAtPercentile(50)),
    p90Ms: round(histogram.getValueAtPercentile(90)),
    p99Ms: round(histogram.getValueAtPercentile(99)),
    // The percentile form, so a max reads the same before and after encoding (HDR keeps 3 digits).
    maxMs: round(histogram.getValueAtPercentile(100)),
  };
}

/** The compressed base64 form HdrHistogram implementations share. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Reads a histogram back from encodeHistogram's form; it grows if later values need it. */
export function decodeHistogram(encoded: string): Histogram {
  const histogram = hdr.decodeFromCompressedBase64(encoded, 32, false);
  histogram.autoResize = true;
  return histogram;
}

/** Adds every encoded histogram into one new histogram. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const total = newHistogram();
  for (const one of encoded) total.add(decodeHistogram(one));
  return total;
}
