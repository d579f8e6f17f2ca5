// A token bucket per endpoint: every retry spends a token, every success puts
// back a fraction of one. While a cluster is healthy the bucket stays full and
// retries are free; when it is down, the bucket empties after `capacity`
// retries and further failures surface at once instead of multiplying into a
// retry storm from every caller.
import { type StrategyStore } from '@e6data-ts/strategy-core';

/** Tokens a success refills. */
const REFILL_PER_SUCCESS = 0.1;

export class RetryBudget {
  private tokens: number;

  constructor(readonly capacity: number) {
    this.tokens = capacity;
  }

  /** Spends one token; false (and nothing spent) when the bucket is empty. */
  trySpend(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** A call succeeded: refill a little. */
  recordSuccess(): void {
    this.tokens = Math.min(this.capacity, this.tokens + REFILL_PER_SUCCESS);
  }

  /** Tokens left (fractional). */
  get available(): number {
    return this.tokens;
  }
}

// Keyed by the endpoint's store, so every connection to one endpoint draws
// from one bucket, and the bucket goes when the store does.
const budgets = new WeakMap<StrategyStore, RetryBudget>();

/** The retry budget of the endpoint that owns `store`. */
export function budgetFor(store: StrategyStore, capacity: number): RetryBudget {
  let budget = budgets.get(store);
  if (budget === undefined) {
    budget = new RetryBudget(capacity);
    budgets.set(store, budget);
  }
  return budget;
}
