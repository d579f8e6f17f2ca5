import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
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
import { type CallContext, type CallHeaders, EngineCall } from './engine-call';
import { appendEndToEndHeaders, headerValue } from './forward-headers';
import { decodeGrpcFrames } from './grpc-frame';
import { type ConnectionLimits, ERROR_ENHANCE_YOUR_CALM, ERROR_INTERNAL, Http2Connection, Http2ProtocolError, type Http2Stream, type RawHeaders } from './h2';
import { RelayCall } from './relay-call';
import { RELAY_WINDOWS } from './relay-windows';
import { type EarlyRequest, RequestBuffer } from './request-buffer';
import { StalledCall } from './stalled-call';
import {
  GRPC_INTERNAL,
  GRPC_INVALID_ARGUMENT,
  GRPC_RESOURCE_EXHAUSTED,
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
  /** Overrides of the per-connection limits (h2's CONNECTION_LIMITS) on client connections. */
  limits?: Partial<ConnectionLimits>;
  /** Milliseconds an engine connection may take to open before its calls fail. Default 5,000. */
  connectTimeoutMs?: number;
  /** Serve clients over TLS (HTTP/2 by ALPN) with this PEM key and certificate; plaintext h2c when absent. */
  tls?: GatewayTls;
}

/** The gateway's TLS identity, PEM text or bytes. */
export interface GatewayTls {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

export interface Gateway {
  readonly host: string;
  readonly port: number;
  /** Client connections open right now. */
  openSessions(): number;
  /** Connections to engines open right now. */
  upstreamSessions(): number;
  /**
   * Stops listening, tells every client GOAWAY(NO_ERROR) and ends its
   * connection, and drops every engine connection and pending fail-point delay.
   */
  close(): Promise<void>;
}

const NO_BODY_YET: EarlyRequest = { chunks: [], ended: false };
const NO_BODY: EarlyRequest = { chunks: [], ended: true };

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
 *
 * Forwarding is a frame relay (./relay-call.ts over ./h2) rather than a
 * node:http2 proxy: header blocks are decoded (HPACK) for routing and
 * encoded again for the next hop, DATA passes through untouched, and one
 * HTTP/2 connection per engine carries every forwarded call. node:http2's
 * per-stream objects and events cost about as much as the engine's own work
 * on a trivial call; the relay keeps a stream down to a small record.
 *
 * Clients are not trusted: each client connection has its own limits
 * (h2's CONNECTION_LIMITS: header list size, concurrent streams, reset and
 * PING/SETTINGS budgets, socket backpressure, timeouts) and is closed on its
 * own when it passes one, malformed requests are reset here and never reach
 * an engine, and an engine connection that fails takes only its own calls
 * with it (those it never processed go again on a fresh connection).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const router = new GatewayRouter(options);
  return router.listen(options.host ?? '127.0.0.1', options.port ?? 0);
}

