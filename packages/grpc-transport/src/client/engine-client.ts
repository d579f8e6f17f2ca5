import { type Client } from '@grpc/grpc-js';
import { type HeaderWarn } from '../headers/header-logger';
import { loadServices } from '../proto/load';
import { ENGINE_METHOD_NAMES, type EngineMethodName, type EngineMethods } from '../proto/messages';
import { bindUnary } from './bind-unary';
import { type CallOptions } from './call-options';
import { resolveClientOptions, type ClientOptions, type ClientSettings } from './client-settings';
import { bindClusterCalls, type ClusterCalls } from './cluster-client';

/** Where and how to dial a QueryEngineService, and who hears about refused header values. */
export interface EngineClientOptions extends ClientOptions {
  /** Told about refused header values (an invalid strategy). Silent by default. */
  warn?: HeaderWarn;
}

/** One QueryEngineService method: typed request in, typed response out. */
export type EngineCall<M extends EngineMethodName> = (request: EngineMethods[M][0], callOptions?: CallOptions) => Promise<EngineMethods[M][1]>;

/** Every QueryEngineService method as a typed call. */
export type EngineCalls = { readonly [M in EngineMethodName]: EngineCall<M> };

/** What an engine client offers besides the calls: its target and settings, ClusterService calls on the same channel, and closing. */
export interface EngineClientControls {
  /** `host:port` as dialled. */
  readonly target: string;
  /** The resolved settings (channel options, default deadlines). */
  readonly settings: Readonly<ClientSettings>;
  /** ClusterService on the same channel (status, resume, suspend). */
  readonly cluster: ClusterCalls;
  readonly closed: boolean;
  /** Closes the channel; later calls reject with ClientClosedError. Idempotent. */
  close(): void;
}

/** A client of QueryEngineService: every method as a promise-returning call with a deadline, plus its controls. */
export type EngineClient = EngineCalls & EngineClientControls;

const PREPARE_METHODS: ReadonlySet<EngineMethodName> = new Set(['prepareStatement', 'prepareStatementV2']);
const EXECUTE_METHODS: ReadonlySet<EngineMethodName> = new Set(['executeStatement', 'executeStatementV2']);

/** A QueryEngineService client. Nothing connects until the first call. */
export function createEngineClient(options: EngineClientOptions): EngineClient {
  const { settings, credentials } = resolveClientOptions(options);
  const { QueryEngineService, ClusterService } = loadServices();
  const grpcClient: Client = new QueryEngineService(settings.target, credentials, settings.channelOptions);
  let closed = false;
  const isClosed = (): boolean => closed;

  const calls: Partial<Record<EngineMethodName, unknown>> = {};
  for (const method of ENGINE_METHOD_NAMES) {
    calls[method] = bindUnary({
      client: grpcClient,
      method,
      target: settings.target,
      defaultTimeoutMs: PREPARE_METHODS.has(method)
        ? settings.prepareTimeoutMs
        : EXECUTE_METHODS.has(method)
          ? settings.executeTimeoutMs
          : settings.defaultTimeoutMs,
      isClosed,
      warn: options.warn,
    });
  }
  // Same channel, so cluster calls share the connection and its options.
  const clusterClient: Client = new ClusterService(settings.target, credentials, { channelOverride: grpcClient.getChannel() });
  const cluster = bindClusterCalls(clusterClient, settings, isClosed, options.warn);

  const client: EngineClientControls = {
    ...calls,
    target: settings.target,
    settings,
    cluster,
    get closed(): boolean {
      return closed;
    },
    close(): void {
      if (closed) return;
      closed = true;
      grpcClient.close();
    },
  };
  return client as EngineClient;
}
