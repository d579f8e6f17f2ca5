import http2, { type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import { type AddressInfo } from 'node:net';
import { clusterServiceDefinition } from '@e6data-ts/grpc-transport';
import { isStrategy, type Strategy } from '@e6data-ts/strategy-core';
import { answerClusterCall, isClusterMethod } from '../cluster/cluster-service';
import { type ClusterPower } from '../cluster/cluster-power';
import { type ClusterUser } from '../cluster/credentials';
import { type DeploymentController } from '../deployment/deployment-controller';
import { newWorkTarget } from '../deployment/deployment-phase';
import { routeCall } from '../deployment/deployment-routing';
import { ANNOUNCE_HEADER } from '../engine';
import { type FailPoints } from '../fail-points/fail-point-registry';
import { type FailPointHit } from '../fail-points/fail-point-types';
import { type ClusterLogger, silentLogger } from '../logger';
import { type Clock, systemClock, TimerGroup, type Timers } from '../timers';
import { type CallLog, type CallOutcome } from './call-log';
import { type CorruptibleMethod, isCorruptible } from './corrupt-response';
import { copyEndToEndHeaders, headerValue } from './forward-headers';
import { decodeGrpcFrames } from './grpc-frame';
import { proxyCall } from './proxy-call';
import {
  GRPC_INTERNAL,
  GRPC_INVALID_ARGUMENT,
  GRPC_RESOURCE_EXHAUSTED,
  GRPC_UNAVAILABLE,
  GRPC_UNIMPLEMENTED,
  respondGrpcStatus,
  respondHttpStatus,
  respondMessage,
} from './stream-responses';
import { type EngineAddress, UpstreamPool } from './upstream-pool';

/** HTTP status of a load balancer that has no deployment for the request's `strategy`. */
export const HTTP_WRONG_DEPLOYMENT = 456;
/** HTTP status of a suspended cluster. */
export const HTTP_SUSPENDED = 503;

const ENGINE_SERVICE = 'QueryEngineService';
const CLUSTER_SERVICE = 'ClusterService';
const MAX_CLUSTER_REQUEST_BYTES = 64 * 1024;
// A client-sent announce header must never reach an engine: only the controller announces.
const NOT_FORWARDED: ReadonlySet<string> = new Set([ANNOUNCE_HEADER]);
// A corrupted answer is rewritten here, so the engine must not compress it.
const NOT_FORWARDED_WHEN_CORRUPTING: ReadonlySet<string> = new Set([ANNOUNCE_HEADER, 'grpc-accept-encoding']);

export interface GatewayOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port to listen on. Default 0 (an ephemeral port). */
  port?: number;
  /** Where each deployment's engine listens. */
  engines: Readonly<Record<Strategy, EngineAddress>>;
  controller: DeploymentController;
  power: ClusterPower;
  failPoints: FailPoints;
  callLog: CallLog;
  /** Users the ClusterService accepts. */
  users: readonly ClusterUser[];
  clock?: Clock;
  /** Timers of fail-point delays. */
  timers?: Timers;
  logger?: ClusterLogger;
}

export interface Gateway {
  readonly host: string;
  readonly port: number;
  /** Client connections open right now. */
  openSessions(): number;
  /** Connections to engines open right now. */
  upstreamSessions(): number;
  /** Stops listening and drops every connection (client and engine side) and pending fail-point delay. */
  close(): Promise<void>;
}

/** One engine call on its way through the gateway. */
interface EngineCall {
  readonly stream: ServerHttp2Stream;
  readonly headers: IncomingHttpHeaders;
  readonly path: string;
  readonly method: string;
  /** The `strategy` header; null when absent. */
  readonly requested: Strategy | null;
  /** The deployment the call names, or the one taking new work when it names none. */
  readonly target: Strategy;
  readonly record: (deployment: Strategy | null, outcome: CallOutcome, grpcStatus: number | null, httpStatus: number | null) => void;
}

