/** The narrow logger the strategy package writes through. */
export interface StrategyLogger {
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/**
 * The default logger writes warnings to `console.warn`: the design says an
 * invalid strategy value is ignored *with a warning*, and a library that stays
 * silent by default hides exactly the misconfiguration a user needs to see.
 * Inject `silentStrategyLogger` (or your own logger) to route or mute them.
 */
export const consoleStrategyLogger: StrategyLogger = Object.freeze({
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    if (fields === undefined) console.warn(`[e6data strategy] ${message}`);
    else console.warn(`[e6data strategy] ${message}`, fields);
  },
});

/** A logger that drops every warning (for callers that report refusals themselves). */
export const silentStrategyLogger: StrategyLogger = Object.freeze({
  warn(): void {},
});
