// The connector logs through a pino-compatible object: `logger.warn(fields, message)`.
// Every method is optional, so a partial logger (say, only warn and error) works.

type LogMethod = (fields: Readonly<Record<string, unknown>>, message: string) => void;

/** pino, or anything with the same `(fields, message)` methods. */
export interface ConnectorLogger {
  debug?: LogMethod;
  info?: LogMethod;
  warn?: LogMethod;
  error?: LogMethod;
}

/** Logs nothing: a library stays quiet unless asked. */
export const silentLogger: ConnectorLogger = Object.freeze({});

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Writes one line, and never lets a broken logger fail the call that logs. */
export function log(logger: ConnectorLogger, level: LogLevel, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
  const method = logger[level];
  if (method === undefined) return;
  try {
    method.call(logger, fields, message);
  } catch {
    // A logger that throws must not turn a working query into a failed one.
  }
}