interface CallHeaders {
  readonly strategy: string | null;
  readonly clusterName: string | null;
  readonly plannerIp: string | null;
}

/**
 * The cluster's front door, an HTTP/2 (h2c) router in front of the blue and
 * green engines. It routes every stream by its `strategy` header and request
 * path alone, never by message body:
 * - `/ClusterService/*` is answered here and works even while suspended.
 * - Engine calls get HTTP 503 while the cluster is suspended or resuming.
 * - A missing `strategy` goes to the deployment taking new work. A value
 *   other than exactly `blue` or `green` gets HTTP 456, as a load balancer
 *   with no backend for that value would answer.
 * - A fail point for the method and the named deployment may then delay,
 *   answer, drop or corrupt the call (before routing, so it can stand in for
 *   a deployment that routing would refuse).
 * - The deployment phase decides between forwarding and HTTP 456; forwarded
 *   calls may be told to announce the next deployment.
 * - The engine's answer streams back with its headers and trailers; a client
 *   that goes away cancels the engine's stream, and an engine that fails
 *   becomes a gRPC UNAVAILABLE.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const router = new GatewayRouter(options);
  return router.listen(options.host ?? '127.0.0.1', options.port ?? 0);
}

class GatewayRouter implements Gateway {
  host = '';
  port = 0;
  private readonly server = http2.createServer();
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly pool: UpstreamPool;
  private readonly timers: TimerGroup;
  private readonly clock: Clock;
  private readonly logger: ClusterLogger;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: GatewayOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.timers = new TimerGroup(options.timers);
    this.pool = new UpstreamPool(options.engines, this.logger);
    this.server.on('session', (session: ServerHttp2Session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      // Client sessions fail for reasons outside the gateway (reset sockets); their streams clean up on close.
      session.on('error', () => undefined);
    });
    this.server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => this.onStream(stream, headers));
  }

  async listen(host: string, port: number): Promise<Gateway> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.host = host;
    this.port = address.port;
    this.server.on('error', (err: Error) => this.logger.error('gateway server error', { error: err.message }));
    return this;
  }

  openSessions(): number {
    return this.sessions.size;
  }

  upstreamSessions(): number {
    return this.pool.openSessions();
  }

  close(): Promise<void> {
    this.closing ??= (async (): Promise<void> => {
      this.timers.cancelAll();
      this.pool.close();
      const sessionsClosed = [...this.sessions].map((session) => new Promise((resolve) => session.once('close', resolve)));
      const serverClosed = new Promise((resolve) => this.server.close(resolve));
      for (const session of this.sessions) session.destroy();
      await Promise.all([serverClosed, ...sessionsClosed]);
    })();
    return this.closing;
  }

  private onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    // Resets by the client surface here; the stream's close handlers do the cleanup.
    stream.on('error', () => undefined);
    const started = this.clock.now();
    const path = headerValue(headers, ':path') ?? '';
    const match = /^\/([A-Za-z0-9_.]+)\/([A-Za-z0-9_]+)$/.exec(path);
    if (match === null || headers[':method'] !== 'POST') {
      respondGrpcStatus(stream, GRPC_UNIMPLEMENTED, `no gRPC method at ${path.slice(0, 80)}`);
      return;
    }
    const service = match[1] ?? '';
    const method = match[2] ?? '';
    const seen: CallHeaders = {
      strategy: headerValue(headers, 'strategy') ?? null,
      clusterName: headerValue(headers, 'cluster-name') ?? null,
      plannerIp: headerValue(headers, 'plannerip') ?? null,
    };
    if (service === CLUSTER_SERVICE) {
      this.onClusterCall(stream, method, seen, started);
    } else if (service === ENGINE_SERVICE) {
      this.onEngineCall(stream, headers, path, method, seen, started);
    } else {
      respondGrpcStatus(stream, GRPC_UNIMPLEMENTED, `unknown service ${service.slice(0, 80)}`);
    }
  }

  private onEngineCall(
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    path: string,
    method: string,
    seen: CallHeaders,
    started: number,
  ): void {
    const requested = seen.strategy === null ? null : isStrategy(seen.strategy) ? seen.strategy : undefined;
    let failPoint: string | null = null;
    let recorded = false;
    const record = (deployment: Strategy | null, outcome: CallOutcome, grpcStatus: number | null, httpStatus: number | null): void => {
      if (recorded) return;
      recorded = true;
      this.options.callLog.record({
        rpc: method,
        deployment,
        ...seen,
        outcome,
        grpcStatus,
        httpStatus,
        failPoint,
        durationMs: this.clock.now() - started,
      });
    };

    const live = newWorkTarget(this.options.controller.phase());
    if (this.options.power.status() !== 'active') {
      respondHttpStatus(stream, HTTP_SUSPENDED);
      record(requested === undefined ? null : (requested ?? live), 'suspended', null, HTTP_SUSPENDED);
      return;
    }
    if (requested === undefined) {
      respondHttpStatus(stream, HTTP_WRONG_DEPLOYMENT);
      record(null, 'rejected', null, HTTP_WRONG_DEPLOYMENT);
      return;
    }
    const call: EngineCall = { stream, headers, path, method, requested, target: requested ?? live, record };
    // Fail points act before routing, as a fault in front of the load balancer
    // would: so they can answer for a deployment that routing would refuse
    // (the reference mock's mismatch answer is exactly that).
    const hit = this.options.failPoints.evaluate(method, call.target);
    if (hit === null) {
      this.route(call, null);
      return;
    }
    failPoint = hit.rpc;
    if (hit.delayMs === 0) {
      this.applyFailPoint(call, hit, seen.strategy, live);
      return;
    }
    const onClose = (): void => {
      timer.cancel();
      record(call.target, 'cancelled', null, null);
    };
    const timer = this.timers.setTimeout(() => {
      stream.off('close', onClose);
      // The phase may have moved during the delay; what counts is the phase when the call arrives.
      this.applyFailPoint(call, hit, seen.strategy, newWorkTarget(this.options.controller.phase()));
    }, hit.delayMs);
    stream.once('close', onClose);
  }

  private applyFailPoint(call: EngineCall, hit: FailPointHit, requestedRaw: string | null, live: Strategy): void {
    const { stream, record, target } = call;
    const effect = hit.effect;
    switch (effect.kind) {
      case 'grpc-status':
        respondGrpcStatus(stream, effect.code, effect.details);
        record(target, 'fail-point', effect.code, 200);
        return;
      case 'http-status':
        respondHttpStatus(stream, effect.status);
        record(target, 'fail-point', null, effect.status);
        return;
      case 'reference-mismatch':
        respondGrpcStatus(stream, GRPC_INVALID_ARGUMENT, `Wrong strategy. Status: 456. Expected: ${live}, Got: ${requestedRaw ?? 'None'}`);
        record(target, 'fail-point', GRPC_INVALID_ARGUMENT, 200);
        return;
      case 'drop':
        // The whole connection goes, as when a node dies: grpc-js reports UNAVAILABLE.
        record(target, 'fail-point', null, null);
        stream.session?.destroy();
        return;
      case 'corrupt':
        this.route(call, isCorruptible(call.method) ? call.method : null);
        return;
      case 'pass':
        this.route(call, null);
        return;
    }
  }

  /** Routes by the current phase: HTTP 456, or on to the engine. */
  private route(call: EngineCall, corrupt: CorruptibleMethod | null): void {
    const { stream, record } = call;
    if (stream.destroyed || stream.closed) {
      record(call.target, 'cancelled', null, null);
      return;
    }
    const decision = routeCall(this.options.controller.phase(), call.requested, call.method);
    if (decision.action === 'reject') {
      respondHttpStatus(stream, HTTP_WRONG_DEPLOYMENT);
      record(decision.target, 'rejected', null, HTTP_WRONG_DEPLOYMENT);
      return;
    }
    this.forward(call, decision.target, decision.announce, corrupt, (outcome, status) =>
      record(decision.target, corrupt !== null && outcome !== 'cancelled' ? 'fail-point' : outcome, status, 200),
    );
  }

  private forward(
    call: EngineCall,
    target: Strategy,
    announce: Strategy | null,
    corrupt: CorruptibleMethod | null,
    onDone: (outcome: CallOutcome, grpcStatus: number | null) => void,
  ): void {
    const { stream, path } = call;
    const out = copyEndToEndHeaders(call.headers, corrupt === null ? NOT_FORWARDED : NOT_FORWARDED_WHEN_CORRUPTING);
    out[':method'] = 'POST';
    out[':path'] = path;
    if (announce !== null) out[ANNOUNCE_HEADER] = announce;
    const { host, port } = this.pool.address(target);
    const upstreamName = `deployment ${target} (${host}:${port})`;
    let upstream: http2.ClientHttp2Stream;
    try {
      upstream = this.pool.request(target, out);
    } catch (err) {
      respondGrpcStatus(stream, GRPC_UNAVAILABLE, `${upstreamName} is unreachable: ${(err as Error).message}`);
      onDone('upstream-error', GRPC_UNAVAILABLE);
      return;
    }
    proxyCall({
      stream,
      upstream,
      corrupt,
      upstreamName,
      onDone: (outcome, status) => {
        if (outcome === 'upstream-error') this.logger.warn(`call to ${upstreamName} failed`, { path, grpcStatus: status });
        onDone(outcome, status);
      },
    });
  }

  private onClusterCall(stream: ServerHttp2Stream, method: string, seen: CallHeaders, started: number): void {
    const record = (outcome: CallOutcome, grpcStatus: number): void => {
      this.options.callLog.record({
        rpc: `${CLUSTER_SERVICE}/${method}`,
        deployment: null,
        ...seen,
        outcome,
        grpcStatus,
        httpStatus: 200,
        failPoint: null,
        durationMs: this.clock.now() - started,
      });
    };
    const fail = (code: number, details: string): void => {
      respondGrpcStatus(stream, code, details);
      record('grpc-error', code);
    };
    if (!isClusterMethod(method)) {
      fail(GRPC_UNIMPLEMENTED, `ClusterService has no method ${method.slice(0, 80)}`);
      return;
    }
    // cluster.proto defines all three methods isClusterMethod accepts.
    const definition = clusterServiceDefinition()[method]!;
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_CLUSTER_REQUEST_BYTES) chunks.push(chunk);
    });
    stream.on('end', () => {
      if (size > MAX_CLUSTER_REQUEST_BYTES) {
        fail(GRPC_RESOURCE_EXHAUSTED, `ClusterService requests are limited to ${MAX_CLUSTER_REQUEST_BYTES} bytes`);
        return;
      }
      let request: Record<string, unknown>;
      try {
        const frames = decodeGrpcFrames(Buffer.concat(chunks));
        const frame = frames[0];
        if (frames.length !== 1 || frame === undefined || frame.compressed) {
          throw new Error(`expected one uncompressed message, got ${frames.length}`);
        }
        request = definition.requestDeserialize(frame.message) as Record<string, unknown>;
      } catch (err) {
        fail(GRPC_INTERNAL, `could not read the ClusterService ${method} request: ${(err as Error).message}`);
        return;
      }
      const answer = answerClusterCall(method, request, this.options.users, this.options.power);
      if (!answer.ok) {
        fail(answer.code, answer.details);
        return;
      }
      respondMessage(stream, definition.responseSerialize({ status: answer.status }));
      record('ok', 0);
    });
  }
}
