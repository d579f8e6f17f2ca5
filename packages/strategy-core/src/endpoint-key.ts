import { describeValue } from './describe-value';
import { StrategyCoreError } from './errors';

/** Where a cluster answers: strategy state is kept per endpoint. */
export interface StrategyEndpoint {
  host: string;
  port: number;
  /** e6data cluster name; empty or absent for a single-cluster endpoint. */
  clusterName?: string;
}

/**
 * The registry key of an endpoint: `host:port/cluster`, with host and cluster
 * name trimmed and lowercased (both are case-insensitive on the wire) and IPv6
 * hosts bracketed, so `LOCALHOST`, ` localhost ` and `localhost` share one store.
 */
export function endpointKey(endpoint: StrategyEndpoint): string {
  const rawHost: unknown = endpoint.host;
  let host = typeof rawHost === 'string' ? rawHost.trim().toLowerCase() : '';
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.length === 0) {
    throw new StrategyCoreError('INVALID_ENDPOINT', `endpoint host must be a non-empty string, got ${describeValue(rawHost)}`);
  }
  const port: unknown = endpoint.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new StrategyCoreError('INVALID_ENDPOINT', `endpoint port must be an integer from 1 to 65535, got ${describeValue(port)}`);
  }
  const rawCluster: unknown = endpoint.clusterName ?? '';
  if (typeof rawCluster !== 'string') {
    throw new StrategyCoreError('INVALID_ENDPOINT', `endpoint clusterName must be a string, got ${describeValue(rawCluster)}`);
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `${hostPart}:${port}/${rawCluster.trim().toLowerCase()}`;
}
