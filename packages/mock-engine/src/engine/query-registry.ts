import { EngineError, QueryNotFoundError } from './engine-error';
import { type Query } from './query';

export type QueryEnd = 'cleared' | 'cancelled' | 'expired';

/** How many ended query ids are remembered, so late calls about them get a precise answer. */
const REMEMBERED_ENDS = 10_000;

/**
 * The queries a deployment holds, plus a bounded memory of the ones that
 * ended: a clear or cancel that arrives twice (a client retrying) succeeds,
 * and a fetch after cancel says "cancelled" rather than "not found".
 */
export class QueryRegistry {
  private readonly live = new Map<string, Query>();
  private readonly ended = new Map<string, QueryEnd>();

  constructor(private readonly deployment: string) {}

  get size(): number {
    return this.live.size;
  }

  add(query: Query): void {
    this.live.set(query.id, query);
  }

  has(queryId: string): boolean {
    return this.live.has(queryId);
  }

  /** The live query, or the error a call about `queryId` deserves. Another user's query is "not found". */
  get(queryId: string, user: string): Query {
    const query = this.live.get(queryId);
    if (query && query.user === user) return query;
    switch (query ? undefined : this.ended.get(queryId)) {
      case 'cancelled':
        return this.raise(new EngineError('QUERY_CANCELLED', `query ${queryId} on deployment ${this.deployment} was cancelled`));
      case 'cleared':
        return this.raise(new QueryNotFoundError(queryId, this.deployment, 'it was cleared'));
      case 'expired':
        return this.raise(new QueryNotFoundError(queryId, this.deployment, 'it expired after being idle'));
      default:
        return this.raise(new QueryNotFoundError(queryId, this.deployment));
    }
  }

  /** True when `queryId` ended (and is still remembered). */
  hasEnded(queryId: string): boolean {
    return this.ended.has(queryId);
  }

  /** Takes the query out of the live set and remembers how it ended. */
  end(query: Query, how: QueryEnd): void {
    if (this.live.get(query.id) !== query) return;
    this.live.delete(query.id);
    this.ended.set(query.id, how);
    if (this.ended.size > REMEMBERED_ENDS) {
      const oldest = this.ended.keys().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }

  all(): Query[] {
    return [...this.live.values()];
  }

  private raise(error: EngineError): never {
    throw error;
  }
}
