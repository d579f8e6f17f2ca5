// node:diagnostics_channel tracing, for APM tools that subscribe by name
// instead of patching the module. Nothing is built or published unless
// someone subscribes: every helper checks `hasSubscribers` first.
import diagnosticsChannel from 'node:diagnostics_channel';
import { type StrategyRegistry } from '@e6data-ts/strategy-core';

/** Tracing channel names (start/end/asyncStart/asyncEnd/error). */
export const TRACE_CHANNELS = Object.freeze({
  connect: 'e6data:connect',
  query: 'e6data:query',
  fetch: 'e6data:fetch',
  poolAcquire: 'e6data:pool:acquire',
});

/** Plain channel names. */
export const EVENT_CHANNELS = Object.freeze({
  strategyChange: 'e6data:strategy:change',
  retry: 'e6data:retry',
});

const tracing = {
  connect: diagnosticsChannel.tracingChannel<object, object>(TRACE_CHANNELS.connect),
  query: diagnosticsChannel.tracingChannel<object, object>(TRACE_CHANNELS.query),
  fetch: diagnosticsChannel.tracingChannel<object, object>(TRACE_CHANNELS.fetch),
  poolAcquire: diagnosticsChannel.tracingChannel<object, object>(TRACE_CHANNELS.poolAcquire),
};

const plain = {
  strategyChange: diagnosticsChannel.channel(EVENT_CHANNELS.strategyChange),
  retry: diagnosticsChannel.channel(EVENT_CHANNELS.retry),
};

export type TraceName = keyof typeof tracing;

/**
 * Runs `fn` inside the named tracing channel with `context` (built only when
 * someone listens), or just runs it.
 */
export function traced<T>(name: TraceName, context: () => object, fn: () => Promise<T>): Promise<T> {
  const channel = tracing[name];
  if (!channel.hasSubscribers) return fn();
  return channel.tracePromise(fn, context());
}

// Registries whose transitions already feed `e6data:strategy:change`: one
// subscription per registry, so a transition of a store that N connections
// share is published once, not N times.
const watchedRegistries = new WeakSet<StrategyRegistry>();

/** Publishes every transition of `registry`'s stores on `e6data:strategy:change` (once per registry). */
export function watchRegistry(registry: StrategyRegistry): void {
  if (watchedRegistries.has(registry)) return;
  watchedRegistries.add(registry);
  registry.onTransition((endpoint, t) => publish('strategyChange', () => ({ endpoint, from: t.from, to: t.to, pending: t.pending, reason: t.reason, at: t.at })));
}

/** Publishes on a plain channel when someone subscribes. */
export function publish(name: keyof typeof plain, message: () => object): void {
  const channel = plain[name];
  if (channel.hasSubscribers) channel.publish(message());
}
