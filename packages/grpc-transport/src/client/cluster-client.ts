// ClusterService (docs/wire.md section 3): status, resume and suspend, for auto-resume.
import { type Client } from '@grpc/grpc-js';
import { type HeaderWarn } from '../headers/header-logger';
import { loadServices } from '../proto/load';
import { CLUSTER_METHOD_NAMES, type ClusterMethodName, type ClusterMethods } from '../proto/messages';
import { bindUnary } from './bind-unary';
import { type CallOptions } from './call-options';
import { resolveClientOptions, type ClientOptions, type ClientSettings } from './client-settings';

/** One ClusterService method: typed request in, typed response out. */
export type ClusterCall<M extends ClusterMethodName> = (request: ClusterMethods[M][0], callOptions?: CallOptions) => Promise<ClusterMethods[M][1]>;
/** Every ClusterService method as a typed call. */
export type ClusterCalls = { readonly [M in ClusterMethodName]: ClusterCall<M> };

/** A client of ClusterService (status, suspend, resume), with the same deadlines and closing rules as the engine client. */
export interface ClusterClient extends ClusterCalls {
  readonly target: string;
  readonly closed: boolean;
  /** Closes the channel; later calls reject with ClientClosedError. Idempotent. */
  close(): void;
}

/** Where and how to dial a ClusterService, and who hears about refused header values. */
export interface ClusterClientOptions extends ClientOptions {
  warn?: HeaderWarn;
}

/** A ClusterService client on its own channel. `EngineClient.cluster` shares the engine's instead. */
export function createClusterClient(options: ClusterClientOptions): ClusterClient {
  const { settings, credentials } = resolveClientOptions(options);
  const { ClusterService } = loadServices();
  const grpcClient: Client = new ClusterService(settings.target, credentials, settings.channelOptions);
  let closed = false;
  const calls = bindClusterCalls(grpcClient, settings, () => closed, options.warn);
  return {
    ...calls,
    target: settings.target,
    get closed(): boolean {
      return closed;
    },
    close(): void {
      if (closed) return;
      closed = true;
      grpcClient.close();
    },
  };
}

export function bindClusterCalls(client: Client, settings: ClientSettings, isClosed: () => boolean, warn: HeaderWarn | undefined): ClusterCalls {
  const calls: Partial<Record<ClusterMethodName, unknown>> = {};
  for (const method of CLUSTER_METHOD_NAMES) {
    calls[method] = bindUnary({ client, method, label: `ClusterService.${method}`, target: settings.target, defaultTimeoutMs: settings.defaultTimeoutMs, isClosed, warn });
  }
  return calls as ClusterCalls;
}
