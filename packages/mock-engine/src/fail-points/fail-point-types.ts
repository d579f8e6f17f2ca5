import { type Strategy } from '@e6data-ts/strategy-core';

/**
 * When a fail point fires:
 * - `alwaysOn`: on every matching call.
 * - `off`: never (kept registered, e.g. to read its hit count).
 * - `{ times: n }`: on the next n matching calls, then never.
 * - `{ probability: p }`: on each matching call with probability p (0..1),
 *   drawn from the cluster's random source, or from a generator seeded with
 *   `seed` so a run can be repeated.
 */
export type FailPointMode =
  | 'alwaysOn'
  | 'off'
  | { readonly times: number }
  | { readonly probability: number; readonly seed?: number };

/**
 * What a firing fail point does to the call. `delayMs` alone waits and then
 * forwards the call as usual; with another action it waits first, then acts.
 * - `grpcStatus`: a trailers-only gRPC answer with that code and `details`.
 * - `httpStatus`: an HTTP answer with that status and no gRPC status (e.g. 456, 503, 500).
 * - `drop`: the client's connection is destroyed mid-call (a transport failure).
 * - `corrupt`: the engine's answer is forwarded with its result bytes damaged so
 *   the client's codec fails (getNextResultBatch and getResultMetadata only).
 * - `referenceMismatch`: what the reference project's mock answers on a wrong
 *   strategy: INVALID_ARGUMENT, `Wrong strategy. Status: 456. Expected: <live>, Got: <requested>`.
 * - `stall`: the call is accepted and never answered, as by a black-holed host:
 *   its request bytes are neither read nor credited, and the gateway holds the
 *   stream until the client resets it or the connection closes. Only a client
 *   deadline ends such a call.
 */
export type FailPointAction =
  | { readonly grpcStatus: number; readonly details?: string; readonly delayMs?: number }
  | { readonly httpStatus: number; readonly delayMs?: number }
  | { readonly drop: true; readonly delayMs?: number }
  | { readonly corrupt: true; readonly delayMs?: number }
  | { readonly referenceMismatch: true; readonly delayMs?: number }
  | { readonly stall: true; readonly delayMs?: number }
  | { readonly delayMs: number };

/** A fail point: when it fires (mode) and what it does (action). */
export interface FailPointSpec {
  readonly mode: FailPointMode;
  readonly action: FailPointAction;
  /** Fire only for calls routed to this deployment. */
  readonly deployment?: Strategy;
}

/** A QueryEngineService method name, or `*` for every method without a fail point of its own. */
export type FailPointTarget = string;

/** A registered fail point as listed by the admin API. */
export interface FailPointInfo {
  readonly rpc: FailPointTarget;
  readonly mode: FailPointMode;
  readonly action: FailPointAction;
  readonly deployment: Strategy | null;
  /** Times it fired. */
  readonly hits: number;
  /** For `{ times }`: firings left. Null for other modes. */
  readonly remaining: number | null;
}

/** The effect a firing fail point has, normalised for the gateway. */
export type FailPointEffect =
  | { readonly kind: 'grpc-status'; readonly code: number; readonly details: string }
  | { readonly kind: 'http-status'; readonly status: number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'corrupt' }
  | { readonly kind: 'reference-mismatch' }
  | { readonly kind: 'stall' }
  | { readonly kind: 'pass' };

/** A fail point that fired for one call. */
export interface FailPointHit {
  readonly rpc: FailPointTarget;
  readonly delayMs: number;
  readonly effect: FailPointEffect;
}
