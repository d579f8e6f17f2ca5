/**
 * The receive windows the gateway announces on both sides. A stream may hold
 * up to its window in the gateway while the other side is slow to take it;
 * 1 MiB lets a multi-megabyte answer cross in a few round trips rather than
 * dozens at HTTP/2's default 64 KiB.
 */
export const RELAY_WINDOWS = {
  streamWindow: 1024 * 1024,
  connectionWindow: 16 * 1024 * 1024,
} as const;
