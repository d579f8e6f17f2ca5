// Plaintext by default (real clusters listen on port 80); TLS when `secure` is
// set, trusting the system CAs or the CA the caller gives (a path or PEM bytes).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { InvalidOptionError } from '../errors/client-errors';

/** Whether a channel uses TLS, and which CA it trusts. */
export interface CredentialsInput {
  /** TLS on. Defaults to true when `caCert` is given, else false. */
  secure?: boolean;
  /** The CA to trust instead of the system CAs: a file path, or the PEM itself (string or bytes). */
  caCert?: string | Buffer;
}

const PEM_MARKER = '-----BEGIN ';

export function createChannelCredentials(input: CredentialsInput): ChannelCredentials {
  const secure = input.secure ?? input.caCert !== undefined;
  if (!secure) {
    if (input.caCert !== undefined) {
      throw new InvalidOptionError('caCert', 'caCert is given but secure is false: a CA certificate only applies to a TLS channel');
    }
    return credentials.createInsecure();
  }
  const rootCerts = input.caCert === undefined ? null : checkedCa(readCa(input.caCert));
  return credentials.createSsl(rootCerts);
}

// grpc-js accepts any bytes here and fails only at connect time, with a vague
// TLS error; parse now so a wrong file is reported where it was configured.
function checkedCa(pem: Buffer): Buffer {
  try {
    new X509Certificate(pem);
  } catch (err) {
    throw new InvalidOptionError('caCert', `caCert is not a PEM certificate (${(err as Error).message})`, { cause: err });
  }
  return pem;
}

function readCa(caCert: string | Buffer): Buffer {
  if (Buffer.isBuffer(caCert)) {
    if (caCert.length === 0) throw new InvalidOptionError('caCert', 'caCert is empty');
    return caCert;
  }
  if (caCert.includes(PEM_MARKER)) return Buffer.from(caCert);
  if (caCert.trim() === '') throw new InvalidOptionError('caCert', 'caCert is empty');
  try {
    return readFileSync(caCert);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InvalidOptionError('caCert', `cannot read the CA certificate file "${caCert}" (${reason})`, { cause: err });
  }
}
