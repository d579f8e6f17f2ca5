import { type Strategy } from '@e6data-ts/strategy-core';
import { effectOf, parseFailPointSpec, parseFailPointTarget } from './fail-point-parse';
import {
  type FailPointHit,
  type FailPointInfo,
  type FailPointSpec,
  type FailPointTarget,
} from './fail-point-types';
import { seededRandom } from './seeded-random';

export interface FailPointsOptions {
  /** The random source of `{ probability }` fail points without a seed of their own. Default Math.random. */
  random?: () => number;
}

interface Entry {
  readonly rpc: FailPointTarget;
  readonly spec: FailPointSpec;
  readonly random: () => number;
  hits: number;
  remaining: number | null;
}

/**
 * The gateway's fault switchboard: at most one fail point per method plus a
 * catch-all `*`. A method's own fail point is consulted first; the catch-all
 * only when the method's own did not fire.
 */
export class FailPoints {
  private readonly entries = new Map<FailPointTarget, Entry>();
  private readonly random: () => number;
  private stalled = 0;

  constructor(options: FailPointsOptions = {}) {
    this.random = options.random ?? Math.random;
  }

  /** Registers (or replaces) the fail point of `rpc`. Throws InvalidMockOptionError naming a bad field. */
  set(rpc: string, spec: FailPointSpec): FailPointInfo {
    const target = parseFailPointTarget(rpc);
    const checked = parseFailPointSpec(target, spec);
    const mode = checked.mode;
    const entry: Entry = {
      rpc: target,
      spec: checked,
      random: typeof mode === 'object' && 'probability' in mode && mode.seed !== undefined ? seededRandom(mode.seed) : this.random,
      hits: 0,
      remaining: typeof mode === 'object' && 'times' in mode ? mode.times : null,
    };
    this.entries.set(target, entry);
    return info(entry);
  }

  /** Removes the fail point of `rpc`; false when there was none. */
  clear(rpc: string): boolean {
    return this.entries.delete(rpc);
  }

  clearAll(): void {
    this.entries.clear();
  }

  get(rpc: string): FailPointInfo | undefined {
    const entry = this.entries.get(rpc);
    return entry === undefined ? undefined : info(entry);
  }

  list(): FailPointInfo[] {
    return [...this.entries.values()].map(info);
  }

  /** Calls a `stall` fail point holds open right now. */
  stalledCalls(): number {
    return this.stalled;
  }

  /**
   * Counts one call a `stall` fail point now holds; the returned function
   * releases it (once, however often it is called) when the call ends.
   */
  holdStalled(): () => void {
    this.stalled += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.stalled -= 1;
    };
  }

  /**
   * Consulted once per engine call routed to `deployment`. Returns what to do
   * when a fail point fires (counting it), or null to let the call through.
   */
  evaluate(rpc: string, deployment: Strategy): FailPointHit | null {
    for (const key of [rpc, '*']) {
      const entry = this.entries.get(key);
      if (entry !== undefined && fires(entry, deployment)) {
        entry.hits += 1;
        if (entry.remaining !== null) entry.remaining -= 1;
        return { rpc: entry.rpc, delayMs: entry.spec.action.delayMs ?? 0, effect: effectOf(entry.spec.action) };
      }
    }
    return null;
  }
}

function fires(entry: Entry, deployment: Strategy): boolean {
  const { mode, deployment: only } = entry.spec;
  if (only !== undefined && only !== deployment) return false;
  if (mode === 'alwaysOn') return true;
  if (mode === 'off') return false;
  if ('times' in mode) return (entry.remaining ?? 0) > 0;
  return entry.random() < mode.probability;
}

function info(entry: Entry): FailPointInfo {
  return {
    rpc: entry.rpc,
    mode: entry.spec.mode,
    action: entry.spec.action,
    deployment: entry.spec.deployment ?? null,
    hits: entry.hits,
    remaining: entry.remaining,
  };
}
