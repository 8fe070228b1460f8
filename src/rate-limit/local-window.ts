/**
 * A per-instance sliding window in O(1) memory whatever the limit: two fixed buckets, the previous one
 * weighted by how much of it the sliding window still covers (the "sliding window counter"). Used as the
 * fallback while Redis is away; every admitted request is recorded here too, so it is warm when needed.
 */
export class LocalWindow {
  private start = 0;
  private previous = 0;
  private current = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Estimated requests in the window that ends now. */
  count(now: number): number {
    this.roll(now);
    return this.previous * (1 - (now - this.start) / this.windowMs) + this.current;
  }

  record(now: number): void {
    this.roll(now);
    this.current++;
  }

  /** Admits and records one request if the window has room for it. */
  tryTake(now: number): boolean {
    if (this.count(now) + 1 > this.limit) return false;
    this.current++;
    return true;
  }

  /** When the window has room for one more request (now if it has room already). */
  nextFreeAt(now: number): number {
    const count = this.count(now);
    if (count + 1 <= this.limit) return now;
    if (this.current + 1 > this.limit) {
      // Only once this bucket is the previous one, and has slid far enough out.
      return this.start + this.windowMs + Math.ceil(this.windowMs * (1 - (this.limit - 1) / this.current));
    }
    return this.start + Math.ceil(this.windowMs * (1 - (this.limit - 1 - this.current) / this.previous));
  }

  /** When every request counted now has left the window. */
  clearAt(now: number): number {
    this.roll(now);
    if (this.current > 0) return this.start + 2 * this.windowMs;
    return this.previous > 0 ? this.start + this.windowMs : now;
  }

  private roll(now: number): void {
    const elapsed = now - this.start;
    if (elapsed < this.windowMs) return;
    const buckets = Math.floor(elapsed / this.windowMs);
    this.previous = buckets === 1 ? this.current : 0;
    this.current = 0;
    this.start += buckets * this.windowMs;
  }
}
