import { timingSafeEqual } from 'node:crypto';

/** A user the mock cluster accepts: the `user` and the token sent as `password`. */
export interface ClusterUser {
  readonly user: string;
  readonly token: string;
}

/** The credentials printed by the CLI and accepted unless others are configured. */
export const DEFAULT_CLUSTER_USERS: readonly ClusterUser[] = Object.freeze([
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
