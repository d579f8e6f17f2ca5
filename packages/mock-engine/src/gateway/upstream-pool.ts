import { connect } from 'node:net';
import { type Strategy } from '@e6data-ts/strategy-core';
import { MockClusterError } from '../errors';
import { type ClusterLogger, silentLogger } from '../logger';
import { Http2Connection, type Http2Stream, type RawHeaders, type StreamEvents } from './h2';
import { ENGINE_WINDOWS } from './relay-windows';

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Where an engine listens. */
export interface EngineAddress {
  readonly host: string;
  readonly port: number;
}

/** How calls name an engine: its `:authority` and the name error details give it. */
export interface EngineLabel {
  /** `host:port`, IPv6 hosts in brackets. */
  readonly authority: string;
  /** e.g. `deployment blue (127.0.0.1:4001)`. */
  readonly name: string;
}

/**
 * One HTTP/2 connection per engine, shared by every forwarded call and
 * replaced as soon as it dies (engine restarted, GOAWAY, socket error), so a
 * restarted engine on the same address is picked up by the next call. A
 * connection that got GOAWAY serves its remaining calls and then closes.
 */
export class UpstreamPool {
  private readonly current = new Map<Strategy, Http2Connection>();
  private readonly open = new Set<Http2Connection>();
  private readonly labels: Readonly<Record<Strategy, EngineLabel>>;
  private closed = false;

  constructor(
    private readonly addresses: Readonly<Record<Strategy, EngineAddress>>,
    private readonly logger: ClusterLogger = silentLogger,
    /** An engine connection not open within this many ms fails its calls (a host that drops packets never refuses). */
    private readonly connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
  ) {
    const label = (deployment: Strategy): EngineLabel => {
      const { host, port } = addresses[deployment];
      return { authority: `${formatHost(host)}:${port}`, name: `deployment ${deployment} (${host}:${port})` };
    };
    this.labels = { blue: label('blue'), green: label('green') };
  }

  describe(deployment: Strategy): EngineLabel {
    return this.labels[deployment];
  }

  /**
   * Opens a stream to `deployment`'s engine. Connection failures reach
   * `events.aborted` with the error. The gateway closes its client
   * connections together with the pool, so no call can ask after close().
   */
  request(deployment: Strategy, headers: RawHeaders, endStream: boolean, events: StreamEvents): Http2Stream {
    if (this.closed) throw new MockClusterError('CLOSED', 'the gateway is closed');
    return this.connection(deployment).openStream(headers, endStream, events);
  }

  /** Connections open right now (for tests that check nothing leaks). */
  openSessions(): number {
    return this.open.size;
  }

  close(): void {
    this.closed = true;
    for (const connection of [...this.open]) connection.destroy();
    this.current.clear();
  }

  private connection(deployment: Strategy): Http2Connection {
    const existing = this.current.get(deployment);
    if (existing !== undefined && existing.usable()) return existing;
    const { host, port } = this.addresses[deployment];
    const socket = connect({ host, port, noDelay: true });
    const connectTimer = setTimeout(() => {
      // Reported like the socket's own errors (ECONNREFUSED and the like), which it stands beside.
      socket.destroy(new Error(`connecting to ${host}:${port} took more than ${this.connectTimeoutMs} ms`));
    }, this.connectTimeoutMs);
    connectTimer.unref();
    socket.once('connect', () => clearTimeout(connectTimer));
    socket.once('close', () => clearTimeout(connectTimer));
    const connection: Http2Connection = new Http2Connection(socket, {
      role: 'client',
      ...ENGINE_WINDOWS,
      onGoaway: () => forget(),
      onClose: (error) => {
        forget();
        this.open.delete(connection);
        if (error !== null) this.logger.warn(`connection to ${deployment} engine failed`, { address: `${host}:${port}`, error: error.message });
      },
    });
    const forget = (): void => {
      if (this.current.get(deployment) === connection) this.current.delete(deployment);
    };
    this.current.set(deployment, connection);
    this.open.add(connection);
    return connection;
  }
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
