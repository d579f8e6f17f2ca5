// Failures of the client itself, before or after anything is on the wire.
import { TransportError } from './transport-error';

/** A client or call option is not valid (unknown name, wrong type, unreadable CA). */
export class InvalidOptionError extends TransportError {
  override readonly name: string = 'InvalidOptionError';
  /** The option at fault, as the caller spelled it. */
  readonly option: string;

  constructor(option: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'INVALID_OPTION', kind: 'fatal', ambiguous: false, cause: options.cause });
    this.option = option;
  }
}

/** A call was made on a client after `close()`. */
export class ClientClosedError extends TransportError {
  override readonly name: string = 'ClientClosedError';

  constructor(method: string, target: string) {
    super(`${method}: the client for ${target} is closed`, { code: 'CLIENT_CLOSED', kind: 'fatal', ambiguous: false, method });
  }
}
