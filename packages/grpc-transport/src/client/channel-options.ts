// Channel options: safe defaults, the reference client's `grpc_options` names
// mapped to grpc-js keys, and a typed error for anything unknown.
import { type ChannelOptions } from '@grpc/grpc-js';
import { InvalidOptionError } from '../errors/client-errors';
import { closestName } from './closest-name';

/** Result batches are large; grpc-js's own 4 MB receive limit fails real queries. */
export const DEFAULT_MAX_RECEIVE_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Requests are small; an explicit limit keeps a runaway request from being sent. */
export const DEFAULT_MAX_SEND_MESSAGE_BYTES = 64 * 1024 * 1024;
/**
 * Five minutes: grpc-core and grpc-java servers by default answer pings sent
 * more often than every 5 minutes with GOAWAY `too_many_pings`
 * (min_recv_ping_interval_without_data / permitKeepAliveTime), after which
 * grpc-js doubles its interval and drops the connection. grpc-js servers do not
 * police pings. Anything shorter needs the server to allow it.
 */
export const DEFAULT_KEEPALIVE_MS = 5 * 60 * 1000;
/** How long a keepalive ping may go unanswered before the connection is dropped (grpc's usual 20 s). */
export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 20_000;

type OptionValueType = 'number' | 'string';

// grpc-js's client channel options (its `recognizedOptions`, less server-only ones).
const GRPC_JS_OPTIONS: Readonly<Record<string, OptionValueType>> = {
  'grpc.ssl_target_name_override': 'string',
  'grpc.primary_user_agent': 'string',
  'grpc.secondary_user_agent': 'string',
  'grpc.default_authority': 'string',
  'grpc.keepalive_time_ms': 'number',
  'grpc.keepalive_timeout_ms': 'number',
  'grpc.keepalive_permit_without_calls': 'number',
  'grpc.service_config': 'string',
  'grpc.max_concurrent_streams': 'number',
  'grpc.initial_reconnect_backoff_ms': 'number',
  'grpc.max_reconnect_backoff_ms': 'number',
  'grpc.use_local_subchannel_pool': 'number',
  'grpc.max_send_message_length': 'number',
  'grpc.max_receive_message_length': 'number',
  'grpc.enable_http_proxy': 'number',
  'grpc.http_connect_target': 'string',
  'grpc.http_connect_creds': 'string',
  'grpc.default_compression_algorithm': 'number',
  'grpc.enable_channelz': 'number',
  'grpc.dns_min_time_between_resolutions_ms': 'number',
  'grpc.enable_retries': 'number',
  'grpc.per_rpc_retry_buffer_size': 'number',
  'grpc.retry_buffer_size': 'number',
  'grpc.service_config_disable_resolution': 'number',
  'grpc.client_idle_timeout_ms': 'number',
  'grpc-node.tls_enable_trace': 'number',
  'grpc-node.retry_max_attempts_limit': 'number',
  'grpc-node.flow_control_window': 'number',
};

/**
 * grpc-core's HTTP/2 ping-policy options, which the reference client sets.
 * grpc-js has no equivalent: they are accepted so a reference configuration
 * ports unchanged, passed along under their grpc key, and listed as `inert`.
 */
const INERT_OPTIONS: ReadonlySet<string> = new Set([
  'grpc.http2.max_pings_without_data',
  'grpc.http2.min_time_between_pings_ms',
  'grpc.http2.min_ping_interval_without_data_ms',
]);

/** The reference client's `grpc_options` names and the grpc key each stands for. */
export const REFERENCE_OPTION_NAMES: Readonly<Record<string, string>> = {
  keepalive_timeout_ms: 'grpc.keepalive_timeout_ms',
  keepalive_time_ms: 'grpc.keepalive_time_ms',
  keepalive_permit_without_calls: 'grpc.keepalive_permit_without_calls',
  max_receive_message_length: 'grpc.max_receive_message_length',
  max_send_message_length: 'grpc.max_send_message_length',
  'http2.max_pings_without_data': 'grpc.http2.max_pings_without_data',
  'http2.min_time_between_pings_ms': 'grpc.http2.min_time_between_pings_ms',
  'http2.min_ping_interval_without_data_ms': 'grpc.http2.min_ping_interval_without_data_ms',
};

/** The reference's prepare deadline, in seconds. Not a channel option: it becomes `prepareTimeoutMs`. */
export const PREPARE_TIMEOUT_OPTION = 'grpc_prepare_timeout';

// Limits that accept -1 (unlimited) and timers that must be positive.
const MESSAGE_LIMITS = new Set(['grpc.max_send_message_length', 'grpc.max_receive_message_length']);
const POSITIVE_TIMERS = new Set(['grpc.keepalive_time_ms', 'grpc.keepalive_timeout_ms']);

/** A value grpc-js accepts as a channel option. */
export type ChannelOptionValue = string | number | boolean;

/** Channel options as a caller gives them, in either naming, plus the message-size and keepalive limits. */
export interface ChannelOptionsInput {
  /** grpc-js keys (`grpc.keepalive_time_ms`) or the reference's names (`keepalive_time_ms`, `grpc_prepare_timeout`). */
  channelOptions?: Readonly<Record<string, ChannelOptionValue>>;
  maxReceiveMessageBytes?: number;
  maxSendMessageBytes?: number;
  keepaliveMs?: number;
  keepaliveTimeoutMs?: number;
}

