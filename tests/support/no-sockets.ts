// Loaded before every unit test file: the unit tier must not open sockets.
// Any attempt to connect or listen throws, naming what was tried, so a test
// that strays into I/O fails loudly instead of passing by luck.
import net from 'node:net';
import http2 from 'node:http2';

function forbid(what: string): never {
  throw new Error(`unit tests open no sockets (attempted ${what}); move this test to tests/integration`);
}

net.Socket.prototype.connect = function connect(): never {
  return forbid('net.Socket.connect');
};
net.Server.prototype.listen = function listen(): never {
  return forbid('net.Server.listen');
};
(http2 as { connect: unknown }).connect = (): never => forbid('http2.connect');
