// In-process servers for the transport's integration tests: a grpc-js engine
// with the project's service definitions, and a bare node:http2 server that
// answers like a load balancer (HTTP-level statuses, no gRPC status). All
// listen on 127.0.0.1 port 0 and close everything they opened.
import http2 from 'node:http2';
import net from 'node:net';
import { clusterServiceDefinition, engineServiceDefinition, grpc, loadProtoDefinition } from '@e6data-ts/grpc-transport';

export type UnaryHandler = (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) => void;

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

export interface GrpcServerOptions {
  engine?: Record<string, UnaryHandler>;
  cluster?: Record<string, UnaryHandler>;
  credentials?: grpc.ServerCredentials;
  options?: grpc.ServerOptions;
}

/** A grpc-js server; methods without a handler answer UNIMPLEMENTED. */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningServer> {
  const server = new grpc.Server(options.options);
  if (options.engine) server.addService(engineServiceDefinition(), options.engine);
  if (options.cluster) server.addService(clusterServiceDefinition(), options.cluster);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', options.credentials ?? grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // In-flight calls of a test that failed must not keep the process alive.
        server.forceShutdown();
        resolve();
      }),
  };
}

/** What an http2 load balancer stub does with each stream. */
export type StreamHandler = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void;

/** A plain HTTP/2 server (h2c), to answer the way the load balancer in front of a cluster does. */
export async function startHttp2Server(onStream: StreamHandler): Promise<RunningServer & { requests: http2.IncomingHttpHeaders[] }> {
  const requests: http2.IncomingHttpHeaders[] = [];
  const sessions = new Set<http2.ServerHttp2Session>();
  const server = http2.createServer();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    requests.push(headers);
    // A client that gives up resets its stream; that is not a server error.
    stream.on('error', () => {});
    onStream(stream, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers a stream with an HTTP status and no gRPC status, as a load balancer does. */
export function answerHttpStatus(status: number): StreamHandler {
  return (stream) => {
    stream.respond({ ':status': status, 'content-type': 'text/plain' });
    stream.end(`HTTP ${status}`);
  };
}

/** Answers a stream with a real gRPC response: the message framed, then trailers with grpc-status 0. */
export function answerGrpc(method: string, response: object): StreamHandler {
  const definition = loadProtoDefinition() as unknown as Record<string, Record<string, { responseSerialize(value: object): Buffer }>>;
  const serialize = definition.QueryEngineService?.[method]?.responseSerialize;
  if (!serialize) throw new Error(`no such engine method ${method}`);
  const body = serialize(response);
  const frame = Buffer.alloc(5 + body.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(body.length, 1);
  body.copy(frame, 5);
  return (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(frame);
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
