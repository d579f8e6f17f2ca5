import { isStrategy, type Strategy } from '@e6data-ts/strategy-core';
import { type ClusterUser } from '../cluster/credentials';
import { InvalidMockOptionError } from '../errors';
import { type FlagSpec, readFlags } from './flag-table';
import { type EngineAddress } from '../gateway/upstream-pool';

/**
 * - `cluster`: engines, gateway and admin API in one process (the default).
 * - `engine`: one engine (`--name blue|green`).
 * - `gateway`: gateway and admin API in front of engines running elsewhere (`--engines`).
 */
export type CliRole = 'cluster' | 'engine' | 'gateway';

/** Flags every role takes. */
export interface CommonRunOptions {
  readonly host: string;
  /** Gateway port, or the engine's port with `--role engine`. */
  readonly port: number;
  /** Null: the default user. */
  readonly users: readonly ClusterUser[] | null;
  /** Print one JSON line when ready (for launchers) instead of the human-readable banner. */
  readonly json: boolean;
  /** Stop when stdin ends: a launcher's way to take its children down with it. */
  readonly exitOnStdinEnd: boolean;
}

/** Flags of the roles that run the gateway, controller and admin API. */
export interface ControlRunOptions {
  readonly adminHost: string;
  readonly adminPort: number;
  readonly live: Strategy;
  readonly switchEveryMs: number | null;
  readonly announceMs: number | null;
  readonly drainMs: number | null;
  readonly resumeDelayMs: number | null;
  /** PEM files of the gateway's TLS certificate and key; both null for plaintext. */
  readonly tlsCertFile: string | null;
  readonly tlsKeyFile: string | null;
}

/** Flags of the roles that run engines. */
export interface DataRunOptions {
  readonly batchRows: number | null;
  readonly sessionIdleMs: number | null;
  readonly initSqlFiles: readonly string[];
}

export type CliRunOptions =
  | ({ readonly role: 'cluster' } & CommonRunOptions & ControlRunOptions & DataRunOptions)
  | ({ readonly role: 'engine'; readonly name: Strategy } & CommonRunOptions & DataRunOptions)
  | ({ readonly role: 'gateway'; readonly engines: Readonly<Record<Strategy, EngineAddress>> } & CommonRunOptions & ControlRunOptions);

export type CliCommand = { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: CliRunOptions };

/** A flag of `e6-mock-engine`: its spelling and help line, and the roles it applies to. */
export interface MockFlagSpec extends FlagSpec {
  readonly roles: readonly CliRole[];
}

const ALL: readonly CliRole[] = ['cluster', 'engine', 'gateway'];
const CONTROL: readonly CliRole[] = ['cluster', 'gateway'];
const DATA: readonly CliRole[] = ['cluster', 'engine'];

/** Every flag, in help order. parseCliArgs reads argv from this table and the help text is rendered from it. */
export const CLI_FLAGS: readonly MockFlagSpec[] = [
  { name: 'role', kind: 'value', roles: ALL, placeholder: 'ROLE', help: 'cluster (default), engine or gateway' },
  { name: 'name', kind: 'value', roles: ['engine'], placeholder: 'blue|green', help: 'which engine to run, with --role engine' },
  { name: 'engines', kind: 'value', roles: ['gateway'], placeholder: 'blue=H:P,green=H:P', help: 'the engines to route to, with --role gateway' },
  { name: 'host', kind: 'value', roles: ALL, placeholder: 'HOST', help: 'interface to listen on (default 127.0.0.1; 0.0.0.0 in containers)' },
  { name: 'port', kind: 'value', roles: ALL, placeholder: 'PORT', help: "gateway port, or the engine's port with --role engine (default 0: ephemeral)" },
  { name: 'admin-host', kind: 'value', roles: CONTROL, placeholder: 'HOST', help: 'admin API interface (default 127.0.0.1)' },
  { name: 'admin-port', kind: 'value', roles: CONTROL, placeholder: 'PORT', help: 'admin API port (default 0: ephemeral)' },
  { name: 'live', kind: 'value', roles: CONTROL, placeholder: 'blue|green', help: 'deployment live at start (default blue)' },
  { name: 'switch-every', kind: 'value', roles: CONTROL, placeholder: 'DUR', help: 'start a graceful deployment this long after each one ends (e.g. 120s)' },
  { name: 'announce', kind: 'value', roles: CONTROL, placeholder: 'DUR', help: 'default announce time of graceful deployments (default 1s)' },
  { name: 'drain', kind: 'value', roles: CONTROL, placeholder: 'DUR', help: 'default drain time of graceful deployments (default 5s)' },
  { name: 'resume-delay', kind: 'value', roles: CONTROL, placeholder: 'DUR', help: 'time from ClusterService resume to active (default 0)' },
  { name: 'tls-cert', kind: 'value', roles: CONTROL, placeholder: 'FILE', help: "serve the gateway over TLS with this PEM certificate (with --tls-key)" },
  { name: 'tls-key', kind: 'value', roles: CONTROL, placeholder: 'FILE', help: "the PEM private key of --tls-cert" },
  { name: 'users', kind: 'value', roles: ALL, placeholder: 'U:T[,U:T...]', help: 'accepted users and tokens (default admin@e6data.local:e6-mock-token)' },
  { name: 'batch-rows', kind: 'value', roles: DATA, placeholder: 'N', help: 'rows per result batch' },
  { name: 'session-idle', kind: 'value', roles: DATA, placeholder: 'DUR', help: 'idle time after which a session is forgotten' },
  { name: 'init-sql', kind: 'value', roles: DATA, placeholder: 'FILE', repeatable: true, help: 'SQL file every engine runs at start (repeatable)' },
  { name: 'json', kind: 'switch', roles: ALL, help: 'print one JSON line when ready, for scripts and launchers' },
  { name: 'exit-on-stdin-end', kind: 'switch', roles: ALL, help: 'stop when stdin closes (used by launchers)' },
  { name: 'help', kind: 'switch', short: 'h', answersAlone: true, roles: ALL, help: 'this text' },
];

