// The workload: a closed loop of workers, or an open loop of query starts at
// a fixed rate, until stopped. Every finished query becomes a sample.
import { setMaxListeners } from 'node:events';
import { type DrillClient } from './drill-client';
import { classifyOutcome, type QueryOutcome } from './query-class';
import { type QuerySample } from './report';

/** Milliseconds since some fixed origin (performance.now by default). */
export interface DrillClock {
  now(): number;
}

/** The drill's clock: performance.now(), which never goes back. */
export const monotonicClock: DrillClock = Object.freeze({ now: (): number => performance.now() });

/** How the workload runs: client, query mix, closed or open loop, time limit, random source and callbacks. */
export interface WorkloadOptions {
  readonly client: DrillClient;
  readonly queries: readonly string[];
  /** Closed loop: workers. Open loop: the most queries in flight. */
  readonly workers: number;
  /** Open loop when set: query starts per second. */
  readonly rate: number | null;
  readonly queryTimeoutMs: number;
  /** Random source for picking queries from the mix. */
  readonly random: () => number;
  readonly clock?: DrillClock;
  /** Called for each finished query. */
  readonly onSample?: (sample: QuerySample) => void;
  /** Called when a query starts, with the number in flight. */
  readonly onStart?: (inFlight: number) => void;
}

/** Live figures of a running workload. */
export interface WorkloadProgress {
  readonly started: number;
  readonly finished: number;
  readonly inFlight: number;
  readonly dropped: number;
}

/** A running workload. */
export interface Workload {
  /** Start time (clock ms) that sample times are relative to. */
  readonly origin: number;
  progress(): WorkloadProgress;
  /**
   * Stops new starts, waits up to `waitMs` for queries in flight, then aborts
   * what is left (those end as failures, like any other). Resolves with every sample.
   */
  stop(waitMs: number): Promise<{ samples: QuerySample[]; dropped: number; abandoned: number }>;
}

/** The kind recorded for queries the drill itself gave up on at stop. */
export const ABANDONED_KIND = 'Abandoned/STOP_WAIT_EXPIRED';

const OPEN_LOOP_TICK_MS = 10;
/** After aborting, how long queries get to end before they are written off. */
const ABORT_GRACE_MS = 2_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
}

/** Starts the workload at once; samples use the clock's time minus `origin`. */
export function startWorkload(options: WorkloadOptions): Workload {
  const clock = options.clock ?? monotonicClock;
  const origin = clock.now();
  const samples: QuerySample[] = [];
  const inFlight = new Map<Promise<void>, { startAt: number; settled: boolean }>();
  const abort = new AbortController();
  // Every query in flight listens to this one signal.
  setMaxListeners(0, abort.signal);
  let stopping = false;
  let started = 0;
  let dropped = 0;
  let abandoned = 0;
  let pick = 0;

  const nextQuery = (): string => {
    // A random first position, then round robin: every query of the mix runs about as often.
    if (pick === 0) pick = Math.floor(options.random() * options.queries.length) + 1;
    pick += 1;
    return options.queries[pick % options.queries.length] ?? options.queries[0] ?? 'SELECT 1';
  };

  const runOne = (): Promise<void> => {
    const sql = nextQuery();
    const startAt = clock.now();
    started += 1;
    const entry = { startAt, settled: false };
    const done = (async (): Promise<void> => {
      let outcome: QueryOutcome;
      try {
        const result = await options.client.query(sql, { signal: abort.signal, timeoutMs: options.queryTimeoutMs });
        outcome = { ok: true, trace: result.trace };
      } catch (error) {
        outcome = { ok: false, error };
      }
      // Already written off by stop(): its late end changes nothing.
      if (entry.settled) return;
      entry.settled = true;
      const latencyMs = clock.now() - startAt;
      const classified = classifyOutcome(outcome);
      const wasAbandoned = !outcome.ok && abort.signal.aborted;
      if (wasAbandoned) abandoned += 1;
      const sample: QuerySample = {
        startMs: startAt - origin,
        latencyMs,
        cls: wasAbandoned ? 'lost' : classified.cls,
        errorKind: wasAbandoned ? ABANDONED_KIND : classified.errorKind,
        deployment: classified.deployment,
        retries: classified.retries,
      };
      samples.push(sample);
      options.onSample?.(sample);
    })();
    inFlight.set(done, entry);
    void done.finally(() => inFlight.delete(done));
    options.onStart?.(inFlight.size);
    return done;
  };

  let ticker: NodeJS.Timeout | null = null;
  if (options.rate === null) {
    for (let i = 0; i < options.workers; i += 1) {
      void (async (): Promise<void> => {
        while (!stopping) {
          await runOne();
          // Yield to timers, so a client that fails at once cannot starve stop().
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      })();
    }
  } else {
    const rate = options.rate;
    let due = 0;
    ticker = setInterval(() => {
      // Starts owed by now, so a late tick catches up instead of lowering the rate.
      const owed = Math.floor(((clock.now() - origin) / 1_000) * rate) - due;
      for (let i = 0; i < owed && !stopping; i += 1) {
        due += 1;
        if (inFlight.size >= options.workers) dropped += 1;
        else void runOne();
      }
    }, OPEN_LOOP_TICK_MS);
  }

  return {
    origin,
    progress: () => ({ started, finished: samples.length, inFlight: inFlight.size, dropped }),
    stop: async (waitMs) => {
      stopping = true;
      if (ticker !== null) clearInterval(ticker);
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, waitMs);
        });
        await Promise.race([Promise.all(inFlight.keys()), expired]);
        clearTimeout(timer);
      }
      if (inFlight.size > 0) {
        abort.abort();
        await Promise.race([Promise.all(inFlight.keys()), delay(ABORT_GRACE_MS)]);
      }
      // Whatever ignored the abort too is written off here, so stop() never hangs.
      for (const [done, pending] of inFlight) {
        if (pending.settled) continue;
        pending.settled = true;
        abandoned += 1;
        samples.push({ startMs: pending.startAt - origin, latencyMs: clock.now() - pending.startAt, cls: 'lost', errorKind: ABANDONED_KIND, deployment: null, retries: 0 });
        inFlight.delete(done);
      }
      return { samples, dropped, abandoned };
    },
  };
}
