/**
 * The receive windows the gateway announces to clients. A stream may hold up
 * to its window in the gateway while the engine is slow to take it; 1 MiB
 * lets a multi-megabyte request cross in a few round trips rather than dozens
 * at HTTP/2's default 64 KiB, and the 16 MiB connection window (credited only
 * as bytes move on) bounds what one client connection can park here.
 */
export const RELAY_WINDOWS = {
  streamWindow: 1024 * 1024,
  connectionWindow: 16 * 1024 * 1024,
} as const;

/**
 * The receive windows the gateway announces to engines. Towards an engine the
 * connection window is credited on arrival (one slow client must not stall
 * the calls of others sharing the connection), so each stream's window is
 * what an answer may park in the gateway while its client does not read:
 * 256 KiB per stream keeps a client's 100 streams under 32 MiB, and is still
 * many round trips' worth on the short links between gateway and engines.
 */
export const ENGINE_WINDOWS = {
  streamWindow: 256 * 1024,
  connectionWindow: 16 * 1024 * 1024,
} as const;