const ROLES_OF: ReadonlyMap<string, readonly CliRole[]> = new Map(CLI_FLAGS.map((spec) => [`--${spec.name}`, spec.roles]));

/**
 * Reads the command line of `e6-mock-engine`. Pure: no I/O, no defaults read
 * from the environment. Throws InvalidMockOptionError naming the offending flag.
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const reading = readFlags(CLI_FLAGS, argv, (flag, message) => new InvalidMockOptionError(flag, message));
  if (reading.kind === 'answered') return { kind: 'help' };
  const { values } = reading;

  const one = (flag: string): string | undefined => values.get(flag)?.[0];
  const role = parseRole(one('--role') ?? 'cluster');
  for (const flag of values.keys()) {
    if (!(ROLES_OF.get(flag) ?? ALL).includes(role)) throw new InvalidMockOptionError(flag, `does not apply to --role ${role}`);
  }

  const optional = <T>(flag: string, parse: (text: string) => T): T | null => {
    const text = one(flag);
    return text === undefined ? null : parse(text);
  };
  const common: CommonRunOptions = {
    host: one('--host') ?? '127.0.0.1',
    port: optional('--port', (text) => parsePort('--port', text)) ?? 0,
    users: optional('--users', parseUsers),
    json: values.has('--json'),
    exitOnStdinEnd: values.has('--exit-on-stdin-end'),
  };
  const control = (): ControlRunOptions => ({
    adminHost: one('--admin-host') ?? '127.0.0.1',
    adminPort: optional('--admin-port', (text) => parsePort('--admin-port', text)) ?? 0,
    live: optional('--live', (text) => parseDeployment('--live', text)) ?? 'blue',
    switchEveryMs: optional('--switch-every', (text) => parseDuration('--switch-every', text)),
    announceMs: optional('--announce', (text) => parseDuration('--announce', text)),
    drainMs: optional('--drain', (text) => parseDuration('--drain', text)),
    resumeDelayMs: optional('--resume-delay', (text) => parseDuration('--resume-delay', text)),
    tlsCertFile: one('--tls-cert') ?? null,
    tlsKeyFile: one('--tls-key') ?? null,
  });
  const checkedControl = (port: number): ControlRunOptions => {
    const options = control();
    // Two servers cannot share one port; say so now rather than fail half-started.
    if (port !== 0 && options.adminPort === port) throw new InvalidMockOptionError('--admin-port', `must differ from --port (both are ${port})`);
    if ((options.tlsCertFile === null) !== (options.tlsKeyFile === null)) {
      const missing = options.tlsCertFile === null ? '--tls-cert' : '--tls-key';
      throw new InvalidMockOptionError(missing, 'is required with --tls-cert and --tls-key together (TLS needs both the certificate and its key)');
    }
    return options;
  };
  const data = (): DataRunOptions => ({
    batchRows: optional('--batch-rows', (text) => parsePositiveInt('--batch-rows', text)),
    sessionIdleMs: optional('--session-idle', (text) => parseDuration('--session-idle', text)),
    initSqlFiles: [...(values.get('--init-sql') ?? [])],
  });

  switch (role) {
    case 'cluster':
      return { kind: 'run', options: { role, ...common, ...checkedControl(common.port), ...data() } };
    case 'engine': {
      const name = one('--name');
      if (name === undefined) throw new InvalidMockOptionError('--name', 'is required with --role engine (blue or green)');
      return { kind: 'run', options: { role, name: parseDeployment('--name', name), ...common, ...data() } };
    }
    case 'gateway': {
      const engines = one('--engines');
      if (engines === undefined) {
        throw new InvalidMockOptionError('--engines', 'is required with --role gateway, e.g. blue=127.0.0.1:4001,green=127.0.0.1:4002');
      }
      return { kind: 'run', options: { role, engines: parseEngineAddresses(engines), ...common, ...checkedControl(common.port) } };
    }
  }
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `2m`, `1.5h` or `0` -> milliseconds. A unit is required so `120` is never misread. */
export function parseDuration(flag: string, text: string): number {
  if (text === '0') return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  const amount = match?.[1];
  const unit = match?.[2];
  if (amount === undefined || unit === undefined) {
    throw new InvalidMockOptionError(flag, `${JSON.stringify(text.slice(0, 20))} is not a duration; use e.g. 500ms, 30s, 2m or 1h`);
  }
  const ms = Math.round(Number(amount) * (DURATION_UNITS[unit] ?? 1));
  if (!Number.isSafeInteger(ms)) throw new InvalidMockOptionError(flag, 'is too long');
  return ms;
}

