import { type Clock, systemClock } from './clock';
import { describeValue } from './describe-value';
import { StrategyCoreError } from './errors';
import { consoleStrategyLogger, type StrategyLogger } from './logger';
import { otherStrategy, parseStrategy, type Strategy } from './strategy';
import type { StrategyTransition, StrategyTransitionListener, TransitionReason, Unsubscribe } from './transition';

/** How a StrategyStore keeps time, reports refused values and ages its active strategy. */
export interface StrategyStoreOptions {
  /** Time source for TTL and timestamps; Date.now by default. */
  clock?: Clock;
  /** Where refused values and failing listeners are reported; console.warn by default (see logger.ts). */
  logger?: StrategyLogger;
  /**
   * How long an active strategy stays trusted after it was last confirmed, in ms.
   * Off by default: a strategy is only replaced by detection, a pending
   * promotion or clear(), never by the passage of time.
   */
  ttlMs?: number;
}

/** Debugging view of a store; a fresh frozen object on every call. */
export interface StrategySnapshot {
  readonly active: Strategy | null;
  readonly pending: Strategy | null;
  /** Last time the active strategy was confirmed (set, re-set or promoted); null before the first. */
  readonly lastCheckAt: number | null;
  /** Last time the active strategy changed; null before the first change. */
  readonly lastTransitionAt: number | null;
  readonly ttlMs: number | null;
  /** When the active strategy stops being trusted; null without TTL or active strategy. */
  readonly expiresAt: number | null;
  /** How many running queries are pinned to each strategy. */
  readonly queries: { readonly blue: number; readonly green: number };
}

/** The TTL option as stored (null when off); throws INVALID_OPTION for anything but a positive finite number. */
export function validateTtl(ttlMs: unknown): number | null {
  if (ttlMs === undefined) return null;
  if (typeof ttlMs === 'number' && Number.isFinite(ttlMs) && ttlMs > 0) return ttlMs;
  throw new StrategyCoreError('INVALID_OPTION', `ttlMs must be a positive finite number of milliseconds, got ${describeValue(ttlMs)}`);
}

/**
 * The blue/green state of one endpoint: the active strategy (what detection
 * found), an optional pending one (what the cluster announced next) and the
 * strategy each running query is pinned to.
 *
 * Rules (docs/zero-downtime.md rules 3 and 10):
 * - Invalid values are refused: the method returns false, warns through the
 *   logger and changes nothing. Nothing here throws for a bad strategy value.
 * - Pending never equals active. setPending never changes active.
 * - New queries go to pending when there is one, else to active.
 * - Pending becomes active when the last query pinned to the old strategy
 *   (the one that is not pending) stops being pinned, or on applyPending().
 *   If no old query is running when pending is announced, nothing is waiting
 *   to drain, so promotion happens on applyPending() or
 *   applyPendingIfDrained(); queries pinned to the pending strategy never
 *   hold promotion back.
 * - clear() forgets active and pending; running queries stay pinned.
 */
export class StrategyStore {
  private readonly clock: Clock;
  private readonly logger: StrategyLogger;
  private readonly ttlMs: number | null;

  private active: Strategy | null = null;
  private pending: Strategy | null = null;
  private lastCheckAt: number | null = null;
  private lastTransitionAt: number | null = null;
  // Precomputed so the TTL check on the read path is one comparison.
  private expiresAt = Number.POSITIVE_INFINITY;

  private readonly queries = new Map<string, Strategy>();
  // Per-strategy pin counts make the drain check O(1) instead of a scan.
  private bluePinned = 0;
  private greenPinned = 0;

  private readonly listeners = new Set<StrategyTransitionListener>();

  constructor(options: StrategyStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? consoleStrategyLogger;
    this.ttlMs = validateTtl(options.ttlMs);
  }

  /** The active strategy, or null when unknown (never set, cleared or expired). */
  getActive(): Strategy | null {
    if (this.ttlMs !== null && this.active !== null && this.clock.now() >= this.expiresAt) {
      this.expire();
    }
    return this.active;
  }

  /**
   * Records the strategy detection found. Case-insensitive ('GREEN' -> 'green').
   * Re-setting the same strategy refreshes its check time (and TTL).
   * Returns false, with a warning, for anything that is not a strategy.
   */
  setActive(value: unknown): boolean {
    const strategy = this.parseOrWarn(value, 'setActive');
    if (strategy === null) return false;
    const now = this.clock.now();
    const from = this.active;
    this.confirm(now);
    if (from === strategy) return true;
    this.active = strategy;
    // Detection landed on what was announced: nothing is pending any more.
    if (this.pending === strategy) this.pending = null;
    this.lastTransitionAt = now;
    this.emit('set', from, now);
    return true;
  }

  /** Forgets active and pending; queries keep the strategy they are pinned to. */
  clear(): void {
    const from = this.active;
    if (from === null && this.pending === null) return;
    const now = this.clock.now();
    this.active = null;
    this.pending = null;
    if (from !== null) this.lastTransitionAt = now;
    this.emit('cleared', from, now);
  }

  getPending(): Strategy | null {
    return this.pending;
  }

