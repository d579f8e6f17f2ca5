// Cutovers as one client sees them on a cluster the drill does not drive:
// from the connector's strategy changes, since a real cluster's phase
// history is not readable.
import { type DrillClientEvent } from './drill-client';
import { type Deployment } from './drill-options';
import { type CutoverRecord } from './phases';

type StrategyChange = Extract<DrillClientEvent, { type: 'strategyChange' }>;

/**
 * Reads cutovers from strategy changes (times already relative to the run start):
 * - `pending-set` to X: X was announced (announceAt);
 * - `pending-applied` or `drained`, or a detection (`set`) that lands on the
 *   announced side: the client moved all its work (switchAt and stableAt);
 * - a detection (`set`, often after `cleared`) that lands on the other side
 *   with nothing announced: a hard switch (switchAt = stableAt).
 */
export function cutoversFromEvents(events: readonly StrategyChange[]): CutoverRecord[] {
  const records: CutoverRecord[] = [];
  let active: Deployment | null = null;
  let announced: { to: Deployment; from: Deployment | null; at: number } | null = null;
  const record = (from: Deployment, to: Deployment, mode: 'graceful' | 'hard', announceAt: number | null, at: number): void => {
    records.push({ id: records.length + 1, from, to, mode, source: 'observed', announceAt, switchAt: at, stableAt: at });
  };
  for (const event of events) {
    switch (event.reason) {
      case 'pending-set':
        if (event.pending !== null) announced = { to: event.pending, from: event.from ?? active, at: event.at };
        break;
      case 'pending-applied':
      case 'drained':
      case 'set': {
        const to = event.to;
        if (to === null) break;
        if (announced !== null && to === announced.to) {
          record(announced.from ?? other(to), to, 'graceful', announced.at, event.at);
          announced = null;
        } else if (active !== null && to !== active) {
          record(active, to, 'hard', null, event.at);
          announced = null;
        }
        active = to;
        break;
      }
      case 'cleared':
      case 'expired':
        // The last known side stays the reference: detection will say where the cluster went.
        break;
    }
  }
  return records;
}

function other(side: Deployment): Deployment {
  return side === 'blue' ? 'green' : 'blue';
}
