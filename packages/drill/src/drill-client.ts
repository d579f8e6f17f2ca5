// The narrow view of the connector the drill works through, so the workload,
// classification and reports can be tested without a cluster.
import { type Deployment } from './drill-options';
import { type DrillTrace } from './query-class';

/** What the drill hears from the connector besides query results. */
export type DrillClientEvent =
  | { readonly type: 'detect'; readonly strategy: Deployment; readonly at: number }
  | { readonly type: 'retry'; readonly reason: string; readonly at: number }
  | {
      readonly type: 'strategyChange';
      readonly from: Deployment | null;
      readonly to: Deployment | null;
      readonly pending: Deployment | null;
      readonly reason: string;
      readonly at: number;
    }
  | { readonly type: 'queryLost'; readonly rerun: boolean; readonly at: number };

/** One query's abort signal and time limit. */
export interface DrillQueryOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** One connection the workload shares between its workers. */
export interface DrillClient {
  /** Runs `sql` to the end (all rows read); resolves with its trace, rejects with the connector's error. */
  query(sql: string, options?: DrillQueryOptions): Promise<{ readonly rows: number; readonly trace: DrillTrace }>;
  /** Calls `listener` for every connector event; returns a function that stops it. */
  subscribe(listener: (event: DrillClientEvent) => void): () => void;
  /** Detections of the live deployment so far, the one at connect included. */
  detections(): number;
  close(): Promise<void>;
}
