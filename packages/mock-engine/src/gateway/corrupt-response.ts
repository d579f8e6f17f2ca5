import { engineServiceDefinition } from '@e6data-ts/grpc-transport';
import { decodeGrpcFrames, encodeGrpcFrame } from './grpc-frame';

/** The bytes field a client decodes, per corruptible method. */
const RESULT_FIELD = {
  getNextResultBatch: 'resultBatch',
  getResultMetadata: 'resultMetaData',
} as const;

export type CorruptibleMethod = keyof typeof RESULT_FIELD;

export function isCorruptible(method: string): method is CorruptibleMethod {
  return Object.hasOwn(RESULT_FIELD, method);
}

/**
 * Result bytes that no decoder may accept: cut in half, which removes the
 * Thrift STOP byte of a batch and at least part of the last metadata field.
 * Inputs too short to halve become a cut-off header of their format (an
 * empty batch would otherwise still read as "exhausted").
 */
export function damageResultBytes(method: CorruptibleMethod, bytes: Buffer): Buffer {
  if (bytes.length >= 2) return Buffer.from(bytes.subarray(0, Math.floor(bytes.length / 2)));
  // A Thrift field header (type I32, id 1) without its id's second byte; a row count of 3 bytes out of 8.
  return method === 'getNextResultBatch' ? Buffer.from([0x08, 0x00]) : Buffer.from([0x00, 0x00, 0x00]);
}

/**
 * Takes a whole gRPC response body of `method`, damages the result bytes of
 * every message and frames it again. The rest of each message (session id,
 * new_strategy) is kept, so only the client's codec notices.
 */
export function corruptResponseBody(method: CorruptibleMethod, body: Buffer): Buffer {
  const definition = engineServiceDefinition()[method];
  if (definition === undefined) throw new Error(`the engine service has no method ${method}`);
  const field = RESULT_FIELD[method];
  const frames = decodeGrpcFrames(body).map((frame) => {
    if (frame.compressed) throw new Error(`cannot corrupt a compressed ${method} response`);
    const message = definition.responseDeserialize(frame.message) as Record<string, unknown>;
    // PROTO_LOADER_OPTIONS decode bytes as Buffers and fill defaults, so the field is always a Buffer.
    message[field] = damageResultBytes(method, message[field] as Buffer);
    return encodeGrpcFrame(definition.responseSerialize(message));
  });
  return Buffer.concat(frames);
}
