// Request metadata per docs/wire.md section 1: lowercase keys `strategy`,
// `cluster-name` and `plannerip`, each sent only when it has a value.
import { Metadata } from '@grpc/grpc-js';
import { describeValue, parseStrategy } from '@e6data-ts/strategy-core';
import { InvalidOptionError } from '../errors/client-errors';
import { silentWarn, type HeaderWarn } from './header-logger';

/** The e6data headers of one call. Empty and absent values are not sent. */
export interface CallHeaders {
  /** A Strategy (`blue` or `green`, any case); anything else is never sent. */
  strategy?: string | null;
  /** The cluster's name; sent lowercased. */
  clusterName?: string | null;
  /** The `engineIP` prepare returned for the query; per-query calls send it. */
  plannerIp?: string | null;
}

/** Options of buildMetadata. */
export interface BuildMetadataOptions {
  /** Told about a refused strategy value. Silent by default. */
  warn?: HeaderWarn;
}

/** Request header naming the deployment (`blue` or `green`) a call is meant for. */
export const STRATEGY_HEADER = 'strategy';
/** Request header naming the cluster, for gateways that serve several. */
export const CLUSTER_NAME_HEADER = 'cluster-name';
/** Request header carrying the engine address a query was prepared on, so its later calls reach the same engine. */
export const PLANNER_IP_HEADER = 'plannerip';

// Accepted spellings of the three e6data headers, lowercased: the CallHeaders
// field names and the wire keys. Every other key is passed through as is.
const KNOWN_KEYS: Readonly<Record<string, keyof CallHeaders>> = {
  strategy: 'strategy',
  clustername: 'clusterName',
  'cluster-name': 'clusterName',
  plannerip: 'plannerIp',
};

/**
 * Builds the metadata of a call. Takes CallHeaders or a plain record of
 * headers (the e6data keys in either spelling are normalised; other keys are
 * sent lowercased). An invalid strategy is dropped, never sent.
 */
export function buildMetadata(
  headers: CallHeaders | Readonly<Record<string, string | null | undefined>> = {},
  options: BuildMetadataOptions = {},
): Metadata {
  const metadata = new Metadata();
  const entries: [string, string | null | undefined][] = Object.entries(headers as Readonly<Record<string, string | null | undefined>>);
  for (const [rawKey, value] of entries) {
    if (value === undefined || value === null || value === '') continue;
    const key = rawKey.toLowerCase();
    const known = KNOWN_KEYS[key];
    if (known === 'strategy') {
      const strategy = parseStrategy(value);
      if (strategy === null) {
        (options.warn ?? silentWarn)('refusing to send an invalid strategy header', { value: describeValue(value) });
        continue;
      }
      metadata.set(STRATEGY_HEADER, strategy);
    } else if (known === 'clusterName') {
      metadata.set(CLUSTER_NAME_HEADER, value.toLowerCase());
    } else if (known === 'plannerIp') {
      metadata.set(PLANNER_IP_HEADER, value);
    } else {
      setCustom(metadata, key, value);
    }
  }
  return metadata;
}

function setCustom(metadata: Metadata, key: string, value: string): void {
  try {
    metadata.set(key, value);
  } catch (err) {
    // grpc-js refuses keys outside [0-9a-z_.-] and string values on `-bin` keys.
    throw new InvalidOptionError(`headers.${key}`, `header "${key}" cannot be sent: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}
