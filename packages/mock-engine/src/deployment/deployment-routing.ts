import { WORK_STARTING_METHODS, type EngineMethodName } from '@e6data-ts/grpc-transport';
import { type Strategy } from '@e6data-ts/strategy-core';
import { type DeploymentPhase, newWorkTarget } from './deployment-phase';

/**
 * What the gateway does with one engine call:
 * - `forward` to `target`; when `announce` is set, the engine is told to put
 *   `new_strategy = announce` in its response.
 * - `reject` with HTTP 456: the named deployment does not take this call now.
 */
export type RouteDecision =
  | { readonly action: 'forward'; readonly target: Strategy; readonly announce: Strategy | null }
  | { readonly action: 'reject'; readonly target: Strategy; readonly reason: string };

/**
 * Calls that start work may only go to a deployment that takes new work. Any
 * other name (per-query calls, healthCheck, methods the engine does not know)
 * is treated as a call about what the deployment already holds.
 */
export function isWorkStarting(method: string): boolean {
  return WORK_STARTING_METHODS.has(method as EngineMethodName);
}

/**
 * Routes one call by the phase, the `strategy` header (already parsed; null
 * when absent) and the method name from the request path alone: no message
 * body is read.
 */
export function routeCall(phase: DeploymentPhase, requested: Strategy | null, method: string): RouteDecision {
  const target = requested ?? newWorkTarget(phase);
  switch (phase.tag) {
    case 'stable':
      return target === phase.live
        ? { action: 'forward', target, announce: null }
        : { action: 'reject', target, reason: `${target} is not live (${phase.live} is)` };
    case 'announce':
      return { action: 'forward', target, announce: phase.next };
    case 'cutover':
      if (target === phase.next) return { action: 'forward', target, announce: null };
      if (isWorkStarting(method)) {
        return { action: 'reject', target, reason: `${target} is draining and takes no new work (${method})` };
      }
      return { action: 'forward', target, announce: phase.next };
  }
}
