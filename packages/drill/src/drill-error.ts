/** What went wrong, as data a caller can switch on. */
export type DrillErrorCode = 'BAD_FLAG' | 'BAD_REPORT' | 'TARGET_FAILED' | 'CLIENT_FAILED';

/** The base of every error the drill raises. Messages never carry a password or token. */
export class DrillError extends Error {
  override readonly name: string = 'DrillError';
  readonly code: DrillErrorCode;

  constructor(code: DrillErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** Wraps anything thrown into a DrillError, keeping DrillErrors as they are. */
  static from(err: unknown, code: DrillErrorCode = 'TARGET_FAILED'): DrillError {
    if (err instanceof DrillError) return err;
    return new DrillError(code, err instanceof Error ? err.message : String(err), { cause: err });
  }
}

/** A bad command-line flag; the CLI prints the message on one line and exits with 2. */
export class FlagError extends DrillError {
  override readonly name = 'FlagError';
  /** The flag at fault, spelled as on the command line (`--workers`). */
  readonly flag: string;

  constructor(flag: string, problem: string) {
    super('BAD_FLAG', `${flag}: ${problem}`);
    this.flag = flag;
  }
}

/** A report file that is not a drill report (or not one this version reads). */
export class ReportFormatError extends DrillError {
  override readonly name = 'ReportFormatError';

  constructor(file: string, problem: string) {
    super('BAD_REPORT', `${file}: ${problem}`);
  }
}
