import { type StrategyStore, type Unsubscribe } from '@e6data-ts/strategy-core';
import { type StrategyChangeEvent } from './connector-events';

/**
 * Follows an endpoint store's transitions and hands each one on as a
 * StrategyChangeEvent, saying whether it switched the active deployment.
 * Switches are counted against the last deployment seen active, so a switch
 * found by re-detection (active cleared, then set) counts like a promotion does.
 */
export function watchStore(store: StrategyStore, endpoint: string, onChange: (event: StrategyChangeEvent, switched: boolean) => void): Unsubscribe {
  let lastActive = store.getActive();
  return store.onTransition((t) => {
    let switched = false;
    if (t.to !== null) {
      switched = lastActive !== null && t.to !== lastActive;
      lastActive = t.to;
    }
    onChange({ endpoint, from: t.from, to: t.to, pending: t.pending, reason: t.reason, at: t.at }, switched);
  });
}
