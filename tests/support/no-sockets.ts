// Loaded before every unit test file: the unit tier must not open sockets.
// Any attempt to connect or listen throws, naming what was tried, so a test
// that strays into I/O fails loudly instead of passing by luck.
//
// Node's core modules are shared by every test file a jest worker runs, and
// workers are reused across projects, so the originals are put back after the
// file: an integration file that lands in the same worker must see real
// sockets. A unit file that fails to load never runs its afterAll, so the
// originals are also kept on the patched objects themselves, where
// real-sockets.ts (loaded before every file of the other tiers) restores them.
import http2 from 'node:http2';
import net from 'node:net';
import { ORIGINALS, restoreSockets, type SocketOriginals } from './real-sockets';

function forbid(what: string): never {
  throw new Error(`unit tests open no sockets (attempted ${what}); move this test to tests/integration`);
}

const holder = net as unknown as Record<symbol, SocketOriginals | undefined>;
holder[ORIGINALS] ??= {
  connect: net.Socket.prototype.connect,
  listen: net.Server.prototype.listen,
  http2Connect: http2.connect,
};

net.Socket.prototype.connect = function connect(): never {
  return forbid('net.Socket.connect');
};
net.Server.prototype.listen = function listen(): never {
  return forbid('net.Server.listen');
};
(http2 as { connect: unknown }).connect = (): never => forbid('http2.connect');

afterAll(restoreSockets);
