import { describeValue } from './describe-value';
import { endpointKey, type StrategyEndpoint } from './endpoint-key';
import { consoleStrategyLogger, type StrategyLogger } from './logger';
import { StrategyStore, validateTtl, type StrategyStoreOptions } from './strategy-store';
import type { StrategyTransition, Unsubscribe } from './transition';

/** Options every store of a registry is created with. */
export type StrategyRegistryOptions = StrategyStoreOptions;

/** A transition of one endpoint's store, tagged with the endpoint's key. */
export type RegistryTransitionListener = (key: string, transition: StrategyTransition) => void;

interface Entry {
  readonly store: StrategyStore;
  readonly unsubscribe: Unsubscribe;
}

/** Hands out one StrategyStore per endpoint (normalised host, port and cluster name). */
export class StrategyRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<RegistryTransitionListener>();
  private readonly logger: StrategyLogger;

  constructor(private readonly storeOptions: StrategyRegistryOptions = {}) {
    // Fail at construction, not at the first get() deep inside a query.
    validateTtl(storeOptions.ttlMs);
    this.logger = storeOptions.logger ?? consoleStrategyLogger;
  }

  /** The endpoint's store, created with the registry's options on first use. */
  get(endpoint: StrategyEndpoint): StrategyStore {
    const key = endpointKey(endpoint);
    const existing = this.entries.get(key);
    if (existing !== undefined) return existing.store;
    const store = new StrategyStore(this.storeOptions);
    const unsubscribe = store.onTransition((transition) => this.forward(key, transition));
    this.entries.set(key, { store, unsubscribe });
    return store;
  }

  /** The endpoint's store if one exists; never creates. */
  peek(endpoint: StrategyEndpoint): StrategyStore | undefined {
    return this.entries.get(endpointKey(endpoint))?.store;
  }

  has(endpoint: StrategyEndpoint): boolean {
    return this.entries.has(endpointKey(endpoint));
  }

  /** Drops the endpoint's store (the next get starts from nothing); true when one existed. */
  delete(endpoint: StrategyEndpoint): boolean {
    const key = endpointKey(endpoint);
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    entry.unsubscribe();
    this.entries.delete(key);
    return true;
  }

  /** Drops every store. Registry-wide transition listeners stay subscribed. */
  clear(): void {
    for (const entry of this.entries.values()) entry.unsubscribe();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Keys of the endpoints that have a store, in creation order. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Subscribes to transitions of every store, present and future. A listener
   * that throws is reported through the logger and does not stop the others.
   */
  onTransition(listener: RegistryTransitionListener): Unsubscribe {
    const entry: RegistryTransitionListener = (key, t) => listener(key, t);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  private forward(key: string, transition: StrategyTransition): void {
    for (const listener of this.listeners) {
      try {
        listener(key, transition);
      } catch (err: unknown) {
        // One broken metrics hook must not starve the others of the event.
        this.logger.warn(`registry transition listener threw on '${transition.reason}' for ${key}`, {
          key,
          reason: transition.reason,
          error: err instanceof Error ? err.message : describeValue(err),
        });
      }
    }
  }
}

// The one module-level singleton the design allows: callers that do not inject
// a registry share this one, so every connection to an endpoint sees the same state.
let defaultRegistry: StrategyRegistry | undefined;

/** The process-wide registry, created on first use with default store options. */
export function getDefaultRegistry(): StrategyRegistry {
  defaultRegistry ??= new StrategyRegistry();
  return defaultRegistry;
}
