import { MockClusterError } from '../../errors';

/**
 * A peer broke the HTTP/2 or HPACK rules. `http2Code` is the RFC 9113 error
 * code the gateway answers with: in a GOAWAY for a connection error, in a
 * RST_STREAM when `streamId` names one stream.
 */
export class Http2ProtocolError extends MockClusterError {
  override readonly name: string = 'Http2ProtocolError';
  readonly http2Code: number;
  /** Set for a stream error; null for a connection error. */
  readonly streamId: number | null;

  constructor(http2Code: number, message: string, options: { streamId?: number; cause?: unknown } = {}) {
    super('HTTP2_PROTOCOL', message, { cause: options.cause });
    this.http2Code = http2Code;
    this.streamId = options.streamId ?? null;
  }
}
