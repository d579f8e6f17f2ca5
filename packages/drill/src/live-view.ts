// The live view during a run: a progress bar on a terminal, one plain line
// per second otherwise.
import { SingleBar } from 'cli-progress';
import { type QueryClass } from './query-class';

/** What the view shows at one moment. */
export interface LiveSnapshot {
  readonly elapsedMs: number;
  readonly durationMs: number;
  readonly queriesPerSecond: number;
  readonly inFlight: number;
  readonly phase: string;
  readonly live: string;
  readonly counts: Readonly<Record<QueryClass, number>>;
  readonly dropped: number;
}

/** The live progress display: updated with each snapshot, stopped at the end. */
export interface LiveView {
  update(snapshot: LiveSnapshot): void;
  stop(): void;
}

/** `ok 120 retried 3 moved 8 rerun 0 ambiguous 0 lost 0` */
export function formatCounts(counts: Readonly<Record<QueryClass, number>>): string {
  return (Object.entries(counts) as Array<[QueryClass, number]>).map(([cls, n]) => `${cls} ${n}`).join(' ');
}

/** One plain line: `t=12s 431 q/s in-flight 16 phase announce(green) live blue | ok 5100 ...`. */
export function formatLine(s: LiveSnapshot): string {
  return (
    `t=${Math.floor(s.elapsedMs / 1_000)}s ${Math.round(s.queriesPerSecond)} q/s in-flight ${s.inFlight} ` +
    `phase ${s.phase} live ${s.live} | ${formatCounts(s.counts)}${s.dropped > 0 ? ` dropped ${s.dropped}` : ''}`
  );
}

/** Plain lines, at most one per second of run time. */
export function plainView(write: (line: string) => void): LiveView {
  let lastSecond = -1;
  return {
    update: (snapshot) => {
      const second = Math.floor(snapshot.elapsedMs / 1_000);
      if (second === lastSecond) return;
      lastSecond = second;
      write(`${formatLine(snapshot)}\n`);
    },
    stop: () => undefined,
  };
}

/** A cli-progress bar on `stream` (a terminal). */
export function barView(stream: NodeJS.WriteStream): LiveView {
  const bar = new SingleBar({
    stream,
    format: '{bar} {elapsed}/{total_s}s | {qps} q/s | in flight {inflight} | {phase} live {live} | {counts}',
    barsize: 20,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 1,
    fps: 5,
  });
  let started = false;
  return {
    update: (s) => {
      const payload = {
        elapsed: Math.floor(s.elapsedMs / 1_000),
        total_s: Math.round(s.durationMs / 1_000),
        qps: Math.round(s.queriesPerSecond),
        inflight: s.inFlight,
        phase: s.phase,
        live: s.live,
        counts: formatCounts(s.counts) + (s.dropped > 0 ? ` dropped ${s.dropped}` : ''),
      };
      if (!started) {
        bar.start(s.durationMs, Math.min(s.elapsedMs, s.durationMs), payload);
        started = true;
      } else bar.update(Math.min(s.elapsedMs, s.durationMs), payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** No view at all. */
export const silentView: LiveView = Object.freeze({ update: (): void => undefined, stop: (): void => undefined });
