// The public door of @e6data-ts/strategy-core: blue/green strategy values, the
// per-endpoint StrategyStore, the registry that hands stores out, and the
// single-flight helper detection uses. Pure logic: no I/O, no timers.
export { type Strategy, STRATEGIES, parseStrategy, isStrategy, otherStrategy } from './strategy';
export { StrategyStore, type StrategyStoreOptions, type StrategySnapshot } from './strategy-store';
export type { TransitionReason, StrategyTransition, StrategyTransitionListener, Unsubscribe } from './transition';
export {
  StrategyRegistry,
  getDefaultRegistry,
  type StrategyRegistryOptions,
  type RegistryTransitionListener,
} from './strategy-registry';
export { endpointKey, type StrategyEndpoint } from './endpoint-key';
export { SingleFlight } from './single-flight';
export { type Clock, systemClock } from './clock';
export { type StrategyLogger, consoleStrategyLogger, silentStrategyLogger } from './logger';
export { describeValue } from './describe-value';
export { StrategyCoreError, type StrategyCoreErrorCode } from './errors';
