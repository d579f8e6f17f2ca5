/**
 * Where header code reports a value it refused (an invalid strategy). Silent by
 * default: these helpers run on every call, and the connector, which owns the
 * user's logger, passes it in.
 */
export interface HeaderWarn {
  (message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export const silentWarn: HeaderWarn = () => {};
