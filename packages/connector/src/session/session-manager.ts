// Sessions of one connection: one per deployment, created on demand, plus
// detection of the live deployment. Every concurrent caller that needs the
// same thing shares one call in flight (single flight): a hundred queries that
// hit a 456 together cause one detection, and a hundred that find their
// session expired cause one login.
import { type EngineClient, TransportError } from '@e6data-ts/grpc-transport';
import { SingleFlight, STRATEGIES, type Strategy, type StrategyStore } from '@e6data-ts/strategy-core';
import { type DetectEvent } from '../diagnostics/connector-events';
import { AuthenticationError, E6DataError, stageOf, StrategyDetectionError } from '../errors';
import { log, type ConnectorLogger } from '../options/logger';
import { callDeadline, type Operation } from '../routing/operation';

export interface SessionManagerDeps {
  client: EngineClient;
  store: StrategyStore;
  username: string;
  password: string;
  cluster: string;
  connectTimeoutMs: number;
  logger: ConnectorLogger;
  now(): number;
  onDetect(event: DetectEvent): void;
  /** Called with every response, to pick up `new_strategy`. */
  onResponse(response: unknown): void;
}

/** Status code grpc uses for a refused login. */
const UNAUTHENTICATED = 16;

export class SessionManager {
  private readonly sessions = new Map<Strategy, string>();
  private readonly logins = new SingleFlight<Strategy, string>();
  private readonly detections = new SingleFlight<'detect', Strategy>();

  constructor(private readonly deps: SessionManagerDeps) {}

  /** The connection's session on `strategy`, logging in there first when it has none. */
  async session(strategy: Strategy, op: Operation): Promise<string> {
    const existing = this.sessions.get(strategy);
    if (existing !== undefined) return existing;
    return this.logins.run(strategy, () => this.login(strategy, op));
  }

  /** Forgets a session the engine no longer knows (only if it is still the one we hold). */
  invalidate(strategy: Strategy, sessionId: string): void {
    if (this.sessions.get(strategy) === sessionId) this.sessions.delete(strategy);
  }

  /** Logs in again on `strategy` after an `Access denied`, unless another caller already did. */
  async renew(strategy: Strategy, staleSessionId: string | undefined, op: Operation): Promise<string> {
    if (staleSessionId !== undefined) this.invalidate(strategy, staleSessionId);
    return this.session(strategy, op);
  }

  /**
   * Finds the live deployment: authenticate on blue, then on green after a 456.
   * The winner becomes the store's active strategy and its session is kept.
   * Raises StrategyDetectionError when both refuse, AuthenticationError for
   * bad credentials, and the transport's failure for anything else.
   */
  detect(op: Operation): Promise<Strategy> {
    return this.detections.run('detect', () => this.runDetection(op));
  }

  /** How many sessions this connection holds. */
  get size(): number {
    return this.sessions.size;
  }

  /** Sessions held, by deployment (for diagnostics; ids only). */
  held(): Strategy[] {
    return [...this.sessions.keys()];
  }

  /** Drops every session (the protocol has no logout; the engines expire them). */
  clear(): void {
    this.sessions.clear();
  }

  private async runDetection(op: Operation): Promise<Strategy> {
    const started = this.deps.now();
    const attempts: { strategy: Strategy; error: unknown }[] = [];
    for (const strategy of STRATEGIES) {
      try {
        await this.login(strategy, op);
      } catch (err) {
        if (err instanceof TransportError && err.kind === 'strategy-mismatch') {
          attempts.push({ strategy, error: err });
          continue;
        }
        throw err;
      }
      // While this login ran, the endpoint's store may have moved on: another
      // connection's detection, or the announce this very login carried
      // (promoted at once when nothing runs on the old deployment). Keep that
      // rather than flip it back; only a deployment that refused us is replaced.
      const current = this.deps.store.getActive();
      const live = current !== null && current !== strategy && !attempts.some((a) => a.strategy === current) ? current : strategy;
      if (live === strategy) this.deps.store.setActive(strategy);
      const event: DetectEvent = { strategy: live, attempts: attempts.length + 1, durationMs: this.deps.now() - started };
      log(this.deps.logger, 'info', 'e6data: detected the live deployment', { ...event });
      this.deps.onDetect(event);
      return live;
    }
    throw new StrategyDetectionError('neither deployment takes new work: blue and green both answered HTTP 456 (a switch may be in progress)', attempts, {
      stage: 'rejected',
      kind: 'strategy-mismatch',
      method: 'authenticate',
    });
  }

  private async login(strategy: Strategy, op: Operation): Promise<string> {
    let response;
    try {
      response = await this.deps.client.authenticate(
        { user: this.deps.username, password: this.deps.password },
        {
          headers: { strategy, clusterName: this.deps.cluster },
          deadline: callDeadline(op, this.deps.connectTimeoutMs, this.deps.now()),
          ...(op.signal === undefined ? {} : { signal: op.signal }),
        },
      );
    } catch (err) {
      const failure = TransportError.from(err, { method: 'authenticate' });
      if (failure.grpcCode === UNAUTHENTICATED) {
        throw new AuthenticationError(`authenticate: the cluster refused the credentials of user "${this.deps.username}"`, {
          code: 'AUTHENTICATION_FAILED',
          stage: stageOf(failure),
          kind: 'fatal',
          method: 'authenticate',
          strategy,
          cause: failure,
        });
      }
      throw failure;
    }
    if (typeof response.sessionId !== 'string' || response.sessionId === '') {
      throw new E6DataError('authenticate: the engine answered without a session id', { code: 'CALL_FAILED', stage: 'executed', method: 'authenticate', strategy });
    }
    this.sessions.set(strategy, response.sessionId);
    this.deps.onResponse(response);
    return response.sessionId;
  }
}

