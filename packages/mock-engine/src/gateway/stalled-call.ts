import { type RawHeaders, type StreamEvents } from './h2';

/**
 * The events of a stream a `stall` fail point holds: nothing is read or
 * credited, so the client's stream window fills and stays full, as with a
 * host that has vanished from the network. Only the client's reset or the
 * connection's end frees it.
 */
export class StalledCall implements StreamEvents {
  constructor(private readonly onEnd: () => void) {}

  headers(_headers: RawHeaders, _endStream: boolean): void {
    // A held call answers nothing, trailers included.
  }

  data(_chunk: Buffer, _endStream: boolean): void {
    // Left uncredited on purpose: the client's window bounds what it can push into the hole.
  }

  sent(): void {
    // Nothing is ever sent on a held stream.
  }

  aborted(): void {
    this.onEnd();
  }
}
