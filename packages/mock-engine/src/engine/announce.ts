import { type Metadata } from '@grpc/grpc-js';
import { parseStrategy, type Strategy } from '@e6data-ts/strategy-core';

/**
 * Request metadata by which the gateway (possibly in another process) asks
 * this engine to announce a deployment: that call's response carries
 * new_strategy = the header's value. The gateway strips client-sent copies, so
 * the engine trusts it.
 */
export const ANNOUNCE_HEADER = 'x-mock-announce-strategy';

/**
 * The strategy a response announces: the request's header when it holds a
 * valid value, else the engine's standing announcement (or none).
 */
export function announcementFor(metadata: Metadata, standing: Strategy | null, onInvalid?: (value: string) => void): Strategy | null {
  for (const value of metadata.get(ANNOUNCE_HEADER)) {
    const text = typeof value === 'string' ? value : value.toString('utf8');
    const strategy = parseStrategy(text);
    if (strategy) return strategy;
    onInvalid?.(text);
  }
  return standing;
}
