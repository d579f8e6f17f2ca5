// Loaded before every unit test file: the unit tier must not open sockets.
// Any attempt to connect or listen throws, naming what was tried, so a test
// that strays into I/O fails loudly instead of passing by luck.
//
// Node's core modules are shared by every test file a jest worker runs, and
// workers are reused across projects, so the originals are put back after the
// file: an integration file that lands in the same worker must see real sockets.
import http2 from 'node:http2';
import net from 'node:net';

function forbid(what: string): never {
  throw new Error(`unit tests open no sockets (attempted ${what}); move this test to tests/integration`);
}

const original = {
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

afterAll(() => {
  net.Socket.prototype.connect = original.connect;
  net.Server.prototype.listen = original.listen;
  (http2 as { connect: unknown }).connect = original.http2Connect;
});
