// One unary call as a promise: deadline, abort signal and typed errors.
import { type ClientUnaryCall, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { CallAbortedError, TransportError } from '../errors/transport-error';

/** Starts the grpc-js call; the shape of a generated client method. */
export type StartUnary<Res> = (
  metadata: Metadata,
  options: { deadline: number },
  callback: (err: ServiceError | null, response?: Res) => void,
) => ClientUnaryCall;

export interface UnaryCallInput<Res> {
  method: string;
  start: StartUnary<Res>;
  metadata: Metadata;
  deadline: number;
  signal?: AbortSignal | undefined;
  /** Values to mask out of error messages (the password of the call). */
  secrets?: readonly (string | undefined)[];
}

export function invokeUnary<Res>(input: UnaryCallInput<Res>): Promise<Res> {
  const { method, signal } = input;
  return new Promise<Res>((resolve, reject) => {
    // An already-aborted call never goes on the wire.
    if (signal?.aborted) {
      reject(new CallAbortedError(signal.reason, { method }));
      return;
    }
    let settled = false;
    // grpc-js reports every failure, serialisation included, through the
    // callback, and never calls it synchronously.
    const call = input.start(input.metadata, { deadline: input.deadline }, (err, response) => {
      signal?.removeEventListener('abort', onAbort);
      // After our own cancel grpc-js still calls back (CANCELLED); the abort already answered.
      if (settled) return;
      settled = true;
      if (err) reject(TransportError.from(err, { method, secrets: input.secrets ?? [] }));
      else resolve(response as Res);
    });
    const onAbort = (): void => {
      settled = true;
      call.cancel();
      reject(new CallAbortedError(signal?.reason, { method }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