  /**
   * Records the strategy the cluster announced next. Active is unchanged.
   * Returns true when `value` is (now) the pending strategy; false when it is
   * invalid (with a warning) or equals the active strategy (a no-op: pending
   * never equals active, and new queries already go there).
   */
  setPending(value: unknown): boolean {
    const strategy = this.parseOrWarn(value, 'setPending');
    if (strategy === null) return false;
    if (strategy === this.getActive()) return false;
    if (this.pending === strategy) return true;
    this.pending = strategy;
    this.emit('pending-set', this.active, this.clock.now());
    return true;
  }

  /** Makes pending active and returns it; null (and no change) when nothing was pending. */
  applyPending(): Strategy | null {
    return this.promote('pending-applied');
  }

  /**
   * Makes pending active only when no running query is pinned to the old
   * strategy; returns the new active strategy, or null when nothing changed.
   * Lets a caller honour "nothing waits for idle" when pending was announced
   * while no old query was running, so no cleanup will ever trigger the drain.
   */
  applyPendingIfDrained(): Strategy | null {
    const pending = this.pending;
    if (pending === null || this.pinnedCount(otherStrategy(pending)) > 0) return null;
    return this.promote('drained');
  }

  /**
   * Pins a query to the strategy it started on. Re-registering a query moves its
   * pin (and may drain the strategy it left). Returns false, with a warning, for
   * an invalid strategy or an empty query id.
   */
  registerQuery(queryId: string, strategy: unknown): boolean {
    if (typeof queryId !== 'string' || queryId.length === 0) {
      this.logger.warn(`registerQuery refused query id ${describeValue(queryId)}: expected a non-empty string`, {
        operation: 'registerQuery',
      });
      return false;
    }
    const pinned = this.parseOrWarn(strategy, 'registerQuery');
    if (pinned === null) return false;
    const previous = this.queries.get(queryId);
    if (previous === pinned) return true;
    this.queries.set(queryId, pinned);
    if (pinned === 'blue') this.bluePinned++;
    else this.greenPinned++;
    if (previous !== undefined) this.release(previous);
    return true;
  }

  /** The strategy a query is pinned to; an unknown query gets the active strategy. */
  getQueryStrategy(queryId: string): Strategy | null {
    return this.queries.get(queryId) ?? this.getActive();
  }

  /** Unpins a query (cleared, cancelled, exhausted or failed). Unknown ids are ignored. */
  cleanupQuery(queryId: string): void {
    const pinned = this.queries.get(queryId);
    if (pinned === undefined) return;
    this.queries.delete(queryId);
    this.release(pinned);
  }

  /** Where a query starting now should go: pending if announced, else active. */
  strategyForNewQuery(): Strategy | null {
    return this.pending ?? this.getActive();
  }

  /** How many running queries are pinned to `strategy`. */
  pinnedCount(strategy: Strategy): number {
    return strategy === 'blue' ? this.bluePinned : this.greenPinned;
  }

  /** Subscribes to state changes; listeners run synchronously after the change. */
  onTransition(listener: StrategyTransitionListener): Unsubscribe {
    // Wrapping makes each subscription distinct, so one listener subscribed twice unsubscribes independently.
    const entry: StrategyTransitionListener = (t) => listener(t);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  snapshot(): StrategySnapshot {
    const active = this.getActive();
    const expiresAt = this.ttlMs !== null && active !== null ? this.expiresAt : null;
    return Object.freeze({
      active,
      pending: this.pending,
      lastCheckAt: this.lastCheckAt,
      lastTransitionAt: this.lastTransitionAt,
      ttlMs: this.ttlMs,
      expiresAt,
      queries: Object.freeze({ blue: this.bluePinned, green: this.greenPinned }),
    });
  }

  private confirm(now: number): void {
    this.lastCheckAt = now;
    if (this.ttlMs !== null) this.expiresAt = now + this.ttlMs;
  }

  private release(strategy: Strategy): void {
    const left = strategy === 'blue' ? --this.bluePinned : --this.greenPinned;
    // Only the old strategy's last query drains; a query on pending never holds promotion back.
    if (left === 0 && this.pending !== null && this.pending !== strategy) this.promote('drained');
  }

  private promote(reason: 'pending-applied' | 'drained'): Strategy | null {
    const next = this.pending;
    if (next === null) return null;
    const now = this.clock.now();
    const from = this.active;
    this.active = next;
    this.pending = null;
    this.confirm(now);
    this.lastTransitionAt = now;
    this.emit(reason, from, now);
    return next;
  }

  private expire(): void {
    const now = this.clock.now();
    const from = this.active;
    this.active = null;
    this.lastTransitionAt = now;
    this.emit('expired', from, now);
  }

  private parseOrWarn(value: unknown, operation: string): Strategy | null {
    const strategy = parseStrategy(value);
    if (strategy === null) {
      this.logger.warn(`${operation} ignored invalid strategy ${describeValue(value)}: expected 'blue' or 'green'`, { operation });
    }
    return strategy;
  }

  private emit(reason: TransitionReason, from: Strategy | null, at: number): void {
    if (this.listeners.size === 0) return;
    const transition: StrategyTransition = Object.freeze({ reason, from, to: this.active, pending: this.pending, at });
    for (const listener of this.listeners) {
      try {
        listener(transition);
      } catch (err: unknown) {
        // A broken metrics hook must not corrupt strategy state or the caller's call.
        this.logger.warn(`transition listener threw on '${reason}'`, { reason, error: err instanceof Error ? err.message : describeValue(err) });
      }
    }
  }
}
