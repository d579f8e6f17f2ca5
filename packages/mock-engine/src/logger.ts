/** The narrow logger every part of the mock cluster writes through. */
export interface ClusterLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** The default for in-process use: tests and libraries stay quiet unless they ask. */
export const silentLogger: ClusterLogger = Object.freeze({
  info(): void {},
  warn(): void {},
  error(): void {},
});

/**
 * One line per event on stderr (stdout is kept for the ready line a launcher
 * reads), prefixed with the part that wrote it.
 */
export function consoleLogger(prefix: string): ClusterLogger {
  const write = (level: string, message: string, fields?: Readonly<Record<string, unknown>>): void => {
    const suffix = fields === undefined ? '' : ` ${JSON.stringify(fields)}`;
    process.stderr.write(`${new Date().toISOString()} ${level} [${prefix}] ${message}${suffix}\n`);
  };
  return {
    info: (message, fields) => write('info ', message, fields),
    warn: (message, fields) => write('warn ', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
