import { type ErrorKind } from './error-kind';
import { analyseFailure } from './failure-analysis';
import { TransportError } from './transport-error';

/**
 * What a failure means (docs/wire.md section 4): a TransportError keeps the kind it
 * was built with; anything else is read by its gRPC code and details.
 */
export function classifyError(err: unknown): ErrorKind {
  if (err instanceof TransportError) return err.kind;
  return analyseFailure(err).kind;
}
