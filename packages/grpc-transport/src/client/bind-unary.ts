// Turns one method of a grpc-js generated client into `(request, callOptions?) => Promise<response>`.
import { type Client, type ClientUnaryCall, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { ClientClosedError } from '../errors/client-errors';
import { buildMetadata } from '../headers/build-metadata';
import { type HeaderWarn } from '../headers/header-logger';
import { type CallOptions } from './call-options';
import { resolveDeadline } from './deadline';
import { invokeUnary } from './unary-call';

type GeneratedUnary = (
  request: unknown,
  metadata: Metadata,
  options: { deadline: number },
  callback: (err: ServiceError | null, response?: unknown) => void,
) => ClientUnaryCall;

export interface BindUnaryInput {
  client: Client;
  method: string;
  /** How errors name the call; defaults to the method name. */
  label?: string;
  target: string;
  defaultTimeoutMs: number;
  isClosed: () => boolean;
  warn?: HeaderWarn | undefined;
}

export function bindUnary<Req, Res>(input: BindUnaryInput): (request: Req, callOptions?: CallOptions) => Promise<Res> {
  const { client, method } = input;
  const label = input.label ?? method;
  const generated = (client as unknown as Record<string, GeneratedUnary | undefined>)[method];
  if (typeof generated !== 'function') throw new TypeError(`the loaded service has no method ${method}`);
  return async (request: Req, callOptions: CallOptions = {}): Promise<Res> => {
    if (input.isClosed()) throw new ClientClosedError(label, input.target);
    // Both throw InvalidOptionError for a bad header or deadline, before anything is sent.
    const metadata = buildMetadata(callOptions.headers, input.warn === undefined ? {} : { warn: input.warn });
    const deadline = resolveDeadline(callOptions, input.defaultTimeoutMs, Date.now());
    return invokeUnary<Res>({
      method: label,
      start: (md, options, callback) => generated.call(client, request, md, options, callback as (err: ServiceError | null, response?: unknown) => void),
      metadata,
      deadline,
      signal: callOptions.signal,
      secrets: [passwordOf(request)],
    });
  };
}

// Authenticate and the cluster calls carry a password (or token): it must
// never surface in an error message, even if a server echoes it.
function passwordOf(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const password = (request as { password?: unknown }).password;
  return typeof password === 'string' ? password : undefined;
}
