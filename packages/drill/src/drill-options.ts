import { type Strategy } from '@e6data-ts/strategy-core';

/** How the drill's cutovers switch: every one graceful, every one hard, or alternating. */
export type CutoverMode = 'graceful' | 'hard' | 'mixed';

/** A real cluster to observe, from `--target host:port`. */
export interface TargetAddress {
  readonly host: string;
  readonly port: number;
}

/** Everything one drill run needs, after the flags were checked. */
export interface DrillOptions {
  /** Null: start the mock cluster in this process and drive its cutovers. */
  readonly target: TargetAddress | null;
  readonly tls: boolean;
  readonly caFile: string | null;
  readonly cluster: string | null;
  /** Closed loop: this many workers, each running one query after another. With `rate`, the most queries in flight. */
  readonly workers: number;
  /** Open loop: query starts per second; null for the closed loop. */
  readonly rate: number | null;
  readonly durationMs: number;
  readonly queries: readonly string[];
  readonly clients: number;
  readonly cutovers: number;
  readonly mode: CutoverMode;
  /** Announce time of graceful cutovers (0: none). */
  readonly announceMs: number;
  /** Drain time of graceful cutovers (0: none). */
  readonly drainMs: number;
  readonly chaos: boolean;
  readonly jsonFile: string | null;
  readonly htmlFile: string | null;
  readonly allowAmbiguous: boolean;
  readonly rerunOnLoss: boolean;
  readonly seed: number;
  /** Deadline of one query. */
  readonly queryTimeoutMs: number;
  /** After the run (or SIGINT), how long to wait for queries still in flight. */
  readonly stopWaitMs: number;
  /** Admin API of a mock cluster whose phase history gives exact phase times (what `--clients` children read). */
  readonly observeAdmin: string | null;
  /** Live view: `auto` picks the bar on a terminal and plain lines otherwise. */
  readonly live: 'auto' | 'bar' | 'plain' | 'off';
}

/** The default query mix: a trivial query, a small and a large read of the seeded data, an aggregate. */
export const DEFAULT_QUERIES: readonly string[] = Object.freeze([
  'SELECT 1',
  'SELECT id, col_integer, col_varchar, col_decimal_18_4, col_timestamp FROM mock_table ORDER BY id LIMIT 10',
  'SELECT id, col_bigint, col_double, col_varchar, col_date FROM mock_table ORDER BY id LIMIT 10000',
  'SELECT col_boolean, COUNT(*) AS n, SUM(col_integer) AS total, AVG(col_double) AS mean FROM mock_table GROUP BY col_boolean ORDER BY col_boolean',
]);

/** The deployments a query can end on. */
export type Deployment = Strategy;
