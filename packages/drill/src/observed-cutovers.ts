// Cutovers as one client sees them on a cluster the drill does not drive:
// from the connector's strategy changes, since a real cluster's phase
// history is not readable.
import { type DrillClientEvent } from './drill-client';
import { type CutoverRecord } from './phases';

type StrategyChange = Extract<DrillClientEvent, { type: 'strategyChange' }>;

/**
 * Reads cutovers from strategy changes (times already relative to the run start):
 * - `pending-set` to X: X was announced (announceAt);
 * - `pending-applied` or `drained`: the client moved all its work (switchAt and stableAt);
 * - `set` from one deployment to the other with nothing pending: a hard switch
 *   the client found by detecting again (switchAt = stableAt).
 */
export function cutoversFromEvents(events: readonly StrategyChange[]): CutoverRecord[] {
  const records: CutoverRecord[] = [];
  let announced: { to: NonNullable<StrategyChange['pending']>; from: StrategyChange['from']; at: number } | null = null;
  for (const event of events) {
    switch (event.reason) {
      case 'pending-set':
        if (event.pending !== null) announced = { to: event.pending, from: event.from ?? event.to, at: event.at };
        break;
      case 'pending-applied':
      case 'drained': {
        if (announced === null) break;
        records.push({
          id: records.length + 1,
          from: announced.from ?? (announced.to === 'blue' ? 'green' : 'blue'),
          to: announced.to,
          mode: 'graceful',
          source: 'observed',
          announceAt: announced.at,
          switchAt: event.at,
          stableAt: event.at,
        });
        announced = null;
        break;
      }
      case 'set':
        if (event.from !== null && event.to !== null && event.from !== event.to && announced === null) {
          records.push({ id: records.length + 1, from: event.from, to: event.to, mode: 'hard', source: 'observed', announceAt: null, switchAt: event.at, stableAt: event.at });
        }
        break;
      default:
        break;
    }
  }
  return records;
}
