/** What went wrong, as a stable code on StrategyCoreError. */
export type StrategyCoreErrorCode = 'INVALID_OPTION' | 'INVALID_ENDPOINT' | 'UNKNOWN';

/**
 * The base error of the strategy package. Invalid strategy *values* are never
 * thrown (they are refused with a warning); this is for programming mistakes
 * such as a negative TTL or an endpoint without a host.
 */
export class StrategyCoreError extends Error {
  override readonly name: string = 'StrategyCoreError';
  readonly code: StrategyCoreErrorCode;

  constructor(code: StrategyCoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** Returns `reason` when it already is a StrategyCoreError, otherwise wraps it with code UNKNOWN. */
  static from(reason: unknown): StrategyCoreError {
    if (reason instanceof StrategyCoreError) return reason;
    const message = reason instanceof Error ? reason.message : 'unexpected failure in strategy state';
    return new StrategyCoreError('UNKNOWN', message, { cause: reason });
  }
}
