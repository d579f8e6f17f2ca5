import { timingSafeEqual } from 'node:crypto';

/** A user the mock cluster accepts: the `user` and the token sent as `password`. */
export interface ClusterUser {
  readonly user: string;
  readonly token: string;
}

/**
 * The credentials the mock cluster (and each engine) accepts unless others are
 * configured; the CLI prints them so a reader can log in.
 */
export const DEFAULT_USERS: readonly ClusterUser[] = Object.freeze([
  Object.freeze({ user: 'admin@e6data.local', token: 'e6-mock-token' }),
]);

/** True when `user` is known and `password` is its token. */
export function checkCredentials(users: readonly ClusterUser[], user: string, password: string): boolean {
  const known = users.find((candidate) => candidate.user === user);
  if (known === undefined) return false;
  const expected = Buffer.from(known.token, 'utf8');
  const given = Buffer.from(password, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
