import { type Strategy } from '@e6data-ts/strategy-core';

/**
 * Where a blue/green deployment stands. A tagged union: each phase carries
 * exactly the deployments it needs.
 * - `stable`: `live` takes all work; the other deployment answers 456.
 * - `announce`: both take all work; responses carry `new_strategy = next`.
 * - `cutover`: `next` takes all new work; `old` serves only calls about the
 *   queries it already holds (until the drain ends), still announcing `next`.
 */
export type DeploymentPhase =
  | { readonly tag: 'stable'; readonly live: Strategy }
  | { readonly tag: 'announce'; readonly live: Strategy; readonly next: Strategy }
  | { readonly tag: 'cutover'; readonly old: Strategy; readonly next: Strategy };

/** A deployment phase's name. */
export type PhaseTag = DeploymentPhase['tag'];

/** The deployment a call without a `strategy` header goes to: the one taking new work. */
export function newWorkTarget(phase: DeploymentPhase): Strategy {
  switch (phase.tag) {
    case 'stable':
    case 'announce':
      return phase.live;
    case 'cutover':
      return phase.next;
  }
}

/** Short text for logs and history: `stable(blue)`, `announce(green)`, `cutover(blue->green)`. */
export function describePhase(phase: DeploymentPhase): string {
  switch (phase.tag) {
    case 'stable':
      return `stable(${phase.live})`;
    case 'announce':
      return `announce(${phase.next})`;
    case 'cutover':
      return `cutover(${phase.old}->${phase.next})`;
  }
}
