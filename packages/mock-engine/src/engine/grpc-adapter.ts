// Turns EngineService into a grpc-js service implementation: every call gets
// the announced strategy in its response's new_strategy (and none otherwise),
// and every failure becomes a gRPC status with a message that names it.
import { type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation, status as GrpcStatus } from '@grpc/grpc-js';
import { ENGINE_METHOD_NAMES, type EngineMethodName } from '@e6data-ts/grpc-transport';
import { type Strategy } from '@e6data-ts/strategy-core';
import { announcementFor } from './announce';
import { EngineError } from './engine-error';
import { type EngineLogger } from './engine-options';
import { type EngineHandlers } from './engine-service';

// Responses without a new_strategy field in the proto.
const NO_NEW_STRATEGY: ReadonlySet<EngineMethodName> = new Set<EngineMethodName>(['dryRunV2', 'healthCheck']);

export interface AdapterOptions {
  readonly deployment: Strategy;
  readonly handlers: EngineHandlers;
  /** The standing announcement (setAnnouncedStrategy). */
  readonly announced: () => Strategy | null;
  /** True once the engine is closing: calls are refused with UNAVAILABLE. */
  readonly closing: () => boolean;
  readonly logger: EngineLogger;
}

export interface ServiceAdapter {
  readonly implementation: UntypedServiceImplementation;
  /** Calls still being answered. */
  readonly inFlight: ReadonlySet<Promise<unknown>>;
}

type AnyHandler = (request: unknown) => Record<string, unknown> | Promise<Record<string, unknown>>;

export function createServiceAdapter(options: AdapterOptions): ServiceAdapter {
  const inFlight = new Set<Promise<unknown>>();
  const implementation: UntypedServiceImplementation = {};
  for (const method of ENGINE_METHOD_NAMES) {
    const handler = (options.handlers[method] as AnyHandler).bind(options.handlers);
    implementation[method] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>): void => {
      const announced = announcementFor(call.metadata, options.announced(), (value) =>
        options.logger.warn('ignored an invalid announce header', { deployment: options.deployment, method, value: value.slice(0, 40) }),
      );
      const answer = new Promise<Record<string, unknown>>((resolve) => {
        if (options.closing()) throw new EngineError('CLOSED', `deployment ${options.deployment} is shutting down`);
        resolve(handler(call.request));
      }).then(
        (response) => {
          if (announced !== null && !NO_NEW_STRATEGY.has(method)) response.new_strategy = announced;
          callback(null, response);
        },
        (reason: unknown) => {
          const error = EngineError.from(reason);
          if (error.code === 'INTERNAL' && error.grpcStatus === GrpcStatus.INTERNAL) {
            options.logger.error('call failed unexpectedly', { deployment: options.deployment, method, error: error.message });
          }
          callback({ code: error.grpcStatus, details: error.message }, null);
        },
      );
      const tracked: Promise<void> = answer
        .catch((reason: unknown) => options.logger.error('could not send a response', { deployment: options.deployment, method, error: String(reason) }))
        .finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    };
  }
  return { implementation, inFlight };
}
