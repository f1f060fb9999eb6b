/**
 * Bytes of request bodies being read at once, across all connections of one process: a server under
 * a slow-upload attack holds at most `limit` bytes of bodies, whatever the number of connections. A
 * request that would pass it is answered 503 `server_busy` (retry) instead of being buffered.
 */
export class BodyBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  /** Takes `bytes` if they fit; false (taking nothing) if they do not. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }

  get inUse(): number {
    return this.used;
  }
}
