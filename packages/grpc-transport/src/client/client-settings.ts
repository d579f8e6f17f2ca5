// Everything a client needs, validated once when it is created.
import { type ChannelCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { InvalidOptionError } from '../errors/client-errors';
import { resolveChannelOptions, type ChannelOptionsInput } from './channel-options';
import { createChannelCredentials, type CredentialsInput } from './channel-credentials';

/** Unary calls that have no reason to take long. */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Planning can be slow on real clusters; the reference client's `grpc_prepare_timeout` defaults to 10 minutes. */
export const DEFAULT_PREPARE_TIMEOUT_MS = 600_000;
/** The engine may hold execute until the query has run. */
export const DEFAULT_EXECUTE_TIMEOUT_MS = 600_000;

/** What every client of this package is given: address, deadlines, channel options and TLS. */
export interface ClientOptions extends ChannelOptionsInput, CredentialsInput {
  host: string;
  port: number;
  /** Deadline of calls without their own `timeoutMs`/`deadline` (default 60 s). */
  defaultTimeoutMs?: number;
  /** Deadline of prepareStatement(V2) (default 600 s; `channelOptions.grpc_prepare_timeout` in seconds also sets it). */
  prepareTimeoutMs?: number;
  /** Deadline of executeStatement(V2) (default 600 s). */
  executeTimeoutMs?: number;
}

/** ClientOptions checked and resolved: what a client dials with. */
export interface ClientSettings {
  /** `host:port` as grpc-js dials it. */
  target: string;
  secure: boolean;
  channelOptions: ChannelOptions;
  /** Accepted options grpc-js does not act on. */
  inertOptions: readonly string[];
  defaultTimeoutMs: number;
  prepareTimeoutMs: number;
  executeTimeoutMs: number;
}

export interface ResolvedClient {
  settings: ClientSettings;
  credentials: ChannelCredentials;
}

export function resolveClientOptions(options: ClientOptions): ResolvedClient {
  if (typeof options.host !== 'string' || options.host.trim() === '') {
    throw new InvalidOptionError('host', 'host must be a non-empty string');
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65_535) {
    throw new InvalidOptionError('port', `port must be an integer from 1 to 65535, got ${String(options.port)}`);
  }
  const channel = resolveChannelOptions(options);
  if (options.prepareTimeoutMs !== undefined && channel.prepareTimeoutMs !== undefined && options.prepareTimeoutMs !== channel.prepareTimeoutMs) {
    throw new InvalidOptionError(
      'prepareTimeoutMs',
      `option prepareTimeoutMs (${options.prepareTimeoutMs}) conflicts with channelOptions['grpc_prepare_timeout'] (${channel.prepareTimeoutMs / 1000} s)`,
    );
  }
  const host = options.host.trim();
  // An IPv6 literal needs brackets before the port.
  const target = host.includes(':') && !host.startsWith('[') ? `[${host}]:${options.port}` : `${host}:${options.port}`;
  return {
    credentials: createChannelCredentials(options),
    settings: {
      target,
      secure: options.secure ?? options.caCert !== undefined,
      channelOptions: channel.channelOptions,
      inertOptions: channel.inert,
      defaultTimeoutMs: timeout('defaultTimeoutMs', options.defaultTimeoutMs, DEFAULT_TIMEOUT_MS),
      prepareTimeoutMs: timeout('prepareTimeoutMs', options.prepareTimeoutMs ?? channel.prepareTimeoutMs, DEFAULT_PREPARE_TIMEOUT_MS),
      executeTimeoutMs: timeout('executeTimeoutMs', options.executeTimeoutMs, DEFAULT_EXECUTE_TIMEOUT_MS),
    },
  };
}

function timeout(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidOptionError(name, `${name} must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}
