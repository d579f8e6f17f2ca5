// How an engine or cluster call failed, as the tests read it: the typed
// TransportError, or just its gRPC code and details.
import { TransportError } from '@e6data-ts/grpc-transport';
import { rejectionOf } from './expected-error';

/** Awaits a call that must fail with a TransportError, and returns the error. */
export function transportFailure(call: Promise<unknown>): Promise<TransportError> {
  return rejectionOf(call, TransportError);
}

/** transportFailure reduced to the gRPC code and the details ('' when there are none). */
export async function grpcFailure(call: Promise<unknown>): Promise<{ code: number | undefined; details: string }> {
  const error = await transportFailure(call);
  return { code: error.grpcCode, details: error.details ?? '' };
}

/** 'ok' when the call succeeds, otherwise its TransportError (any other failure fails the test). */
export async function callOutcome(call: Promise<unknown>): Promise<TransportError | 'ok'> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(TransportError);
    return err as TransportError;
  }
}
