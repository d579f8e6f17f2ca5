/** Why a coverage tool could not do its job; `code` tells a caller which kind of problem it was. */
export type CoverageToolErrorCode = 'NO_INPUT' | 'BAD_INPUT' | 'BAD_THRESHOLDS' | 'BAD_ARGUMENTS';

/** The one error class of the project's coverage tools: bad input, bad arguments or an unusable threshold setting. */
export class CoverageToolError extends Error {
  override readonly name = 'CoverageToolError';

  constructor(
    readonly code: CoverageToolErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