/** The channel options after defaults and name translation. */
export interface ResolvedChannelOptions {
  /** What grpc-js receives. */
  channelOptions: ChannelOptions;
  /** From `grpc_prepare_timeout`, when given. */
  prepareTimeoutMs?: number;
  /** Accepted options grpc-js does not act on, by the name the caller used. */
  inert: readonly string[];
}

const TYPED_OPTIONS = [
  ['maxReceiveMessageBytes', 'grpc.max_receive_message_length'],
  ['maxSendMessageBytes', 'grpc.max_send_message_length'],
  ['keepaliveMs', 'grpc.keepalive_time_ms'],
  ['keepaliveTimeoutMs', 'grpc.keepalive_timeout_ms'],
] as const;

/**
 * Defaults, then `channelOptions`, then the typed options. The same grpc key
 * given twice with different values (say `keepalive_time_ms` and `keepaliveMs`)
 * is an error rather than a silent pick.
 */
export function resolveChannelOptions(input: ChannelOptionsInput = {}): ResolvedChannelOptions {
  const given = new Map<string, { value: string | number; from: string }>();
  const inert: string[] = [];
  let prepareTimeoutMs: number | undefined;

  const put = (grpcKey: string, value: string | number, from: string): void => {
    const earlier = given.get(grpcKey);
    if (earlier !== undefined && earlier.value !== value) {
      throw new InvalidOptionError(from, `option ${from} (${String(value)}) conflicts with ${earlier.from} (${String(earlier.value)})`);
    }
    given.set(grpcKey, { value, from });
  };

  for (const [name, raw] of Object.entries(input.channelOptions ?? {})) {
    if (name === PREPARE_TIMEOUT_OPTION) {
      prepareTimeoutMs = secondsToMs(name, raw);
      continue;
    }
    const grpcKey = REFERENCE_OPTION_NAMES[name] ?? name;
    const type = INERT_OPTIONS.has(grpcKey) ? 'number' : GRPC_JS_OPTIONS[grpcKey];
    if (type === undefined) throw unknownOption(name);
    if (INERT_OPTIONS.has(grpcKey)) inert.push(name);
    put(grpcKey, coerce(name, grpcKey, raw, type), `channelOptions['${name}']`);
  }
  for (const [field, grpcKey] of TYPED_OPTIONS) {
    const value = input[field];
    if (value !== undefined) put(grpcKey, coerce(field, grpcKey, value, 'number'), field);
  }

  const channelOptions: ChannelOptions = {
    'grpc.max_receive_message_length': DEFAULT_MAX_RECEIVE_MESSAGE_BYTES,
    'grpc.max_send_message_length': DEFAULT_MAX_SEND_MESSAGE_BYTES,
    'grpc.keepalive_time_ms': DEFAULT_KEEPALIVE_MS,
    'grpc.keepalive_timeout_ms': DEFAULT_KEEPALIVE_TIMEOUT_MS,
    // grpc-core servers count pings on an idle connection as abuse unless told otherwise.
    'grpc.keepalive_permit_without_calls': 0,
  };
  for (const [grpcKey, { value }] of given) channelOptions[grpcKey] = value;
  return { channelOptions, ...(prepareTimeoutMs === undefined ? {} : { prepareTimeoutMs }), inert };
}

function unknownOption(name: string): InvalidOptionError {
  const known = [...Object.keys(REFERENCE_OPTION_NAMES), PREPARE_TIMEOUT_OPTION, ...Object.keys(GRPC_JS_OPTIONS), ...INERT_OPTIONS];
  const suggestion = closestName(name, known);
  const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
  return new InvalidOptionError(name, `unknown channel option "${name}"${hint}`);
}

function coerce(name: string, grpcKey: string, raw: unknown, type: OptionValueType): string | number {
  if (type === 'string') {
    if (typeof raw !== 'string') throw new InvalidOptionError(name, `channel option "${name}" must be a string, got ${typeof raw}`);
    return raw;
  }
  const value = toNumber(raw);
  if (value === undefined || !Number.isInteger(value)) {
    throw new InvalidOptionError(name, `channel option "${name}" must be an integer, got ${describe(raw)}`);
  }
  if (MESSAGE_LIMITS.has(grpcKey) && value < -1) {
    throw new InvalidOptionError(name, `channel option "${name}" must be a byte count or -1 (unlimited), got ${value}`);
  }
  if (POSITIVE_TIMERS.has(grpcKey) && value <= 0) {
    throw new InvalidOptionError(name, `channel option "${name}" must be a positive number of milliseconds, got ${value}`);
  }
  return value;
}

function secondsToMs(name: string, raw: unknown): number {
  const seconds = toNumber(raw);
  if (seconds === undefined || !(seconds > 0) || !Number.isFinite(seconds)) {
    throw new InvalidOptionError(name, `channel option "${name}" must be a positive number of seconds, got ${describe(raw)}`);
  }
  return Math.round(seconds * 1000);
}

// Reference configurations come from Python dicts and environment variables:
// booleans stand for 1/0 and numbers may arrive as decimal strings.
function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw)) return Number(raw);
  return undefined;
}

function describe(raw: unknown): string {
  return typeof raw === 'string' ? `"${raw.slice(0, 40)}"` : String(raw);
}
