import { type CallHeaders } from '../headers/build-metadata';

/** Per-call options of every client method. */
export interface CallOptions {
  /** The e6data headers (or a plain record of headers) this call sends. */
  headers?: CallHeaders | Readonly<Record<string, string>>;
  /** Milliseconds from now; replaces the client's default for this call. */
  timeoutMs?: number;
  /** An absolute deadline; with `timeoutMs` too, the earlier one wins. */
  deadline?: Date | number;
  /** Aborting cancels the call at once; the call rejects with a CallAbortedError carrying the signal's reason. */
  signal?: AbortSignal;
}