class GatewayRouter implements Gateway {
  host = '';
  port = 0;
  private readonly server: Server;
  private readonly sessions = new Set<Http2Connection>();
  private readonly pool: UpstreamPool;
  private readonly timers: TimerGroup;
  private readonly clock: Clock;
  private readonly logger: ClusterLogger;
  private readonly context: CallContext;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: GatewayOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.context = { callLog: options.callLog, clock: this.clock, logger: this.logger };
    this.timers = new TimerGroup(options.timers);
    this.pool = new UpstreamPool(options.engines, this.logger, options.connectTimeoutMs);
    const onConnection = (socket: Socket): void => {
      // Client connections fail for reasons outside the gateway (reset sockets); their streams clean up on close.
      const session: Http2Connection = new Http2Connection(socket, {
        role: 'server',
        ...RELAY_WINDOWS,
        limits: options.limits,
        onStream: (stream, headers, endStream) => this.onStream(stream, headers, endStream),
        onClose: (error) => {
          this.sessions.delete(session);
          if (!(error instanceof Http2ProtocolError)) return;
          // A gateway bug is an error; a client cut off for abuse is worth a warning; other protocol errors are the client's business.
          if (error.http2Code === ERROR_INTERNAL) this.logger.error('client connection failed inside the gateway', { error: error.message });
          else if (error.http2Code === ERROR_ENHANCE_YOUR_CALM) this.logger.warn('client connection cut off', { error: error.message });
        },
      });
      this.sessions.add(session);
    };
    // TLS only changes the socket: the same HTTP/2 connection handler runs over the decrypted stream.
    this.server =
      options.tls === undefined
        ? createServer({ noDelay: true }, onConnection)
        : createTlsServer({ key: options.tls.key, cert: options.tls.cert, ALPNProtocols: ['h2'], noDelay: true }, onConnection);
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
      const serverClosed = new Promise((resolve) => this.server.close(resolve));
      for (const session of [...this.sessions]) session.close();
      await serverClosed;
    })();
    return this.closing;
  }

  private onStream(stream: Http2Stream, headers: RawHeaders, endStream: boolean): void {
    const started = this.clock.now();
    const path = headerValue(headers, ':path') ?? '';
    const match = /^\/([A-Za-z0-9_.]+)\/([A-Za-z0-9_]+)$/.exec(path);
    if (match === null || headerValue(headers, ':method') !== 'POST') {
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
      this.onClusterCall(stream, method, seen, started, endStream);
    } else if (service === ENGINE_SERVICE) {
      this.onEngineCall(stream, headers, path, method, seen, started, endStream);
    } else {
      respondGrpcStatus(stream, GRPC_UNIMPLEMENTED, `unknown service ${service.slice(0, 80)}`);
    }
  }

  private onEngineCall(
    stream: Http2Stream,
    headers: RawHeaders,
    path: string,
    method: string,
    seen: CallHeaders,
    started: number,
    endStream: boolean,
  ): void {
    const requested = seen.strategy === null ? null : isStrategy(seen.strategy) ? seen.strategy : undefined;
    const live = newWorkTarget(this.options.controller.phase());
    const target = requested ?? live;
    const call = new EngineCall(this.context, stream, headers, path, method, seen, started, requested ?? null, target);
    if (this.options.power.status() !== 'active') {
      respondHttpStatus(stream, HTTP_SUSPENDED);
      call.record(requested === undefined ? null : target, 'suspended', null, HTTP_SUSPENDED);
      return;
    }
    if (requested === undefined) {
      respondHttpStatus(stream, HTTP_WRONG_DEPLOYMENT);
      call.record(null, 'rejected', null, HTTP_WRONG_DEPLOYMENT);
      return;
    }
    // Fail points act before routing, as a fault in front of the load balancer
    // would: so they can answer for a deployment that routing would refuse
    // (the reference mock's mismatch answer is exactly that).
    const hit = this.options.failPoints.evaluate(method, target);
    if (hit === null) {
      this.route(call, null, endStream ? NO_BODY : NO_BODY_YET);
      return;
    }
    call.failPoint = hit.rpc;
    if (hit.delayMs === 0) {
      this.applyFailPoint(call, hit, live, endStream ? NO_BODY : NO_BODY_YET);
      return;
    }
    // The request body waits with the call; the client's stream window bounds it.
    const early = new RequestBuffer({
      onAbort: () => {
        timer.cancel();
        call.record(target, 'cancelled', null, null);
      },
    });
    early.ended = endStream;
    stream.events = early;
    const timer = this.timers.setTimeout(() => {
      // The phase may have moved during the delay; what counts is the phase when the call arrives.
      this.applyFailPoint(call, hit, newWorkTarget(this.options.controller.phase()), early);
    }, hit.delayMs);
  }

  private applyFailPoint(call: EngineCall, hit: FailPointHit, live: Strategy, early: EarlyRequest): void {
    const { stream, target } = call;
    const effect = hit.effect;
    switch (effect.kind) {
      case 'grpc-status':
        respondGrpcStatus(stream, effect.code, effect.details);
        call.record(target, 'fail-point', effect.code, 200);
        return;
      case 'http-status':
        respondHttpStatus(stream, effect.status);
        call.record(target, 'fail-point', null, effect.status);
        return;
      case 'reference-mismatch':
        respondGrpcStatus(stream, GRPC_INVALID_ARGUMENT, `Wrong strategy. Status: 456. Expected: ${live}, Got: ${call.seen.strategy ?? 'None'}`);
        call.record(target, 'fail-point', GRPC_INVALID_ARGUMENT, 200);
        return;
      case 'drop':
        // The whole connection goes, as when a node dies: grpc-js reports UNAVAILABLE.
        call.record(target, 'fail-point', null, null);
        stream.connection.destroy();
        return;
      case 'corrupt':
        this.route(call, isCorruptible(call.method) ? call.method : null, early);
        return;
      case 'stall':
        this.stall(call);
        return;
      case 'pass':
        this.route(call, null, early);
        return;
    }
  }

  /** Holds the call unanswered until the client resets it or its connection goes. */
  private stall(call: EngineCall): void {
    const { stream, target } = call;
    const release = this.options.failPoints.holdStalled();
    const end = (): void => {
      release();
      call.record(target, 'cancelled', null, null);
    };
    if (stream.closed) {
      end();
      return;
    }
    stream.events = new StalledCall(end);
  }

  /** Routes by the current phase: HTTP 456, or on to the engine. */
  private route(call: EngineCall, corrupt: CorruptibleMethod | null, early: EarlyRequest): void {
    const { stream } = call;
    // A client gone during a fail-point delay cancelled the delay (and the call) already.
    const decision = routeCall(this.options.controller.phase(), call.requested, call.method);
    if (decision.action === 'reject') {
      respondHttpStatus(stream, HTTP_WRONG_DEPLOYMENT);
      call.record(decision.target, 'rejected', null, HTTP_WRONG_DEPLOYMENT);
      return;
    }
    this.forward(call, decision.target, decision.announce, corrupt, early);
  }

  private forward(call: EngineCall, target: Strategy, announce: Strategy | null, corrupt: CorruptibleMethod | null, early: EarlyRequest): void {
    const label = this.pool.describe(target);
    const headers: RawHeaders = [':method', 'POST', ':scheme', 'http', ':path', call.path, ':authority', label.authority];
    appendEndToEndHeaders(call.headers, headers, corrupt === null ? NOT_FORWARDED : NOT_FORWARDED_WHEN_CORRUPTING);
    if (announce !== null) headers.push(ANNOUNCE_HEADER, announce);
    call.forwardedTo = target;
    call.corrupting = corrupt !== null;
    new RelayCall({ downstream: call.stream, pool: this.pool, deployment: target, headers, corrupt, listener: call }).start(early);
  }

  private onClusterCall(stream: Http2Stream, method: string, seen: CallHeaders, started: number, endStream: boolean): void {
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
    const answer = (body: RequestBuffer): void => {
      if (body.size > MAX_CLUSTER_REQUEST_BYTES) {
        fail(GRPC_RESOURCE_EXHAUSTED, `ClusterService requests are limited to ${MAX_CLUSTER_REQUEST_BYTES} bytes`);
        return;
      }
      let request: Record<string, unknown>;
      try {
        const frames = decodeGrpcFrames(Buffer.concat(body.chunks));
        const frame = frames[0];
        if (frames.length !== 1 || frame === undefined || frame.compressed) {
          throw new Error(`expected one uncompressed message, got ${frames.length}`);
        }
        request = definition.requestDeserialize(frame.message) as Record<string, unknown>;
      } catch (err) {
        fail(GRPC_INTERNAL, `could not read the ClusterService ${method} request: ${(err as Error).message}`);
        return;
      }
      const reply = answerClusterCall(method, request, this.options.users, this.options.power);
      if (!reply.ok) {
        fail(reply.code, reply.details);
        return;
      }
      respondMessage(stream, definition.responseSerialize({ status: reply.status }));
      record('ok', 0);
    };
    const body: RequestBuffer = new RequestBuffer({
      // Read here, so credited at once; past the limit the bytes are counted, not kept.
      consume: (bytes) => stream.consume(bytes),
      keepUpTo: MAX_CLUSTER_REQUEST_BYTES,
      onEnd: () => answer(body),
      onAbort: () => undefined,
    });
    if (endStream) {
      answer(body);
      return;
    }
    stream.events = body;
  }
}

