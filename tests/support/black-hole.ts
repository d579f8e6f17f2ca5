import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';

/** A loopback address that takes no connections: connecting there neither succeeds nor is refused. */
export interface BlackHole {
  readonly port: number;
  /** Frees the address and everything opened to fill it. */
  close(): Promise<void>;
}

// The listener lives in a worker whose event loop is blocked at once, so it
// never accepts: the kernel completes handshakes until the accept queue
// (backlog 1) is full, and from then on drops new SYNs, like a host that
// drops packets. The worker stays blocked until close() wakes it.
const LISTENER = `
const { parentPort, workerData } = require('node:worker_threads');
const server = require('node:net').createServer();
server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  Atomics.wait(new Int32Array(workerData), 0, 0);
});
`;

/** Opens a black hole on loopback: fills the listener's accept queue until a connect attempt hangs. */
export async function openBlackHole(): Promise<BlackHole> {
  const wake = new SharedArrayBuffer(4);
  const worker = new Worker(LISTENER, { eval: true, workerData: wake });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const fillers: Socket[] = [];
  const close = async (): Promise<void> => {
    for (const socket of fillers) socket.destroy();
    Atomics.store(new Int32Array(wake), 0, 1);
    Atomics.notify(new Int32Array(wake), 0);
    await worker.terminate();
  };
  try {
    for (let attempt = 0; ; attempt++) {
      if (attempt === 32) throw new Error(`port ${port} still took connections after 32 attempts; the accept queue did not fill`);
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', () => undefined);
      fillers.push(socket);
      const connected = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 250);
        socket.once('connect', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!connected) return { port, close };
    }
  } catch (err) {
    await close();
    throw err;
  }
}
