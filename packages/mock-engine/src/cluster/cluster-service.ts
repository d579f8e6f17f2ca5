import { type ClusterMethodName } from '@e6data-ts/grpc-transport';
import { type ClusterPower, type PowerStatus } from './cluster-power';
import { checkCredentials, type ClusterUser } from './credentials';

const GRPC_UNAUTHENTICATED = 16;

/** True when `method` is one of ClusterService's three calls. */
export function isClusterMethod(method: string): method is ClusterMethodName {
  return method === 'status' || method === 'resume' || method === 'suspend';
}

export type ClusterServiceAnswer =
  | { readonly ok: true; readonly status: PowerStatus }
  | { readonly ok: false; readonly code: number; readonly details: string };

/**
 * ClusterService (docs/wire.md section 3), answered by the cluster itself so it
 * works while the engines are suspended. Every call checks user and token.
 */
export function answerClusterCall(
  method: ClusterMethodName,
  request: { readonly user?: unknown; readonly password?: unknown },
  users: readonly ClusterUser[],
  power: ClusterPower,
): ClusterServiceAnswer {
  const user = typeof request.user === 'string' ? request.user : '';
  const password = typeof request.password === 'string' ? request.password : '';
  if (!checkCredentials(users, user, password)) {
    return { ok: false, code: GRPC_UNAUTHENTICATED, details: 'authentication failed: unknown user or wrong token for the cluster service' };
  }
  switch (method) {
    case 'status':
      return { ok: true, status: power.status() };
    case 'resume':
      return { ok: true, status: power.resume() };
    case 'suspend':
      return { ok: true, status: power.suspend() };
  }
}
