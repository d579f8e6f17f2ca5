import http2 from 'node:http2';
import { type Strategy } from '@e6data-ts/strategy-core';
import { type ClusterLogger, silentLogger } from '../logger';

/** Where an engine listens. */
export interface EngineAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * One HTTP/2 client session per engine, reused by every forwarded call and
 * replaced as soon as it dies (engine restarted, GOAWAY, socket error), so a
 * restarted engine on the same address is picked up by the next call.
 */
export class UpstreamPool {
  private readonly sessions = new Map<Strategy, http2.ClientHttp2Session>();
  private closed = false;

  constructor(
    private readonly addresses: Readonly<Record<Strategy, EngineAddress>>,
    private readonly logger: ClusterLogger = silentLogger,
  ) {}

  address(deployment: Strategy): EngineAddress {
    return this.addresses[deployment];
  }

  /** Opens a stream to `deployment`'s engine. Connection failures surface as the stream's 'error'. */
  request(deployment: Strategy, headers: http2.OutgoingHttpHeaders): http2.ClientHttp2Stream {
    if (this.closed) throw new Error('the gateway is closed');
    return this.session(deployment).request(headers);
  }

  /** Sessions open right now (for tests that check nothing leaks). */
  openSessions(): number {
    return this.sessions.size;
  }

  close(): void {
    this.closed = true;
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
  }

  private session(deployment: Strategy): http2.ClientHttp2Session {
    const existing = this.sessions.get(deployment);
    if (existing !== undefined && !existing.closed && !existing.destroyed) return existing;
    const { host, port } = this.addresses[deployment];
    const session = http2.connect(`http://${formatHost(host)}:${port}`);
    const forget = (): void => {
      if (this.sessions.get(deployment) === session) this.sessions.delete(deployment);
    };
    session.on('error', (err: Error) => {
      forget();
      this.logger.warn(`connection to ${deployment} engine failed`, { address: `${host}:${port}`, error: err.message });
    });
    session.on('goaway', forget);
    session.on('close', forget);
    this.sessions.set(deployment, session);
    return session;
  }
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
