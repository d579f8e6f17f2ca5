// Loaded before every test file of the tiers that use sockets: puts back the
// real socket functions if a unit file's guard (no-sockets.ts) in the same
// jest worker could not (it failed to load, so its afterAll never ran).
import http2 from 'node:http2';
import net from 'node:net';

/** Where no-sockets.ts keeps the functions it replaced: on the shared `net` module itself. */
export const ORIGINALS = Symbol.for('e6data-ts.tests.socket-originals');

export interface SocketOriginals {
  connect: typeof net.Socket.prototype.connect;
  listen: typeof net.Server.prototype.listen;
  http2Connect: typeof http2.connect;
}

/** Restores the real functions, if they were replaced; a no-op otherwise. */
export function restoreSockets(): void {
  const holder = net as unknown as Record<symbol, SocketOriginals | undefined>;
  const original = holder[ORIGINALS];
  if (original === undefined) return;
  net.Socket.prototype.connect = original.connect;
  net.Server.prototype.listen = original.listen;
  (http2 as { connect: unknown }).connect = original.http2Connect;
  holder[ORIGINALS] = undefined;
}

restoreSockets();
