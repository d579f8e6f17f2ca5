import { closestName } from '@e6data-ts/grpc-transport';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { type PowerStatus } from '../cluster/cluster-power';
import { type ClusterState } from '../cluster/cluster-state';
import { type DeployOptions, type DeploymentHandle, type DeployTrigger } from '../deployment/deployment-types';
import { InvalidMockOptionError, ListenError, MockClusterError } from '../errors';
import { type FailPoints } from '../fail-points/fail-point-registry';
import { engineMethodNames, parseFailPointSpec, parseFailPointTarget } from '../fail-points/fail-point-parse';
import { type CallLog } from '../gateway/call-log';
import { type ClusterLogger, silentLogger } from '../logger';
import { renderMetrics } from './metrics';
import { parseDeployBody, parseEmptyBody } from './admin-body';

/** What the admin API drives: the parts of a running cluster. */
export interface AdminBackend {
  state(): ClusterState;
  startDeploy(options: DeployOptions, trigger: DeployTrigger): DeploymentHandle;
  suspend(): PowerStatus;
  resume(): PowerStatus;
  readonly failPoints: FailPoints;
  readonly callLog: CallLog;
}

export interface AdminServerOptions {
  backend: AdminBackend;
  /** Default 127.0.0.1: the admin API can break the cluster, so it is not exposed unless asked. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  logger?: ClusterLogger;
}

export interface AdminServer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/** The error body of every refused admin request. */
export interface AdminErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

const MAX_BODY_BYTES = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The admin HTTP API (JSON): state, deployments, suspend/resume, fail points,
 * the call log and Prometheus metrics. Every refusal is a 4xx with
 * `{ error: { code, message } }` naming the problem.
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { backend } = options;
  const logger = options.logger ?? silentLogger;
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    handle(backend, req, res).catch((err: unknown) => {
      const error = err instanceof HttpError ? err : toHttpError(err);
      if (error.status >= 500) logger.error('admin request failed', { url: req.url, error: error.message });
      sendJson(res, error.status, { error: { code: error.code, message: error.message } } satisfies AdminErrorBody, error.headers);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new ListenError('admin API', host, options.port ?? 0, err));
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    host,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections would hold close() open until they time out.
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

async function handle(backend: AdminBackend, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin.invalid');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  const allow = (...methods: string[]): void => {
    if (!methods.includes(method)) {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${methods.join(' or ')}`, {
        allow: methods.join(', '),
      });
    }
  };

  if (path === '/state') {
    allow('GET');
    return sendJson(res, 200, backend.state());
  }
  if (path === '/deploy') {
    allow('POST');
    const options = parseDeployBody(await readJson(req, true));
    return sendJson(res, 202, { deployment: startDeploy(backend, options).plan });
  }
  if (path === '/suspend') {
    allow('POST');
    parseEmptyBody(path, await readJson(req, true));
    return sendJson(res, 200, { status: backend.suspend() });
  }
  if (path === '/resume') {
    allow('POST');
    parseEmptyBody(path, await readJson(req, true));
    return sendJson(res, 200, { status: backend.resume() });
  }
  if (path === '/fail-points') {
    allow('GET', 'DELETE');
    if (method === 'GET') return sendJson(res, 200, backend.failPoints.list());
    backend.failPoints.clearAll();
    return sendEmpty(res);
  }
  if (path.startsWith('/fail-points/')) {
    allow('PUT', 'DELETE', 'GET');
    const rpc = parseFailPointTarget(knownRpc(decodePathPart(path.slice('/fail-points/'.length))));
    if (method === 'PUT') {
      const spec = parseFailPointSpec(rpc, await readJson(req, false));
      return sendJson(res, 200, backend.failPoints.set(rpc, spec));
    }
    if (method === 'GET') {
      const point = backend.failPoints.get(rpc);
      if (point === undefined) throw new HttpError(404, 'NOT_FOUND', `no fail point is set on ${rpc}`);
      return sendJson(res, 200, point);
    }
    if (!backend.failPoints.clear(rpc)) throw new HttpError(404, 'NOT_FOUND', `no fail point is set on ${rpc}`);
    return sendEmpty(res);
  }
  if (path === '/calls') {
    allow('GET', 'DELETE');
    if (method === 'GET') return sendJson(res, 200, backend.callLog.snapshot());
    backend.callLog.reset();
    return sendEmpty(res);
  }
  if (path === '/metrics') {
    allow('GET');
    const body = renderMetrics({
      state: backend.state(),
      calls: backend.callLog.snapshot().counts,
      failPoints: backend.failPoints.list(),
    });
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(body);
    return;
  }
  throw new HttpError(
    404,
    'NOT_FOUND',
    `no admin route ${method} ${path.slice(0, 80)}; routes: /state, /deploy, /suspend, /resume, /fail-points, /calls, /metrics`,
  );
}

/** Starts a deployment; asking for the side that is already live is a conflict with the cluster's state, not a bad body. */
function startDeploy(backend: AdminBackend, options: DeployOptions): DeploymentHandle {
  try {
    return backend.startDeploy(options, 'admin');
  } catch (err) {
    // The body was checked already, so a refused `to` can only be the live side.
    if (err instanceof InvalidMockOptionError && err.field === 'to') throw new HttpError(409, 'ALREADY_LIVE', err.message);
    throw err;
  }
}

/** The fail point target in a path, or 404 naming it, listing the valid ones and the likely one. */
function knownRpc(rpc: string): string {
  const methods = engineMethodNames();
  if (rpc === '*' || methods.has(rpc)) return rpc;
  const guess = closestName(rpc, methods);
  const shown = JSON.stringify(rpc.slice(0, 60));
  throw new HttpError(
    404,
    'UNKNOWN_RPC',
    `no QueryEngineService method ${shown}${guess === undefined ? '' : `; did you mean ${guess}?`} Valid: *, ${[...methods].sort().join(', ')}`,
  );
}

/** Reads a JSON request body. An empty body is `{}` when `emptyIsObject`, else an error. */
async function readJson(req: IncomingMessage, emptyIsObject: boolean): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'BODY_TOO_LARGE', `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') {
    if (emptyIsObject) return {};
    throw new HttpError(400, 'BAD_JSON', 'the request needs a JSON body');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, 'BAD_JSON', `the body is not valid JSON: ${(err as Error).message}`);
  }
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, 'BAD_PATH', 'the path holds a malformed percent-encoding');
  }
}

function toHttpError(err: unknown): HttpError {
  if (err instanceof InvalidMockOptionError) return new HttpError(400, 'INVALID_BODY', err.message);
  const error = MockClusterError.from(err);
  switch (error.code) {
    case 'DEPLOYMENT_IN_PROGRESS':
      return new HttpError(409, error.code, error.message);
    case 'CLOSED':
      return new HttpError(503, error.code, error.message);
    default:
      return new HttpError(500, error.code, error.message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendEmpty(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}
