// What a cursor needs from its connection: the wire client, the router, the
// endpoint's blue/green store, the options, and the counters and events it
// reports into. Internal: users see Connection and Cursor only.
import { type EngineClient } from '@e6data-ts/grpc-transport';
import { type StrategyStore } from '@e6data-ts/strategy-core';
import { type ConnectionStats } from './diagnostics/connection-stats';
import { type QueryLostEvent, type RetryReason } from './diagnostics/connector-events';
import { type ResolvedOptions } from './options/connect-options';
import { type Router } from './routing/router';

export interface ConnectionContext {
  readonly client: EngineClient;
  readonly router: Router;
  readonly store: StrategyStore;
  readonly options: ResolvedOptions;
  readonly stats: ConnectionStats;
  now(): number;
  /** Throws ClosedError when the connection is closed. */
  assertOpen(method: string): void;
  /** Keeps a background call (a clear sent after the last row) so close() can wait for it. */
  track(work: Promise<unknown>): void;
  /** A cursor opened or closed: the connection closes open cursors on close(). */
  cursorOpened(cursor: { close(): Promise<void> }): void;
  cursorClosed(cursor: { close(): Promise<void> }): void;
  emitQueryLost(event: QueryLostEvent): void;
  /** A call or statement is tried again: counted by reason and reported as a `retry` event. */
  emitRetry(reason: RetryReason, method: string, attempt: number, delayMs: number, queryId: string | undefined): void;
}