/** `user:token,user2:token2` -> users. The token is everything after the first colon. */
export function parseUsers(text: string): ClusterUser[] {
  const users = text.split(',').map((entry) => {
    const colon = entry.indexOf(':');
    const user = entry.slice(0, colon).trim();
    const token = entry.slice(colon + 1);
    // Never quote the entry: it holds a token.
    if (colon <= 0 || user === '' || token === '') throw new InvalidMockOptionError('--users', 'each entry must be user:token (neither part empty)');
    return { user, token };
  });
  const names = new Set(users.map((u) => u.user));
  if (names.size !== users.length) throw new InvalidMockOptionError('--users', 'names a user more than once');
  return users;
}

/** `blue=host:port,green=host:port` -> both engine addresses. */
export function parseEngineAddresses(text: string): Record<Strategy, EngineAddress> {
  const found: Partial<Record<Strategy, EngineAddress>> = {};
  for (const entry of text.split(',')) {
    const [name, address, ...rest] = entry.split('=');
    if (name === undefined || address === undefined || rest.length > 0 || !isStrategy(name.trim())) {
      throw new InvalidMockOptionError('--engines', `entries must look like blue=127.0.0.1:4001 (got ${JSON.stringify(entry.slice(0, 60))})`);
    }
    const deployment = name.trim() as Strategy;
    if (found[deployment] !== undefined) throw new InvalidMockOptionError('--engines', `names ${deployment} twice`);
    const colon = address.lastIndexOf(':');
    const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    if (colon <= 0 || host === '') throw new InvalidMockOptionError('--engines', `${deployment} needs host:port`);
    const port = parsePort('--engines', address.slice(colon + 1));
    if (port === 0) throw new InvalidMockOptionError('--engines', `${deployment} needs a real port, not 0`);
    found[deployment] = { host, port };
  }
  const { blue, green } = found;
  if (blue === undefined || green === undefined) throw new InvalidMockOptionError('--engines', 'must name both blue and green');
  return { blue, green };
}

function parseRole(text: string): CliRole {
  if (text === 'cluster' || text === 'engine' || text === 'gateway') return text;
  throw new InvalidMockOptionError('--role', `must be cluster, engine or gateway (got ${JSON.stringify(text.slice(0, 20))})`);
}

function parseDeployment(flag: string, text: string): Strategy {
  if (isStrategy(text)) return text;
  throw new InvalidMockOptionError(flag, `must be blue or green (got ${JSON.stringify(text.slice(0, 20))})`);
}

function parsePort(flag: string, text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new InvalidMockOptionError(flag, `must be a port from 0 to 65535 (got ${JSON.stringify(text.slice(0, 20))})`);
  return port;
}

function parsePositiveInt(flag: string, text: string): number {
  const n = /^\d{1,9}$/.test(text) ? Number(text) : 0;
  if (n < 1) throw new InvalidMockOptionError(flag, `must be a whole number, 1 or more (got ${JSON.stringify(text.slice(0, 20))})`);
  return n;
}
