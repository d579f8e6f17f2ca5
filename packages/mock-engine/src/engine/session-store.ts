import { randomUUID, timingSafeEqual } from 'node:crypto';
import { SessionAccessDeniedError, EngineError } from './engine-error';

/** A user an engine accepts, with the token that is its password. */
export interface MockUser {
  user: string;
  token: string;
}

export interface Session {
  readonly id: string;
  readonly user: string;
  lastUsedAt: number;
}

export interface SessionStoreOptions {
  users: readonly MockUser[];
  /** A session unused for this long is gone (real clusters then answer 'Access denied'). */
  idleMs: number;
  clock: { now(): number };
  /** Session id source; random UUIDs by default. */
  newId?: () => string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // Compare in constant time so a wrong token's timing says nothing about the right one.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Logged-in sessions with idle expiry, measured on the injected clock. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly tokens: ReadonlyMap<string, string>;
  private readonly newId: () => string;

  constructor(private readonly options: SessionStoreOptions) {
    this.tokens = new Map(options.users.map((u) => [u.user, u.token]));
    this.newId = options.newId ?? randomUUID;
  }

  /** Checks the credentials and opens a session. The error never repeats the token. */
  authenticate(user: string, token: string): Session {
    const expected = this.tokens.get(user);
    if (expected === undefined || !sameSecret(token, expected)) {
      throw new EngineError('AUTHENTICATION_FAILED', `authentication failed for user '${user}': unknown user or wrong token`);
    }
    const session: Session = { id: this.newId(), user, lastUsedAt: this.options.clock.now() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, marked as used now; 'Access denied' when unknown or idle too long. */
  touch(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new SessionAccessDeniedError('unknown-session');
    const now = this.options.clock.now();
    if (this.isExpired(session, now)) {
      this.sessions.delete(sessionId);
      throw new SessionAccessDeniedError('expired-session');
    }
    session.lastUsedAt = now;
    return session;
  }

  /** Sessions that are still live. */
  count(): number {
    const now = this.options.clock.now();
    let live = 0;
    for (const session of this.sessions.values()) if (!this.isExpired(session, now)) live += 1;
    return live;
  }

  /** Forgets expired sessions; returns how many went. */
  sweep(): number {
    const now = this.options.clock.now();
    let removed = 0;
    for (const [id, session] of this.sessions) {
      if (this.isExpired(session, now)) {
        this.sessions.delete(id);
        removed += 1;
      }
    }
    return removed;
  }

  clear(): void {
    this.sessions.clear();
  }

  private isExpired(session: Session, now: number): boolean {
    return now - session.lastUsedAt >= this.options.idleMs;
  }
}
