// How one query ended, as the drill counts it.
import { type Deployment } from './drill-options';

/**
 * The classes, best first:
 * - `ok`: succeeded at the first try.
 * - `retried`: succeeded after the connector retried a call.
 * - `moved`: succeeded after starting on an announced (pending) deployment.
 * - `rerun`: its deployment vanished and the connector ran it again on the live one.
 * - `ambiguous`: failed at a point where it may or may not have run.
 * - `lost`: failed.
 */
export type QueryClass = 'ok' | 'retried' | 'moved' | 'rerun' | 'ambiguous' | 'lost';

/** Every QueryClass, from best outcome to worst (the report's column order). */
export const QUERY_CLASSES: readonly QueryClass[] = Object.freeze(['ok', 'retried', 'moved', 'rerun', 'ambiguous', 'lost']);

/** What the drill reads from a successful query's trace. */
export interface DrillTrace {
  readonly strategy: Deployment;
  readonly retries: number;
  readonly moved: boolean;
  readonly rerun: boolean;
}

/** A query's end: its trace, or what it threw. */
export type QueryOutcome = { readonly ok: true; readonly trace: DrillTrace } | { readonly ok: false; readonly error: unknown };

/** How one query ended: its class, the error if any, the deployment it ran on and its retries. */
export interface Classification {
  readonly cls: QueryClass;
  /** For failures: the error's name and code (`QueryLostError/QUERY_LOST`); null for successes. */
  readonly errorKind: string | null;
  /** The deployment it ran (or failed) on, when known. */
  readonly deployment: Deployment | null;
  readonly retries: number;
}

/**
 * Classifies one query. A success is counted once, by the most telling thing
 * that happened to it: a rerun over a move over a retry. A failure whose
 * `stage` is `ambiguous` is ambiguous; any other failure is lost.
 */
export function classifyOutcome(outcome: QueryOutcome): Classification {
  if (outcome.ok) {
    const { trace } = outcome;
    const cls: QueryClass = trace.rerun ? 'rerun' : trace.moved ? 'moved' : trace.retries > 0 ? 'retried' : 'ok';
    return { cls, errorKind: null, deployment: trace.strategy, retries: trace.retries };
  }
  const error = outcome.error as { stage?: unknown; strategy?: unknown } | null;
  const stage = typeof error === 'object' && error !== null ? error.stage : undefined;
  const strategy = typeof error === 'object' && error !== null ? error.strategy : undefined;
  return {
    cls: stage === 'ambiguous' ? 'ambiguous' : 'lost',
    errorKind: errorKindOf(outcome.error),
    deployment: strategy === 'blue' || strategy === 'green' ? strategy : null,
    retries: 0,
  };
}

/** `Name/CODE` of an error (just `Name` without a code); `non-error` for a thrown non-Error. */
export function errorKindOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'non-error';
  const { name, code } = error as { name?: unknown; code?: unknown };
  const base = typeof name === 'string' && name !== '' ? name : 'Error';
  return typeof code === 'string' && code !== '' ? `${base}/${code}` : base;
}

/** True for the classes that fail the verdict. */
export function isFailure(cls: QueryClass, allowAmbiguous: boolean): boolean {
  return cls === 'lost' || (cls === 'ambiguous' && !allowAmbiguous);
}
